"""PyInstaller runtime hook: the frozen app never reaches for the network.

Runs before any of our code. PROJ may fetch transformation grids from its CDN when
``PROJ_NETWORK`` is ON; we ship ``proj.db`` (and the grids pyproj bundles) and forbid fetching.
"""

import os

os.environ["PROJ_NETWORK"] = "OFF"
os.environ.pop("PROJ_CURL_CA_BUNDLE", None)
