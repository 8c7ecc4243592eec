"""The meeting agenda: which items, and in what order."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from core.agenda import AGENDA_GROUPS, build_agenda, item_key


def measure(code, *, rag="green", ytd_rag="green", variation="common_cause",
            assurance="inconsistent", exception=True, theme="T1", department="D1"):  # fmt: skip
    return {
        "code": code,
        "name": f"Measure {code}",
        "theme": theme,
        "department": department,
        "exception": exception,
        "rag": rag,
        "ytd_rag": ytd_rag,
        "variation": variation,
        "assurance": assurance,
        "exception_reasons": ["reason"],
    }


@dataclass
class Action:
    code: str
    status: str
    flags: tuple[str, ...] = ()
    title: str = "An action"
    theme: str = "T1"
    department: str = "D1"
    reasons: tuple[str, ...] = ()


def test_red_before_amber_before_concern_before_late_data_before_actions():
    rows = [
        measure("LATE", rag="no_data"),
        measure("CONCERN", variation="special_cause_concern"),
        measure("AMBER", rag="amber"),
        measure("RED", rag="red"),
    ]
    actions = [Action("DP-2", "amber", ("overdue",)), Action("DP-1", "red")]
    agenda = build_agenda(rows, actions)
    assert [i.code for i in agenda] == ["RED", "AMBER", "CONCERN", "LATE", "DP-1", "DP-2"]
    assert [i.group for i in agenda] == [
        "off_target", "just_off_target", "spc_concern", "late_data", "action", "action",
    ]  # fmt: skip


def test_a_red_year_to_date_counts_as_off_target_even_when_the_month_is_amber():
    agenda = build_agenda([measure("A", rag="amber", ytd_rag="red")])
    assert agenda[0].group == "off_target"
    assert agenda[0].heading == "Off target"


def test_a_consistently_failing_target_is_a_concern():
    agenda = build_agenda([measure("F", rag="no_data", assurance="consistent_fail")])
    assert agenda[0].group == "spc_concern"


def test_rows_that_are_not_exceptions_are_left_out():
    assert build_agenda([measure("OK", exception=False)]) == []


def test_only_red_or_overdue_actions_are_on_the_agenda():
    actions = [
        Action("A", "amber", ("slipping",)),
        Action("B", "green", ("overdue",)),
        Action("C", "red"),
        Action("D", "amber"),
    ]
    assert [i.code for i in build_agenda([], actions)] == ["C", "B"]


def test_actions_may_be_mappings():
    agenda = build_agenda([], [{"code": "X", "status": "red", "title": "Do it", "flags": []}])
    assert agenda[0].key == "action:X"
    assert agenda[0].title == "Do it"


def test_within_a_group_the_given_order_is_kept():
    rows = [measure("B", rag="red"), measure("A", rag="red"), measure("C", rag="red")]
    assert [i.code for i in build_agenda(rows)] == ["B", "A", "C"]


def test_scope_by_theme_and_department_applies_to_measures_and_actions():
    rows = [measure("A", rag="red", theme="T1"), measure("B", rag="red", theme="T2",
            department="D2")]  # fmt: skip
    actions = [Action("X", "red", theme="T2", department="D2"), Action("Y", "red")]
    assert [i.code for i in build_agenda(rows, actions, theme="T2")] == ["B", "X"]
    assert [i.code for i in build_agenda(rows, actions, department="D1")] == ["A", "Y"]


def test_item_keys_name_the_kind_and_code():
    assert item_key("action", "DP-01") == "action:DP-01"
    assert build_agenda([measure("HOU-01", rag="red")])[0].key == "measure:HOU-01"


def test_every_group_has_a_heading():
    assert list(AGENDA_GROUPS) == [
        "challenge", "off_target", "just_off_target", "spc_concern", "late_data", "action",
    ]  # fmt: skip


RAGS = st.sampled_from(["green", "amber", "red", "no_data", "no_target"])


@given(st.lists(st.tuples(RAGS, RAGS, st.booleans()), max_size=12), st.randoms())
def test_the_agenda_does_not_depend_on_more_than_group_and_given_order(specs, rnd):
    rows = [measure(f"M{i}", rag=r, ytd_rag=y, exception=e) for i, (r, y, e) in enumerate(specs)]
    snapshot = [dict(r) for r in rows]
    agenda = build_agenda(rows)
    assert rows == snapshot
    assert len(agenda) == sum(1 for _r, _y, e in specs if e)
    ranks = [list(AGENDA_GROUPS).index(i.group) for i in agenda]
    assert ranks == sorted(ranks)
