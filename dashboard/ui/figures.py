"""Plotly figures kept in the cache as plain dicts.

A ``go.Figure`` checks every property it is given against plotly's schema, and pickling
one (as ``st.cache_data`` does on every hit) rebuilds it from its dict, checking it all
again: about 8 ms to take a measure's SPC chart out of the cache and 11 ms more to copy
it, on every load. A figure is therefore cached as ``figure.to_dict()`` (which was
checked when it was drawn) and made back into a figure with `unchecked`, in under a
millisecond.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

__all__ = ["unchecked"]


def unchecked(spec: Mapping[str, Any]) -> go.Figure:
    """A figure from the ``to_dict()`` of one plotly has already checked, not checked again.
    Traces and shapes added to it afterwards are checked as usual."""
    return go.Figure(dict(spec), _validate=False)
