"""Injection: hostile text people type or upload is stored as text and shown as text.

Commentary, names, measure definitions, action titles and uploaded cells carry HTML and
script (``<script>``, ``<img onerror>``), a ``javascript:`` link, a Markdown image and SQL
metacharacters. They are written through the store (as the pages and uploads would), then
every page that shows them is opened: no Markdown body holds them where they would be
interpreted, chart hover text holds them escaped, exports hold the literal text, and the
SQL metacharacters are found back as the same text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlmodel import Session, select

from dashboard.config import get_settings
from dashboard.config import today as app_today
from dashboard.exporting.cells import safe_frame
from dashboard.exporting.portal_data import build_portal, portal_frame
from dashboard.exporting.reports.exceptions import build_report
from dashboard.exporting.reports.export import export_report
from dashboard.exporting.reports.pdf import report_html
from dashboard.importing.registry import ImportOptions, SourceFile, run_import
from dashboard.store.actions import get_action_by_code, update_action
from dashboard.store.audit_search import AuditQuery, search_audit
from dashboard.store.benchmarks import list_comparator_groups, update_comparator_group
from dashboard.store.checkins.objectives import create_objective
from dashboard.store.db import get_engine
from dashboard.store.measures import (
    add_rebase_point,
    get_measure_by_code,
    set_target,
    upsert_observation,
)
from dashboard.store.models import (
    ActionUpdateIn,
    ComparatorGroupBase,
    Measure,
    MeasureUpdate,
    Objective,
    Observation,
    ObservationCreate,
    Staff,
    UserUpdate,
)
from dashboard.store.publication import approve_figures
from dashboard.store.register import edit_measure
from dashboard.store.structure import get_theme_by_name, update_theme
from dashboard.store.users import actor_for, get_user_by_username, update_user
from dashboard.ui.widgets import plain, visible, visible_frame
from tests.apptest import open_page, texts
from tests.conftest import DEMO_AS_OF

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_LINK = "[click](javascript:alert(1))"
MD_IMAGE = "![img](http://evil.example/x.png)"
SQL = "'; DROP TABLE measure; --"
PAYLOAD = f"{SCRIPT} {IMG} {JS_LINK} {MD_IMAGE} {SQL}"

CODE = "HOU-03"  # a published, monthly Housing measure
ACTION = "DP-03"  # a Housing action
THEME = "Local Homes for Local Need"
HOSTILE_THEME = "Local Homes for Local Need'; DROP TABLE measure; --"
QUARTER = "2025/26 Q2"
HOSTILE_NAME = f"Households in temporary accommodation {SCRIPT}"


def _actor(session: Session, username: str):
    user = get_user_by_username(session=session, username=username)
    assert user is not None
    return actor_for(session=session, user=user)


@pytest.fixture
def poisoned(app_env: str, tmp_path: Path) -> str:
    """The demo council with hostile text in every free-text field a page shows."""
    engine = get_engine(get_settings().database_url)
    upload = tmp_path / "figures.csv"
    upload.write_text(
        f'code,period,value,commentary,action_note\n{CODE},2025-10,2500,"{PAYLOAD}","{PAYLOAD}"\n',
        encoding="utf-8",
    )
    with Session(engine, expire_on_commit=False) as s:
        admin, lead = _actor(s, "demo.admin"), _actor(s, "demo.lead")
    result = run_import(
        engine=engine,
        actor=lead,
        source=SourceFile.from_path(upload),
        kind="measures",
        options=ImportOptions(submit=True),
    )
    assert result.committed, [p.message for p in result.checked.sorted_problems()]
    with Session(engine, expire_on_commit=False) as s:
        measure = get_measure_by_code(session=s, code=CODE)
        assert measure is not None and measure.id is not None
        upsert_observation(
            session=s,
            actor=lead,
            measure=measure,
            observation_in=ObservationCreate(
                measure_id=measure.id,
                period="2025-10",
                period_start=date(2025, 10, 1),
                value=2500,
                commentary=PAYLOAD,
                commentary_public=True,
            ),
            submit=True,
        )
        edit_measure(
            session=s,
            actor=admin,
            measure_id=measure.id,
            measure_in=MeasureUpdate(name=HOSTILE_NAME, definition=PAYLOAD),
        )
        obs = s.exec(
            select(Observation).where(
                Observation.measure_id == measure.id, Observation.period == "2025-10"
            )
        ).one()
        assert obs.id is not None
        approve_figures(session=s, actor=admin, observation_ids=[obs.id])
        action = get_action_by_code(session=s, code=ACTION)
        assert action is not None and action.id is not None
        update_action(
            update_date=app_today(),
            session=s,
            actor=lead,
            action_id=action.id,
            update_in=ActionUpdateIn(percent_complete=40, commentary=PAYLOAD),
        )
        update_action(
            update_date=app_today(),
            session=s,
            actor=admin,
            action_id=action.id,
            update_in=ActionUpdateIn(title=f"Build homes {SCRIPT} {MD_IMAGE}"),
        )
        theme = get_theme_by_name(session=s, name=THEME)
        assert theme is not None and theme.id is not None
        update_theme(session=s, actor=admin, theme_id=theme.id, name=HOSTILE_THEME)
        add_rebase_point(session=s, actor=lead, measure=measure, period="2025-04", reason=PAYLOAD)
        set_target(
            session=s,
            actor=lead,
            measure=measure,
            period="2026-03",
            period_start=date(2026, 3, 1),
            value=2400,
            reason=f"{SQL} 100% of_the plan",
        )
        s.commit()
    return app_env


# --- what "drawn as HTML or Markdown" means -----------------------------------------------

MARKDOWN_KINDS = ("title", "header", "subheader", "markdown", "caption")
ALERT_KINDS = ("info", "warning", "error", "success")

# Constructs a Markdown renderer would draw from the hostile text: an HTML tag, an image,
# a link to a script or to another site. A backslash before the opening character makes it
# plain text. (The app's own links, such as "Back to Vital Signs", are not hostile.)
INTERPRETED = {
    "an HTML tag": re.compile(r"(?<!\\)<[A-Za-z/!?]"),
    "a Markdown image": re.compile(r"(?<!\\)!(?<!\\)\["),
    "a Markdown link": re.compile(r"(?<!\\)\]\((?:javascript|https?://evil)"),
}


def _unescape(body: str) -> str:
    return re.sub(r"\\(.)", r"\1", body)


def _bodies(at) -> list[tuple[str, str]]:
    """Every text the page renders as Markdown: elements, alerts and expander labels."""
    out = [(kind, str(el.value)) for kind in MARKDOWN_KINDS for el in at.get(kind)]
    out += [(kind, str(el.proto.body)) for kind in ALERT_KINDS for el in at.get(kind)]
    out += [("expander", str(el.proto.label)) for el in at.get("expander")]
    return out


def _interpreted(at) -> list[tuple[str, str, str]]:
    return [
        (kind, what, body[:120])
        for kind, body in _bodies(at)
        for what, pattern in INTERPRETED.items()
        if pattern.search(body)
    ]


def _shown_as_text(at) -> str:
    """What a reader sees: Markdown bodies unescaped, plus st.text and st.code values."""
    parts = [_unescape(body) for _, body in _bodies(at)]
    parts += [str(el.value) for kind in ("text", "code") for el in at.get(kind)]
    return "\n".join(parts)


PAGES = [
    pytest.param("measure.py", "demo.lead", {"code": CODE}, id="measure"),
    pytest.param("vital_signs.py", "demo.executive", {"level": "all"}, id="vital signs"),
    pytest.param("actions.py", "demo.lead", {}, id="actions"),
    pytest.param("action.py", "demo.lead", {"code": ACTION}, id="action"),
    pytest.param("portal.py", None, {}, id="portal"),
    pytest.param("reports.py", "demo.executive", {}, id="reports"),
]


@pytest.mark.parametrize(("script", "username", "query"), PAGES)
def test_hostile_text_is_never_drawn_as_html_or_markdown(poisoned, script, username, query):
    at = open_page(script, username=username, query=query)
    assert not at.exception
    assert _interpreted(at) == []


def test_the_measure_page_shows_the_hostile_text_exactly_as_typed(poisoned):
    at = open_page("measure.py", username="demo.lead", query={"code": CODE})
    shown = _shown_as_text(at)
    assert f"{CODE} · {HOSTILE_NAME}" in shown  # the title
    assert PAYLOAD in [str(el.value) for el in at.text]  # the commentary, as text
    assert f"**2025-04**: {PAYLOAD}" in shown  # the rebase reason
    assert PAYLOAD in shown  # the definition
    assert HOSTILE_THEME in shown


def test_the_portal_shows_the_approved_commentary_as_typed_and_draws_nothing_from_it(poisoned):
    at = open_page("portal.py")
    shown = _shown_as_text(at)
    assert f"**What the council says**: {PAYLOAD}" in shown
    assert HOSTILE_NAME in shown and HOSTILE_THEME in shown
    assert _interpreted(at) == []


def test_the_action_page_shows_the_title_and_commentary_as_typed(poisoned):
    at = open_page("action.py", username="demo.lead", query={"code": ACTION})
    assert [_unescape(str(t.value)) for t in at.title] == [
        f"{ACTION}: Build homes {SCRIPT} {MD_IMAGE}"
    ]
    assert PAYLOAD in [str(el.value) for el in at.text]


def _spec_text(chart) -> str:
    """A Plotly figure's JSON with its own escapes undone, as the browser reads it."""
    return json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)


