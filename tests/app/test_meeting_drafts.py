"""Meeting mode shows a figure its lead saved only as a draft as a draft."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session

from dashboard.config import get_settings
from dashboard.store.db import get_engine
from dashboard.store.models import Observation
from tests.apptest import open_page, texts


def test_meeting_mode_marks_a_draft_figure_as_a_draft(app_env):
    # Every figure is made a draft, so whichever exception comes first is one.
    with Session(get_engine(get_settings().database_url)) as session:
        session.exec(update(Observation).values(status="draft"))  # type: ignore[call-overload]
        session.commit()
    at = open_page("meeting.py", username="demo.executive")
    next(b for b in at.button if b.label == "Start or resume the meeting").click().run()
    assert not at.exception, [e.value for e in at.exception]
    # The first items may be late (no figure): move on to the first with a figure.
    for _ in range(20):
        value = next(m for m in at.metric if m.label.startswith("Value, "))
        if value.value != "–":
            break
        next(b for b in at.button if b.label == "Next").click().run()
    said = texts(at)
    assert "Sorry, something went wrong" not in said
    assert value.label.endswith(" (draft)")
    period = value.label.removeprefix("Value, ").removesuffix(" (draft)")
    assert f"◐ Draft: the lead has saved the {period} figure but not submitted it yet." in said
