"""dashboard.ui.status: status drawn in its colour, everything else left as it is."""

from __future__ import annotations

import pandas as pd

from dashboard.ui.status import status_css, status_span, styled


def test_a_status_cell_is_drawn_in_its_colour_and_other_text_is_not():
    assert status_css("✖ Off target") == "color: #D4351C; font-weight: 600"
    assert status_css("➤ On track") == "color: #00703C; font-weight: 600"
    assert status_css("Housing") == ""
    assert status_css(12.5) == ""


def test_a_status_span_colours_a_status_and_escapes_any_other_text():
    assert status_span("! Late (Oct 2026)") == (
        '<span style="color: #4C2C92; font-weight: 600;white-space:nowrap">! Late (Oct 2026)</span>'
    )
    assert status_span("<b>Housing</b>") == "&lt;b&gt;Housing&lt;/b&gt;"


def test_styling_colours_only_the_status_cells_and_leaves_figures_to_their_own_format():
    frame = pd.DataFrame({"Value": [45.0], "Status": ["▲ Just off target"]})
    html = styled(frame, ["Status", "Missing"]).to_html()
    assert "color: #B35C00" in html
    # no display value is forced on the figure (a Styler alone writes 45.000000)
    styler = styled(frame, ["Status"])
    styler._compute()  # as Streamlit does before it reads the display values
    translated = styler._translate(False, False)
    ids = [cell.get("id") for row in translated["body"] for cell in row if "id" in cell]
    assert any(str(i).endswith("col1") for i in ids)
    assert not any(str(i).endswith("col0") for i in ids)
