"""The visits page (page.py) and its helpers."""
