"""A NUL character typed or pasted into a form is refused with a plain message naming the
field: no error page, and nothing is saved."""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard.config import get_settings
from dashboard.store.db import get_engine
from dashboard.store.models import Checkin, Staff
from tests.apptest import open_page, texts

DEVELOPMENT = "Development activities (training, shadowing, reading, coaching)"


def _chris_checkins() -> list[Checkin]:
    with Session(get_engine(get_settings().database_url)) as session:
        chris = session.exec(select(Staff).where(Staff.name == "Chris Taylor")).one()
        return list(session.exec(select(Checkin).where(Checkin.staff_id == chris.id)).all())


def test_a_nul_in_check_in_text_is_refused_plainly_and_nothing_is_saved(app_env):
    before = _chris_checkins()
    at = open_page("check_ins.py", username="demo.staff")
    areas = {a.label: a for a in at.text_area}
    areas[DEVELOPMENT].input("Data literacy\x00 course")
    areas["My comments"].input("A hard quarter.")
    next(b for b in at.button if b.label == "Save draft").click().run()
    assert not at.exception
    said = texts(at)
    assert "Sorry, something went wrong" not in said
    assert "The text in 'development' contains a NUL character" in said
    assert _chris_checkins() == before
