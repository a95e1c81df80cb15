"""The compare page (page.py) and its helpers."""
