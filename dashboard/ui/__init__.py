"""What each page draws: widgets, tables, charts and the renderers the scripts in pages/ call.

``shell`` is the error boundary and page frame; ``guard`` checks the reader may see the page.
"""