def test_chart_hover_text_holds_the_hostile_text_escaped(poisoned):
    at = open_page("measure.py", username="demo.lead", query={"code": CODE})
    specs = [_spec_text(chart) for chart in at.get("plotly_chart")]
    assert specs, "the measure page draws its SPC chart"
    assert any(
        "Limits rebased: &lt;script&gt;alert(1)&lt;/script&gt; "
        "&lt;img src=x onerror=alert(1)&gt;" in spec
        for spec in specs
    )
    for spec in specs:
        assert "<script" not in spec
        assert "<img" not in spec


def test_the_action_pages_chart_holds_no_raw_tag(poisoned):
    at = open_page("action.py", username="demo.lead", query={"code": ACTION})
    specs = [_spec_text(chart) for chart in at.get("plotly_chart")]
    assert specs, "the action page draws its plan chart"
    for spec in specs:
        assert "<script" not in spec
        assert "<img" not in spec


# --- exports hold the literal text --------------------------------------------------------


def test_safe_frame_keeps_hostile_text_and_neutralises_only_formulas():
    frame = safe_frame(pd.DataFrame({"text": [PAYLOAD, '=HYPERLINK("http://evil.example")']}))
    assert frame["text"].tolist() == [PAYLOAD, '\'=HYPERLINK("http://evil.example")']


