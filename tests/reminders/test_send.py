"""send-reminders against a real SMTP server, on the demo council at 14 November 2025.

By hand, with the defaults (reminder 3 days before, escalation 5 days after the chaser,
check-ins closing 30 days after the quarter):

- demo.lead (Sam Okafor; Housing, Customer Services) is late with 3 figures: HOU-01,
  HOU-02 for 2025/26 Q2 (due 10 October) and HOU-03 for 2025-10 (due 10 November)
  (Customer Services has sent everything), and 6 check-ins to agree (due 30 October).
  demo.staff's own check-in is escalated to him. Subject: 9 overdue, 1 escalated.
- demo.executive (Sam's manager) gets the Q2 figures and the check-ins due 30 October
  as escalations; the October figures escalate from 16 November.
- demo.staff (Chris Taylor) gets a chaser for their own check-in.
- demo.admin gets QOL-02 and QOL-05 (no lead for their departments) as chasers, and the
  check-ins of staff without an account (Gina Ellis and Umar Ellis, who report to Sam,
  among them): the member of staff writes a check-in, never the manager, and nobody can
  remind someone who has no account.
- demo.member owes nothing and gets nothing.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.cli import main as cli
from dashboard.config import Settings
from dashboard.reminders.send import SmtpNotConfigured, send_reminders
from dashboard.store.models import ReminderSent, Staff, User
from tests.reminders.conftest import Mailbox

DAY = date(2025, 11, 14)
BASE = "https://performance.example.gov.uk"
LEAD = "demo.lead@example.org"
EXEC = "demo.executive@example.org"
ADMIN = "demo.admin@example.org"
STAFF = "demo.staff@example.org"


def _settings(url: str, box: Mailbox, **extra: object) -> Settings:
    return Settings(
        database_url=url,
        smtp_host=box.host,
        smtp_port=box.port,
        smtp_starttls=False,
        base_url=BASE,
        mail_from="Vital Signs <performance@example.gov.uk>",
        **extra,  # type: ignore[arg-type]
    )


def _send(url: str, engine: Engine, box: Mailbox, day: date = DAY, **extra: object):  # type: ignore[no-untyped-def]
    return send_reminders(today=day, engine=engine, settings=_settings(url, box, **extra))


def _set_user(engine: Engine, username: str, **values: object) -> None:
    with Session(engine) as s:
        user = s.exec(select(User).where(User.username == username)).one()
        for key, value in values.items():
            setattr(user, key, value)
        s.add(user)
        s.commit()


def test_one_digest_goes_to_each_person_who_owes_something(
    demo_url: str, demo_engine: Engine, smtp_server: Mailbox
) -> None:
    report = _send(demo_url, demo_engine, smtp_server)
    assert report.ok
    assert smtp_server.recipients == [ADMIN, EXEC, LEAD, STAFF]
    assert all(len(smtp_server.to(a)) == 1 for a in (ADMIN, EXEC, LEAD, STAFF))
    assert {m.sender for m in smtp_server.messages} == {"performance@example.gov.uk"}
    assert report.summary() == "Sent 4 digests for 2025-11-14."


def test_the_lead_digest_lists_every_late_figure_and_check_in_with_links(
    demo_url: str, demo_engine: Engine, smtp_server: Mailbox
) -> None:
    _send(demo_url, demo_engine, smtp_server)
    (mail,) = smtp_server.to(LEAD)
    assert mail.subject == (
        "Vital Signs reminders, 14 November 2025: 9 overdue, 1 escalated to you"
    )
    text = mail.body("plain")
    for line in (
        "- HOU-01 Number of affordable homes built, 2025/26 Q2: due 10 October 2025, 35 days late",
        "- HOU-02 Number of long term empty homes, 2025/26 Q2: due 10 October 2025, 35 days late",
        "- HOU-03 Number of households on the Housing Register, 2025-10: "
        "due 10 November 2025, 4 days late",
        "- Agree Aisha Adams's check-in, 2025/26 Q2: due 30 October 2025, 15 days late",
        "- Your quarterly check-in, 2025/26 Q2: due 30 October 2025, 15 days late "
        "(owed by Chris Taylor)",
    ):
        assert line in text
    # 3 late Housing figures, 6 check-ins to agree, 1 escalated: Customer Services has
    # sent everything. (There were 12 when the lead was also owed the writing of the
    # check-ins of Gina Ellis and Umar Ellis, who have no accounts: those go to the admins.)
    assert text.count("\n- ") == 10
    assert "Gina Ellis" not in text
    assert "- CUS-" not in text
    assert f"Upload the figures: {BASE}/upload" in text
    assert f"Open check-ins: {BASE}/check-ins" in text
    assert f"{BASE}/actions" not in text  # no action updates owed
    html = mail.body("html")
    assert f'<a href="{BASE}/upload">Upload the figures</a>' in html
    assert f'<a href="{BASE}/check-ins">Open check-ins</a>' in html
    assert "Agree Aisha Adams&#x27;s check-in" in html


def test_the_staff_digest_is_their_own_check_in_only(
    demo_url: str, demo_engine: Engine, smtp_server: Mailbox
) -> None:
    _send(demo_url, demo_engine, smtp_server)
    (mail,) = smtp_server.to(STAFF)
    assert mail.subject == "Vital Signs reminders, 14 November 2025: 1 overdue"
    text = mail.body("plain")
    assert "- Your quarterly check-in, 2025/26 Q2: due 30 October 2025, 15 days late" in text
    assert text.count("\n- ") == 1
    assert f"{BASE}/check-ins" in text


def test_the_lead_manager_gets_the_escalations_naming_the_lead(
    demo_url: str, demo_engine: Engine, smtp_server: Mailbox
) -> None:
    _send(demo_url, demo_engine, smtp_server)
    (mail,) = smtp_server.to(EXEC)
    text = mail.body("plain")
    assert (
        "- HOU-01 Number of affordable homes built, 2025/26 Q2: due 10 October 2025, "
        "35 days late (owed by Sam Okafor)" in text
    )
    # October's figures were due on 10 November: not escalated until 16 November.
    assert "HOU-03" not in text
    assert "CUS-05" not in text


def test_admins_are_chased_for_figures_no_lead_owes(
    demo_url: str, demo_engine: Engine, smtp_server: Mailbox
) -> None:
    _send(demo_url, demo_engine, smtp_server)
    text = smtp_server.to(ADMIN)[0].body("plain")
    assert (
        "- QOL-05 Number of Green Flag open spaces, 2024/25: due 30 April 2025, 198 days late"
        in text
    )
    assert "- QOL-02 Number of Changing Places facilities provided, 2025/26 Q2" in text
    # nobody can remind staff without an account to write their check-in: the admins hear
    assert (
        "- Gina Ellis's check-in (they have no account to write it), 2025/26 Q2: "
        "due 30 October 2025, 15 days late\r\n" in text
    )


def test_running_twice_on_a_day_sends_nothing_new(
    demo_url: str, demo_engine: Engine, smtp_server: Mailbox
) -> None:
    _send(demo_url, demo_engine, smtp_server)
    again = _send(demo_url, demo_engine, smtp_server)
    assert len(smtp_server.messages) == 4
    assert again.summary() == "Sent 0 digests for 2025-11-14."
    with Session(demo_engine) as s:
        rows = s.exec(select(ReminderSent)).all()
    assert len(rows) == 4
    lead_row = next(r for r in rows if r.email == LEAD)
    assert lead_row.sent_on == DAY
    assert len(lead_row.items) == 10  # as in the lead's digest above
    assert any(
        i["key"] == "data:HOU-01:2025/26 Q2" and i["stage"] == "chaser" for i in lead_row.items
    )


def test_the_next_days_send_only_what_has_newly_reached_a_stage(
    demo_url: str, demo_engine: Engine, smtp_server: Mailbox
) -> None:
    _send(demo_url, demo_engine, smtp_server)
    _send(demo_url, demo_engine, smtp_server, day=date(2025, 11, 15))
    assert len(smtp_server.messages) == 4  # nothing changed stage on the 15th
    _send(demo_url, demo_engine, smtp_server, day=date(2025, 11, 16))
    assert len(smtp_server.messages) == 5
    mail = smtp_server.messages[-1]
    assert mail.recipients == [EXEC]
    assert mail.subject == "Vital Signs reminders, 16 November 2025: 1 escalated to you"
    text = mail.body("plain")
    assert "- HOU-03 " in text  # October's figure, 6 days after its deadline
    assert text.count("\n- ") == 1


def test_a_lead_without_a_line_manager_is_escalated_to_the_admins(
    demo_url: str, demo_engine: Engine, smtp_server: Mailbox
) -> None:
    _set_user(demo_engine, "demo.lead", line_manager_id=None)
    _send(demo_url, demo_engine, smtp_server)
    admin_text = smtp_server.to(ADMIN)[0].body("plain")
    assert (
        "HOU-01 Number of affordable homes built, 2025/26 Q2: due 10 October 2025, "
        "35 days late (owed by Sam Okafor)" in admin_text
    )
    assert "Sam Okafor" not in smtp_server.to(EXEC)[0].body("plain")


def test_someone_who_opted_out_gets_no_reminders_but_their_manager_still_hears(
    demo_url: str, demo_engine: Engine, smtp_server: Mailbox
) -> None:
    _set_user(demo_engine, "demo.lead", digest_opt_out=True)
    _send(demo_url, demo_engine, smtp_server)
    # Only what is escalated to the lead as a manager (Chris Taylor's check-in) reaches them.
    (mail,) = smtp_server.to(LEAD)
    assert mail.subject == "Vital Signs reminders, 14 November 2025: 1 escalated to you"
    assert mail.body("plain").count("\n- ") == 1
    assert "(owed by Sam Okafor)" in smtp_server.to(EXEC)[0].body("plain")


def test_opting_out_is_ignored_where_the_council_does_not_allow_it(
    demo_url: str, demo_engine: Engine, smtp_server: Mailbox
) -> None:
    _set_user(demo_engine, "demo.lead", digest_opt_out=True)
    _send(demo_url, demo_engine, smtp_server, allow_digest_opt_out=False)
    assert len(smtp_server.to(LEAD)) == 1


def test_names_are_escaped_in_the_html_body(
    demo_url: str, demo_engine: Engine, smtp_server: Mailbox
) -> None:
    with Session(demo_engine) as s:
        gina = s.exec(select(Staff).where(Staff.name == "Gina Ellis")).one()
        gina.name = "Gina <script>alert(1)</script>"
        s.add(gina)
        s.commit()
    _send(demo_url, demo_engine, smtp_server)
    html = smtp_server.to(ADMIN)[0].body("html")
    assert "<script>" not in html
    assert "Gina &lt;script&gt;alert(1)&lt;/script&gt;&#x27;s check-in" in html


def test_people_without_an_email_address_are_reported_not_sent(
    demo_url: str, demo_engine: Engine, smtp_server: Mailbox
) -> None:
    _set_user(demo_engine, "demo.staff", email=None)
    report = _send(demo_url, demo_engine, smtp_server)
    assert smtp_server.recipients == [ADMIN, EXEC, LEAD]
    assert report.summary() == ("Sent 3 digests for 2025-11-14; 1 have no e-mail address.")


def test_without_an_smtp_server_nothing_is_sent_or_recorded(
    demo_url: str, demo_engine: Engine
) -> None:
    with pytest.raises(SmtpNotConfigured, match="VITALSIGNS_SMTP_HOST"):
        send_reminders(today=DAY, engine=demo_engine, settings=Settings(database_url=demo_url))
    with Session(demo_engine) as s:
        assert s.exec(select(ReminderSent)).all() == []


def test_the_command_sends_and_a_dry_run_sends_nothing(
    app_env: str,
    smtp_server: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from dashboard import config as settings_module

    monkeypatch.setenv("VITALSIGNS_SMTP_HOST", smtp_server.host)
    monkeypatch.setenv("VITALSIGNS_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("VITALSIGNS_SMTP_STARTTLS", "false")
    settings_module.get_settings.cache_clear()

    assert cli.main(["send-reminders", "--dry-run", "--today", "2025-11-14"]) == 0
    out = capsys.readouterr().out
    assert smtp_server.messages == []
    assert "To demo.lead@example.org (demo.lead): Vital Signs reminders, 14 November 2025" in out
    assert "Would send 4 digests for 2025-11-14." in out

    assert cli.main(["send-reminders"]) == 0  # today is pinned to 14 November 2025
    assert "Sent 4 digests for 2025-11-14." in capsys.readouterr().out
    assert len(smtp_server.messages) == 4
    assert cli.main(["send-reminders"]) == 0
    assert "Sent 0 digests for 2025-11-14." in capsys.readouterr().out
    assert len(smtp_server.messages) == 4


def test_the_command_explains_a_missing_smtp_server(
    app_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["send-reminders", "--today", "2025-11-14"]) == 1
    assert "No SMTP server is set" in capsys.readouterr().err
