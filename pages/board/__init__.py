"""The board page (page.py) and its helpers."""