def test_the_portal_csv_holds_the_hostile_name_as_literal_text(poisoned):
    with Session(get_engine(get_settings().database_url)) as s:
        portal = build_portal(s, today=DEMO_AS_OF)
    data = safe_frame(portal_frame(portal)).to_csv(index=False)
    rows = list(csv.DictReader(io.StringIO(data)))
    assert {r["measure"] for r in rows if r["code"] == CODE} == {HOSTILE_NAME}
    assert {r["theme"] for r in rows if r["code"] == CODE} == {HOSTILE_THEME}


def test_the_exception_report_spreadsheet_holds_the_hostile_text_literally(poisoned):
    with Session(get_engine(get_settings().database_url)) as s:
        data = export_report(s, QUARTER, "xlsx", today=DEMO_AS_OF, draw_charts=False)
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert HOSTILE_NAME in cells
    assert f"{CODE}" in cells


def test_the_exception_report_pdf_escapes_every_hostile_text(poisoned):
    with Session(get_engine(get_settings().database_url)) as s:
        report = build_report(s, QUARTER, "cabinet", today=DEMO_AS_OF)
    document = report_html(report)
    assert "Households in temporary accommodation &lt;script&gt;alert(1)&lt;/script&gt;" in (
        document
    )
    assert "<script" not in document
    assert "<img src=x" not in document


# --- SQL metacharacters are stored and found as text ---------------------------------------


