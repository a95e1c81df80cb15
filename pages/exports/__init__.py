"""The exports page (page.py) and its helpers."""
