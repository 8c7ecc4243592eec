"""Meeting mode shows a figure its lead saved only as a draft as a draft."""

from __future__ import annotations

import re

from sqlalchemy import update
from sqlmodel import Session

from dashboard.config import get_settings
from dashboard.store.db import get_engine
from dashboard.store.models import Observation
from tests.apptest import open_page, texts

CELL = r"vs-label'>([^<]+)</div><div class='vs-value'[^>]*>([^<]+)<"


def test_meeting_mode_marks_a_draft_figure_as_a_draft(app_env):
    # Every figure is made a draft, so whichever exception comes first is one.
    with Session(get_engine(get_settings().database_url)) as session:
        session.exec(update(Observation).values(status="draft"))  # type: ignore[call-overload]
        session.commit()
    at = open_page("meeting.py", username="demo.executive")
    next(b for b in at.button if b.label == "Start or resume the meeting").click().run()
    assert not at.exception, [e.value for e in at.exception]
    # The first items may be late (no figure this period): move on to the first with one.
    for _ in range(20):
        room = "\n".join(h.proto.body for h in at.get("html"))
        cells = dict(re.findall(CELL, room))
        figure = next(name for name in cells if name.startswith("Figure, "))
        if "! Late" not in cells.values():
            break
        next(b for b in at.button if b.label == "Next").click().run()
    said = texts(at)
    assert "Sorry, something went wrong" not in said
    assert figure.endswith(" (draft)")
    period = figure.removeprefix("Figure, ").removesuffix(" (draft)")
    assert f"◐ Draft: the lead has saved the {period} figure but not submitted it yet." in said