def test_sql_metacharacters_are_stored_as_the_same_text(poisoned):
    with Session(get_engine(get_settings().database_url)) as s:
        theme = get_theme_by_name(session=s, name=HOSTILE_THEME)
        assert theme is not None
        measure = get_measure_by_code(session=s, code=CODE)
        assert measure is not None
        assert (measure.name, measure.definition) == (HOSTILE_NAME, PAYLOAD)
        obs = s.exec(
            select(Observation).where(
                Observation.measure_id == measure.id, Observation.period == "2025-10"
            )
        ).one()
        assert (obs.commentary, obs.action_note) == (PAYLOAD, PAYLOAD)
        assert len(s.exec(select(Measure)).all()) == 37  # the measure table is still there


def test_the_audit_log_search_finds_sql_metacharacters_as_text(poisoned):
    with Session(get_engine(get_settings().database_url)) as s:
        admin = _actor(s, "demo.admin")
        found = search_audit(session=s, actor=admin, query=AuditQuery(text=SQL))
        assert [(e.entity, e.entity_id) for e in found] == [("target", f"{CODE} 2026-03")]
        for needle in ("100%", "of_the", "'; DROP"):
            hits = search_audit(session=s, actor=admin, query=AuditQuery(text=needle))
            assert [e.entity for e in hits] == ["target"], needle


def test_percent_and_underscore_in_an_audit_search_are_not_wildcards(poisoned):
    with Session(get_engine(get_settings().database_url)) as s:
        admin = _actor(s, "demo.admin")
        assert search_audit(session=s, actor=admin, query=AuditQuery(text="_")) != []
        assert search_audit(session=s, actor=admin, query=AuditQuery(text="0%o")) == []
        assert search_audit(session=s, actor=admin, query=AuditQuery(text="of%plan")) == []


def test_vital_signs_filters_by_a_theme_name_with_a_quote(poisoned):
    at = open_page(
        "vital_signs.py",
        username="demo.executive",
        query={"theme": HOSTILE_THEME, "level": "all", "view": "details"},
    )
    assert not at.exception
    tables = [df.value for df in at.dataframe if {"Theme", "Code"} <= set(df.value.columns)]
    assert tables, "the details table is shown"
    assert set(tables[0]["Theme"]) == {HOSTILE_THEME}
    assert CODE in set(tables[0]["Code"])


# --- the escaping helper ---------------------------------------------------------------


def test_plain_escapes_markdown_and_html_and_leaves_ordinary_words_alone():
    assert plain("<b>x</b>") == "\\<b\\>x\\</b\\>"
    assert plain("[a](javascript:x)") == "\\[a\\](javascript:x)"
    assert plain("![i](http://e/x.png)") == "!\\[i\\](http://e/x.png)"
    assert plain("**bold** _it_ `code` ~~gone~~") == (
        "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~gone\\~\\~"
    )
    assert plain("$x$ and :red[y] a | b &amp;") == "\\$x\\$ and :red\\[y\\] a \\| b \\&amp;"
    assert plain("# Head\n- item\n  + sub\n1. one\n12) two") == (
        "\\# Head\n\\- item\n  \\+ sub\n1\\. one\n12\\) two"
    )
    assert plain("Long-term empty homes: 2.5% (HOU-03), 1. in 10") == (
        "Long-term empty homes: 2.5% (HOU-03), 1. in 10"
    )
    assert plain(None) == ""
    assert plain(float("nan")) == ""


def test_plain_shows_every_bidirectional_control_as_a_visible_marker():
    assert plain("photo\u202egnp.exe") == "photo\\[U+202E\\]gnp.exe"
    assert visible("photo\u202egnp.exe") == "photo[U+202E]gnp.exe"
    assert visible("a\u202ab\u202bc\u202cd\u202de") == "a[U+202A]b[U+202B]c[U+202C]d[U+202D]e"
    assert visible("\u2066x\u2067y\u2068z\u2069") == "[U+2066]x[U+2067]y[U+2068]z[U+2069]"
    assert visible("\u200eL\u200fR\u061cA") == "[U+200E]L[U+200F]R[U+061C]A"
    assert visible("Zoë Ní Bhriain, عمر") == "Zoë Ní Bhriain, عمر"
    assert visible(None) == ""


