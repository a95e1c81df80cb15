"""Streamlit pages, one folder per page; app.py routes to each folder's page.py."""
