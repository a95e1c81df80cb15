"""The subscriber data page (page.py) and its helpers."""