def test_a_tables_text_cells_show_bidirectional_controls_and_keep_numbers():
    frame = pd.DataFrame({"name": ["photo\u202egnp.exe", None], "value": [1.5, 2.0]})
    shown = visible_frame(frame)
    assert shown["name"][0] == "photo[U+202E]gnp.exe"
    assert pd.isna(shown["name"][1])
    assert shown["value"].tolist() == [1.5, 2.0]
    assert frame["name"][0] == "photo\u202egnp.exe"  # the input is not changed


def test_a_table_marks_controls_in_any_text_column_and_leaves_clean_ones_alone():
    frame = pd.DataFrame(
        {
            "code": ["HOU-01", "HOU-02"],
            "owner": ["Ann", "\u2067Bob\u2069"],
            "note": pd.Series(["fine", None], dtype="string"),
        }
    )
    shown = visible_frame(frame)
    assert shown["code"].tolist() == ["HOU-01", "HOU-02"]
    assert shown["owner"].tolist() == ["Ann", "[U+2067]Bob[U+2069]"]
    assert shown["note"].tolist()[0] == "fine"
    assert str(shown["note"].dtype) == "string"
    assert frame["owner"][1] == "\u2067Bob\u2069"


# --- meeting mode and check-ins ------------------------------------------------------------


def test_a_meeting_note_with_hostile_text_is_shown_as_typed(poisoned):
    at = open_page("meeting.py", username="demo.executive")
    next(b for b in at.button if b.label == "Start or resume the meeting").click().run()
    at.radio[0].set_value("challenge")
    at.text_area[0].input(PAYLOAD)
    at.text_input[1].input(PAYLOAD)  # a challenge has an owner
    next(b for b in at.button if b.label == "Save decision").click().run()
    assert not at.exception
    assert f"**Challenge**: {PAYLOAD}" in _shown_as_text(at)
    assert _interpreted(at) == []


def test_a_check_in_objective_with_hostile_text_is_shown_as_typed(poisoned):
    with Session(get_engine(get_settings().database_url), expire_on_commit=False) as s:
        staff_actor = _actor(s, "demo.staff")
        staff = s.exec(select(Staff).where(Staff.user_id == staff_actor.id)).one()
        assert staff.id is not None
        create_objective(
            session=s,
            actor=staff_actor,
            objective=Objective(staff_id=staff.id, financial_year="2025/26", text=PAYLOAD),
        )
        s.commit()
    at = open_page("check_ins.py", username="demo.staff")
    assert not at.exception
    assert PAYLOAD in _shown_as_text(at) or any(
        PAYLOAD in str(df.value.to_dict()) for df in at.dataframe
    )
    assert _interpreted(at) == []


def test_a_hostile_user_name_is_shown_as_typed_on_home_and_in_the_sidebar(poisoned):
    with Session(get_engine(get_settings().database_url)) as s:
        admin = _actor(s, "demo.admin")
        member = get_user_by_username(session=s, username="demo.member")
        assert member is not None and member.id is not None
        update_user(
            session=s,
            actor=admin,
            user_id=member.id,
            user_in=UserUpdate(name=f"Pat {IMG} {MD_IMAGE}"),
        )
        s.commit()
    at = open_page("home.py", username="demo.member")
    assert not at.exception
    shown = _shown_as_text(at)
    assert f"Welcome, Pat {IMG} {MD_IMAGE}" in shown
    assert f"Signed in as **Pat {IMG} {MD_IMAGE}**" in shown
    assert _interpreted(at) == []


def test_a_hostile_comparator_group_name_is_shown_as_typed_on_benchmarking(poisoned):
    hostile = f"CIPFA {IMG} {MD_IMAGE} *neighbours*"
    with Session(get_engine(get_settings().database_url)) as s:
        admin = _actor(s, "demo.admin")
        (group,) = list_comparator_groups(session=s)
        assert group.id is not None
        update_comparator_group(
            session=s,
            actor=admin,
            group_id=group.id,
            group_in=ComparatorGroupBase(
                name=hostile,
                own_area_code=group.own_area_code,
                own_area_name=group.own_area_name,
                source=group.source,
                description=group.description,
            ),
        )
        s.commit()
    for username, query in (("demo.admin", {}), ("demo.executive", {"measure": "FIN-01"})):
        at = open_page("benchmarking.py", username=username, query=query)
        assert not at.exception
        assert _interpreted(at) == []
        shown = _shown_as_text(at)
        assert f"in the bottom quartile of {hostile}:" in shown
    assert f"ranked 15 of 15 in {hostile} (bottom quartile)" in shown


