"""Exports: the portable data dump, the public portal's data and its static site.

`FAVICON`: the app's icon (SVG), served by the app itself (Streamlit inlines it as a
``data:`` URL) and written beside the static site, so no page fetches an icon from
another site.
"""

from pathlib import Path

FAVICON = Path(__file__).resolve().with_name("favicon.svg")
