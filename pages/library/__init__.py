"""The library page (page.py) and its helpers."""