# --- the meeting screen shows commentary and updates as typed -----------------------------

RLO = "\u202e"
LEAD_TEXT = (
    "Read [the plan](https://evil.example/login) and ![x](http://evil.example/x.png) "
    f"then open photo{RLO}gnp.exe"
)
LEAD_TEXT_SHOWN = (
    "Read [the plan](https://evil.example/login) and ![x](http://evil.example/x.png) "
    "then open photo[U+202E]gnp.exe"
)
MEETING_ACTION = "DP-01"  # red or overdue on the demo council's agenda


def _meeting_at(item_key: str) -> str:
    """A meeting for 2025-10 (all measures) standing at ``item_key``; its id."""
    from dashboard.exporting.reports.minutes import meeting_agenda
    from dashboard.store.meetings import open_meeting, set_current_item

    with Session(get_engine(get_settings().database_url), expire_on_commit=False) as s:
        executive = _actor(s, "demo.executive")
        keys = [i.key for i in meeting_agenda(s, "2025-10", "all", DEMO_AS_OF)]
        meeting = open_meeting(
            session=s, actor=executive, period="2025-10", scope="all", held_on=DEMO_AS_OF
        )
        assert meeting.id is not None
        set_current_item(
            session=s, actor=executive, meeting_id=meeting.id, index=keys.index(item_key)
        )
        s.commit()
        return str(meeting.id)


def _no_bidi_control(at) -> None:
    from dashboard.ui.widgets import BIDI_CONTROLS

    for kind, body in _bodies(at):
        assert not set(body) & set(BIDI_CONTROLS), (kind, body[:120])


def test_the_meeting_screen_shows_a_measures_commentary_and_action_note_as_typed(app_env):
    with Session(get_engine(get_settings().database_url), expire_on_commit=False) as s:
        lead = _actor(s, "demo.lead")
        measure = get_measure_by_code(session=s, code=CODE)
        assert measure is not None and measure.id is not None
        upsert_observation(
            session=s,
            actor=lead,
            measure=measure,
            observation_in=ObservationCreate(
                measure_id=measure.id,
                period="2025-10",
                period_start=date(2025, 10, 1),
                value=2500,
                commentary=LEAD_TEXT,
                action_note=LEAD_TEXT,
            ),
            submit=True,
        )
        s.commit()
    at = open_page(
        "meeting.py", username="demo.executive", query={"meeting": _meeting_at(f"measure:{CODE}")}
    )
    assert "Sorry, something went wrong" not in texts(at)
    assert f"{CODE}: " in _shown_as_text(at)
    assert _interpreted(at) == []
    _no_bidi_control(at)
    shown = [_unescape(body) for _, body in _bodies(at)]
    assert shown.count(LEAD_TEXT_SHOWN) == 2  # the commentary and what is being done


def test_the_meeting_screen_shows_an_actions_latest_update_as_typed(app_env):
    with Session(get_engine(get_settings().database_url), expire_on_commit=False) as s:
        lead = _actor(s, "demo.admin")
        action = get_action_by_code(session=s, code=MEETING_ACTION)
        assert action is not None and action.id is not None
        update_action(
            update_date=app_today(),
            session=s,
            actor=lead,
            action_id=action.id,
            update_in=ActionUpdateIn(commentary=LEAD_TEXT),
        )
        s.commit()
    at = open_page(
        "meeting.py",
        username="demo.executive",
        query={"meeting": _meeting_at(f"action:{MEETING_ACTION}")},
    )
    assert "Sorry, something went wrong" not in texts(at)
    assert _interpreted(at) == []
    _no_bidi_control(at)
    assert LEAD_TEXT_SHOWN in [_unescape(body) for _, body in _bodies(at)]


# --- names an administrator sets reach Markdown and Plotly as text ------------------------

