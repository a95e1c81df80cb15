"""The programs page (page.py) and its helpers."""
