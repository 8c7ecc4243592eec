"""The "what I owe" panel on the home page, as each demo user sees it on 14 November 2025."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from dashboard.store import db
from dashboard.store.models import ReminderSent, User
from tests.apptest import open_page, texts


def _table(at, index: int = 0):  # type: ignore[no-untyped-def]
    return at.dataframe[index].value


def test_lead_sees_the_late_figures_and_check_ins_they_owe(app_env: str) -> None:
    at = open_page(username="demo.lead")
    assert not at.exception
    said = texts(at)
    assert "What I owe" in said
    # 3 late figures (HOU-01, HOU-02 for Q2; HOU-03 for October: Customer Services has
    # submitted) and 6 check-ins to agree. The manager never owes the writing of a check-in:
    # those of Gina Ellis and Umar Ellis (no accounts) go to the admins, so 11 became 9.
    assert "9 items: 9 late, 0 due soon." in said
    owed = _table(at)
    assert len(owed) == 9
    assert set(owed["Item"]) >= {
        "HOU-01 Number of affordable homes built",
        "HOU-02 Number of long term empty homes",
        "HOU-03 Number of households on the Housing Register",
        "Agree Aisha Adams's check-in",
    }
    assert set(owed["What"]) == {"Figures", "Check-in to agree"}
    assert not any(item.startswith("CUS-") for item in owed["Item"])
    hou01 = owed[owed["Item"] == "HOU-01 Number of affordable homes built"].iloc[0]
    assert hou01["Period"] == "2025/26 Q2"
    assert hou01["Status"] == "! Late (35 days)"
    hou03 = owed[owed["Item"] == "HOU-03 Number of households on the Housing Register"].iloc[0]
    assert hou03["Status"] == "! Late (4 days)"
    # Chris Taylor (demo.staff) reports to the lead and is 15 days late with the check-in.
    assert "Overdue from people you manage" in said
    escalated = _table(at, 1)
    assert list(escalated["Item"]) == ["Your quarterly check-in"]
    assert list(escalated["Owed by"]) == ["Chris Taylor"]


def test_staff_sees_their_own_check_in_only(app_env: str) -> None:
    at = open_page(username="demo.staff")
    assert not at.exception
    owed = _table(at)
    assert list(owed["What"]) == ["Check-in to write"]
    assert list(owed["Period"]) == ["2025/26 Q2"]
    assert list(owed["Status"]) == ["! Late (15 days)"]


def test_member_who_owes_nothing_is_told_so(app_env: str) -> None:
    at = open_page(username="demo.member")
    assert not at.exception
    assert "You owe nothing right now" in texts(at)


def test_admin_sees_the_chase_list_and_the_reminder_log(app_env: str) -> None:
    at = open_page(username="demo.admin")
    assert not at.exception
    said = texts(at)
    assert "Chase list" in said
    assert "No reminders have been sent yet." in said
    chase = at.dataframe[-1].value
    items = set(chase["Item"])
    assert "QOL-02 Number of Changing Places facilities provided" in items
    assert "QOL-05 Number of Green Flag open spaces" in items
    assert "HOU-01 Number of affordable homes built" in items
    qol05 = chase[chase["Item"] == "QOL-05 Number of Green Flag open spaces"].iloc[0]
    assert qol05["Owed by"] == "No lead set"
    assert qol05["Status"] == "! Late (198 days)"
    # Gina Ellis has no account: nobody can be reminded to write her check-in but the admins
    gina = chase[chase["Item"] == "Gina Ellis's check-in (they have no account to write it)"]
    assert gina[["What", "Owed by", "Status"]].values.tolist() == [
        ["Check-in to write", "Nobody: no account", "! Late (15 days)"]
    ]


def test_admin_log_lists_reminders_sent(app_env: str) -> None:
    from datetime import date

    engine = db.get_engine(app_env)
    with Session(engine) as s:
        lead = s.exec(select(User).where(User.username == "demo.lead")).one()
        s.add(
            ReminderSent(
                user_id=lead.id,
                sent_on=date(2025, 11, 14),
                email="demo.lead@example.org",
                subject="Vital Signs reminders, 14 November 2025: 16 overdue",
                items=[{"key": "data:HOU-01:2025/26 Q2", "stage": "chaser"}],
            )
        )
        s.commit()
    at = open_page(username="demo.admin")
    assert not at.exception
    log = at.dataframe[-1].value
    assert list(log["To"]) == ["Sam Okafor"]
    assert list(log["Subject"]) == ["Vital Signs reminders, 14 November 2025: 16 overdue"]
    assert list(log["Items"]) == [1]


@pytest.mark.parametrize("allowed", [True])
def test_turning_off_the_digest_is_saved_for_that_user(app_env: str, allowed: bool) -> None:
    at = open_page(username="demo.lead")
    toggle = at.toggle(key="digest_opt_in")
    assert toggle.value is True
    toggle.set_value(False).run()
    assert not at.exception
    with Session(db.get_engine(app_env)) as s:
        lead = s.exec(select(User).where(User.username == "demo.lead")).one()
        assert lead.digest_opt_out is True