HTML_NAME = '<a href="https://evil.example/login">Evil</a> <b>Borough</b>'
HTML_NAME_ESCAPED = "&lt;a href=&quot;https://evil.example/login&quot;&gt;Evil&lt;/a&gt; "


def test_a_department_name_with_markup_is_shown_as_typed_on_the_action_page(app_env):
    from dashboard.store.models import Action, Department
    from dashboard.store.structure import rename_department

    with Session(get_engine(get_settings().database_url), expire_on_commit=False) as s:
        admin = _actor(s, "demo.admin")
        theirs = [
            (a.code, d)
            for a, d in s.exec(
                select(Action, Department).where(Action.department_id == Department.id)
            ).all()
            if d.name not in ("Housing", "Customer Services")  # not the demo lead's
        ]
        code, department = theirs[0]
        assert department.id is not None
        rename_department(
            session=s, actor=admin, department_id=department.id, name=f"Planning {HTML_NAME}"
        )
        s.commit()
    at = open_page("action.py", username="demo.lead", query={"code": code})
    assert "Sorry, something went wrong" not in texts(at)
    assert _interpreted(at) == []
    assert (
        f"Only the leads for Planning {HTML_NAME} and administrators can update this action."
        in _shown_as_text(at)
    )


def test_comparator_member_names_with_markup_are_escaped_in_the_benchmarking_charts(app_env):
    from dashboard.store.benchmarks import group_members, set_group_members

    with Session(get_engine(get_settings().database_url), expire_on_commit=False) as s:
        admin = _actor(s, "demo.admin")
        (group,) = list_comparator_groups(session=s)
        assert group.id is not None
        members = [
            (m.area_code, m.area_name if m.area_code == group.own_area_code else HTML_NAME)
            for m in group_members(session=s, group_id=group.id)
        ]
        set_group_members(session=s, actor=admin, group_id=group.id, members=members)
        s.commit()
    at = open_page("benchmarking.py", username="demo.executive", query={"measure": "FIN-01"})
    assert "Sorry, something went wrong" not in texts(at)
    assert _interpreted(at) == []
    specs = [_spec_text(chart) for chart in at.get("plotly_chart")]
    assert len(specs) == 2, "the ranked bar chart and the chart over time"
    ranked = specs[0]
    assert HTML_NAME_ESCAPED in ranked  # tick labels and hover text
    for spec in specs:
        assert "<a " not in spec and "<b>" not in spec


# --- every page, every Markdown-reading place: labels, options, metrics, tabs ---------------

WORDS = f"{IMG} [login](https://evil.example/login) {MD_IMAGE} *x* photo{RLO}gnp.exe"


@pytest.fixture
def poisoned_everywhere(poisoned: str) -> str:
    """The poisoned council, plus hostile words (with a right-to-left override) in a
    department's name, a member council's name, a staff member's name and job title, a
    proposed measure's rationale and an objective."""
    import sqlalchemy as sa

    from dashboard.store.benchmarks import group_members, set_group_members
    from dashboard.store.models import Department, MeasureCreate
    from dashboard.store.register import propose_measure
    from dashboard.store.structure import rename_department

    with Session(get_engine(get_settings().database_url), expire_on_commit=False) as s:
        admin, lead = _actor(s, "demo.admin"), _actor(s, "demo.lead")
        housing = s.exec(select(Department).where(Department.name == "Housing")).one()
        assert housing.id is not None
        rename_department(session=s, actor=admin, department_id=housing.id, name=f"Housing {WORDS}")
        (group,) = list_comparator_groups(session=s)
        assert group.id is not None
        members = [
            (m.area_code, m.area_name if m.area_code == group.own_area_code else WORDS)
            for m in group_members(session=s, group_id=group.id)
        ]
        set_group_members(session=s, actor=admin, group_id=group.id, members=members)
        theme = get_theme_by_name(session=s, name=HOSTILE_THEME)
        assert theme is not None and theme.id is not None
        propose_measure(
            session=s,
            actor=lead,
            measure_in=MeasureCreate(
                code="HOU-99",
                name=f"Proposed {WORDS}",
                theme_id=theme.id,
                department_id=housing.id,
                frequency="monthly",
                polarity="lower_is_better",
                unit="count",
                ytd_method="sum",
                rationale=WORDS,
                data_source=WORDS,
                baseline=WORDS,
                proposed_target=WORDS,
                lifecycle="proposed",
            ),
        )
        staff_actor = _actor(s, "demo.staff")
        staff = s.exec(select(Staff).where(Staff.user_id == staff_actor.id)).one()
        assert staff.id is not None
        create_objective(
            session=s,
            actor=staff_actor,
            objective=Objective(staff_id=staff.id, financial_year="2025/26", text=WORDS),
        )
        s.commit()
        s.exec(
            sa.update(Staff)
            .where(Staff.id == staff.id)
            .values(name=f"Chris {WORDS}", job_title=WORDS)
        )
        s.commit()
    return poisoned


