"""The capture page (page.py) and its helpers."""
