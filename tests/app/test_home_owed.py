"""The "what I owe" panel on the home page, as each demo user sees it on 14 November 2025."""

from __future__ import annotations

from datetime import date

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
    # worded from the manager's side: Chris writes it; the lead chases it, never writes it
    assert escalated[["What", "Item", "Owed by"]].values.tolist() == [
        ["Check-in not submitted", "Chris Taylor's quarterly check-in", "Chris Taylor"]
    ]
    assert "Check-in to write" not in set(owed["What"]) | set(escalated["What"])


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


# --- a measure activated today ------------------------------------------------------


def _activate_hou04(url: str) -> None:
    """The admin activates HOU-04, a new quarterly Housing KPM, on 14 November 2025."""
    from core.register import CHECKLIST
    from dashboard.config import today as app_today
    from dashboard.store import register
    from dashboard.store.models import Department, MeasureCreate, Theme
    from dashboard.store.users import actor_for, get_user_by_username

    with Session(db.get_engine(url)) as s:
        admin_user = get_user_by_username(session=s, username="demo.admin")
        assert admin_user is not None
        admin = actor_for(session=s, user=admin_user)
        housing = s.exec(select(Department).where(Department.name == "Housing")).one()
        theme = s.exec(select(Theme).where(Theme.name == "Local Homes for Local Need")).one()
        proposed = register.propose_measure(
            session=s,
            actor=admin,
            measure_in=MeasureCreate(
                code="HOU-04",
                name="Households in temporary accommodation",
                theme_id=theme.id,
                department_id=housing.id,
                owner="Pat Jones",
                level="kpm",
                frequency="quarterly",
                polarity="lower_is_better",
                unit="count",
                ytd_method="latest",
                tolerance_kind="relative",
                tolerance=10.0,
                rationale="The housing priority",
                data_source="Housing system",
                proposed_target="40",
            ),
        )
        register.review_checklist(
            session=s,
            actor=admin,
            measure_id=proposed.id,
            answers={q.key: "yes" for q in CHECKLIST},
        )
        register.approve_measure(
            session=s, actor=admin, measure_id=proposed.id, today=app_today(), year_start_month=4
        )
        s.commit()


def test_a_measure_activated_today_is_late_nowhere_and_every_page_agrees(app_env: str) -> None:
    from dashboard.importing.due import due_list
    from dashboard.reminders.gather import gather
    from dashboard.store.users import actor_for, get_user_by_username
    from tests.conftest import DEMO_AS_OF

    _activate_hou04(app_env)
    # Vital Signs: HOU-04 is due from 2025/26 Q3 (the quarter containing 14 November),
    # so Q2, the quarter the page shows, is not due: not late, no data or red.
    at = open_page("vital_signs.py", username="demo.lead")
    assert not at.exception
    assert "Sorry, something went wrong" not in texts(at)
    rows = at.dataframe[0].value.set_index("Code")
    assert rows.loc["HOU-04", ["Status", "Data"]].tolist() == [
        "– Not due",
        "– Not due (2025/26 Q2)",
    ]
    late_tile = next(b for b in at.button if b.key == "vs_tile_late")
    # the 5 late KPMs of the demo (HOU-01, HOU-02, HOU-03, QOL-02, QOL-05): HOU-04 is not one
    assert late_tile.label == "5 · ! Late"
    # Home: the lead still owes exactly what the demo owed before (nothing for HOU-04)
    home = open_page(username="demo.lead")
    assert "Sorry, something went wrong" not in texts(home)
    assert "9 items: 9 late, 0 due soon." in texts(home)
    assert not any(item.startswith("HOU-04") for item in home.dataframe[0].value["Item"])
    # the reminders and the upload page's list of what is due say the same
    with Session(db.get_engine(app_env)) as s:
        snapshot = gather(session=s, today=DEMO_AS_OF)
        lead_user = get_user_by_username(session=s, username="demo.lead")
        assert lead_user is not None
        due = due_list(
            session=s,
            actor=actor_for(session=s, user=lead_user),
            today=DEMO_AS_OF,
            deadline_day=10,
            year_start_month=4,
        )
    assert [o.key for o in snapshot.items if o.key.startswith("data:HOU-04")] == []
    assert "HOU-04" not in set(due["code"])


def test_once_its_first_quarter_is_late_every_page_counts_it_once(app_env: str) -> None:

    from dashboard.importing.due import due_list
    from dashboard.queries.scorecard import build_scorecard
    from dashboard.reminders.gather import gather
    from dashboard.store.users import actor_for, get_user_by_username

    _activate_hou04(app_env)
    # 14 January 2026: Q3 (due by 10 January) is 4 days late; Q1 and Q2 never were due
    later = date(2026, 1, 14)
    with Session(db.get_engine(app_env)) as s:
        card = build_scorecard(s, today=later).set_index("code")
        snapshot = gather(session=s, today=later)
        lead_user = get_user_by_username(session=s, username="demo.lead")
        assert lead_user is not None
        due = due_list(
            session=s,
            actor=actor_for(session=s, user=lead_user),
            today=later,
            deadline_day=10,
            year_start_month=4,
        )
    assert card.loc["HOU-04", ["data_status", "data_status_period"]].tolist() == [
        "late",
        "2025/26 Q3",
    ]
    owed = [(o.period, o.days_late) for o in snapshot.items if o.key.startswith("data:HOU-04")]
    assert owed == [("2025/26 Q3", 4)]
    rows = due[due["code"] == "HOU-04"]
    assert list(zip(rows["period"], rows["days_late"], strict=True)) == [("2025/26 Q3", 4)]