def _labels(at) -> list[tuple[str, str]]:
    """Every label, option, metric and tab text the page gives Streamlit's Markdown."""
    out: list[tuple[str, str]] = []
    for kind in (
        "button", "checkbox", "toggle", "radio", "selectbox", "multiselect", "text_input",
        "text_area", "date_input", "number_input", "segmented_control", "download_button",
    ):  # fmt: skip
        for el in at.get(kind):
            out.append((f"{kind} label", str(getattr(el.proto, "label", ""))))
    for el in at.get("radio"):
        out += [("radio option", str(o)) for o in el.proto.options]
    for el in at.get("metric"):
        out += [("metric label", str(el.proto.label)), ("metric value", str(el.proto.body))]
    out += [("tab", str(el.proto.label)) for el in at.get("tab")]
    return out


def _options(at) -> list[tuple[str, str]]:
    """Select box options: plain text, not Markdown (only bidi controls matter there)."""
    return [
        (kind, str(o)) for kind in ("selectbox", "multiselect") for el in at.get(kind)
        for o in el.proto.options
    ]  # fmt: skip


EVERY_PAGE = [
    pytest.param("home.py", "demo.lead", {}, id="home"),
    pytest.param("vital_signs.py", "demo.executive", {"level": "all"}, id="vital signs"),
    pytest.param("measure.py", "demo.lead", {"code": CODE}, id="measure"),
    pytest.param("upload.py", "demo.lead", {}, id="upload"),
    pytest.param("actions.py", "demo.admin", {}, id="actions"),
    pytest.param("action.py", "demo.member", {"code": ACTION}, id="action"),
    pytest.param("benchmarking.py", "demo.admin", {"measure": "FIN-01"}, id="benchmarking"),
    pytest.param("check_ins.py", "demo.admin", {}, id="check-ins admin"),
    pytest.param("check_ins.py", "demo.lead", {}, id="check-ins manager"),
    pytest.param("check_ins.py", "demo.staff", {}, id="check-ins staff"),
    pytest.param("reports.py", "demo.admin", {}, id="reports"),
    pytest.param("meeting.py", "demo.executive", {}, id="meeting"),
    pytest.param("admin.py", "demo.admin", {}, id="admin"),
    pytest.param("portal.py", None, {}, id="portal"),
]


@pytest.mark.parametrize(("script", "username", "query"), EVERY_PAGE)
def test_hostile_words_reach_no_markdown_label_or_option_as_markup(
    poisoned_everywhere, script, username, query
):
    from dashboard.ui.widgets import BIDI_CONTROLS

    at = open_page(script, username=username, query=query)
    assert "Sorry, something went wrong" not in texts(at)
    markdown = _bodies(at) + _labels(at)
    found = [
        (kind, what, body[:100])
        for kind, body in markdown
        for what, pattern in INTERPRETED.items()
        if pattern.search(body)
    ]
    assert found == []
    controls = [
        (kind, body[:100])
        for kind, body in markdown + _options(at)
        if set(body) & set(BIDI_CONTROLS)
    ]
    assert controls == []
    read_only = 0  # an editable table keeps the stored text, so saving changes nothing
    shown = [f.value for f in at.dataframe if f.proto.editing_mode == read_only]
    for frame in shown + [t.value for t in at.table]:
        cells = [str(c) for c in frame.to_numpy().ravel().tolist()]
        assert not [c for c in cells if set(c) & set(BIDI_CONTROLS)], script
