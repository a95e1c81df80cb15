"""The road page (page.py) and its helpers."""
