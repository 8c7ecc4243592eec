"""A write moves the data version on, so the next run of an open page shows it: no cache
is cleared after a write, and none needs to be."""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session

from dashboard.config import get_settings
from dashboard.store.checkins import quarterly
from dashboard.store.db import get_engine
from dashboard.store.users import actor_for, get_user_by_username
from tests.apptest import open_page, texts

Q2 = "2025/26 Q2"


def _lead_agrees_aishas_check_in() -> None:
    with Session(get_engine(get_settings().database_url)) as session:
        user = get_user_by_username(session=session, username="demo.lead")
        assert user is not None
        lead = actor_for(session=session, user=user)
        (checkin,) = [
            c
            for staff, c in quarterly.checkins_to_agree(session=session, actor=lead)
            if staff.name == "Aisha Adams"
        ]
        assert checkin.id is not None
        quarterly.agree_checkin(session=session, actor=lead, checkin_id=checkin.id)
        session.commit()


def _housing_q2_agreed(at) -> int:  # type: ignore[no-untyped-def]
    for frame in at.dataframe:
        value: pd.DataFrame = frame.value
        if "Agreed %" in value.columns:
            row = value[(value["Department"] == "Housing") & (value["Quarter"] == Q2)].iloc[0]
            return int(row["Agreed"])
    raise AssertionError("no completion table on the page")


def test_what_i_owe_drops_a_check_in_on_the_next_run_once_it_is_agreed(app_env: str) -> None:
    home = open_page(username="demo.lead")
    assert "9 items: 9 late, 0 due soon." in texts(home)
    assert "Agree Aisha Adams's check-in" in set(home.dataframe[0].value["Item"])

    _lead_agrees_aishas_check_in()
    home.run()

    assert not home.exception
    assert "8 items: 8 late, 0 due soon." in texts(home)
    assert "Agree Aisha Adams's check-in" not in set(home.dataframe[0].value["Item"])


def test_the_team_completion_counts_an_agreed_check_in_on_the_next_run(app_env: str) -> None:
    page = open_page("check_ins.py", username="demo.lead")
    agreed = _housing_q2_agreed(page)

    _lead_agrees_aishas_check_in()
    page.run()

    assert not page.exception
    assert _housing_q2_agreed(page) == agreed + 1
