"""`/data` on a freshly started server: Streamlit runs this file; it hands over to app.py.

Until app.py has called st.navigation once, Streamlit serves the app in its old `pages/` folder
mode, which knows a URL only by a file of that name directly in pages/ (without it: "Page not
found"). app.py, run here within the same run, routes to the page and shows its own menu.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parents[1] / "app.py"))
