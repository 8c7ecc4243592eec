"""The drafted narrative: each sentence, worked out by hand."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from core.narrative import (
    NO_COMMENTARY,
    NarrativeFacts,
    draft_narrative,
    facts_from_row,
    format_value,
)

PLANNING = NarrativeFacts(
    name="Major planning applications decided in time",
    period="2025-09",
    value=65.9,
    target=94.7,
    rag="red",
    unit="percent",
    decimals=1,
    ytd_actual=67.876,
    ytd_target=94.7,
    ytd_rag="red",
    movement="decreasing",
    judgement="worsening",
    comparison_period="2025-08",
    comparison_value=68.1,
    variation="special_cause_concern",
    assurance="consistent_fail",
    data_status="submitted",
    commentary="Two planning officers left in July.",
    action_note="Agency cover starts in October.",
)


def test_a_red_exception_reads_value_ytd_direction_spc_and_commentary_in_order():
    assert draft_narrative(PLANNING) == (
        "In 2025-09, Major planning applications decided in time was 65.9% against a target "
        "of 94.7%: off target (worse than the tolerance allows). "
        "Year to date it stands at 67.9% against 94.7% (off target). "
        "It has decreased since 2025-08 (68.1%), which is worse. "
        "The SPC chart shows special-cause concern: a change beyond normal variation, in the "
        "wrong direction. Unless the process changes, the target will consistently be missed. "
        "The officer's commentary: “Two planning officers left in July.” "
        "What is being done: “Agency cover starts in October.”"
    )


def test_an_amber_value_says_within_tolerance_and_an_improvement():
    facts = NarrativeFacts(
        name="Household waste recycled",
        period="2025-09",
        value=44.5,
        target=43.1,
        rag="amber",
        unit="percent",
        decimals=1,
        movement="decreasing",
        judgement="improving",
        comparison_period="2025-08",
        comparison_value=46.6,
        variation="common_cause",
        assurance="inconsistent",
    )
    assert draft_narrative(facts) == (
        "In 2025-09, Household waste recycled was 44.5% against a target of 43.1%: just off "
        "target (worse than target but within tolerance). "
        "It has decreased since 2025-08 (46.6%), an improvement. "
        "The SPC chart shows common-cause variation only: no significant change. " + NO_COMMENTARY
    )


def test_late_data_says_the_figure_was_not_submitted_and_gives_the_year_to_date():
    facts = NarrativeFacts(
        name="Homes delivered",
        period="2025/26 Q2",
        value=None,
        target=38.0,
        rag="no_data",
        ytd_actual=37.0,
        ytd_target=38.0,
        ytd_rag="amber",
        data_status="late",
    )
    assert draft_narrative(facts) == (
        "The figure for 2025/26 Q2 had not been submitted by the deadline. "
        "Year to date it stands at 37 against 38 (just off target). " + NO_COMMENTARY
    )


def test_no_target_and_no_change_and_special_cause_improvement():
    facts = NarrativeFacts(
        name="Complaints",
        period="2025-10",
        value=12.0,
        target=None,
        rag="no_target",
        movement="no_change",
        judgement="no_change",
        comparison_period="2025-09",
        comparison_value=12.0,
        variation="special_cause_improvement",
        assurance="consistent_pass",
        commentary="Stable.",
    )
    assert draft_narrative(facts) == (
        "In 2025-10, Complaints was 12; no target is set. "
        "It is unchanged since 2025-09 (12). "
        "The SPC chart shows special-cause improvement: a change beyond normal variation, in "
        "the right direction. On current performance the target will consistently be met. "
        "The officer's commentary: “Stable.”"
    )


def test_a_value_with_no_figure_and_not_late_says_there_is_none_yet():
    facts = NarrativeFacts(name="X", period="2025-10", value=None, target=5.0, rag="no_value")
    assert draft_narrative(facts).startswith("There is no figure for 2025-10 yet.")


def test_a_commentary_beginning_with_equals_is_quoted_as_written():
    facts = NarrativeFacts(
        name="X", period="2025-10", value=1.0, target=1.0, rag="green", commentary="=1+1"
    )
    assert draft_narrative(facts) == (
        "In 2025-10, X was 1 against a target of 1: on target. The officer's commentary: “=1+1”"
    )


def test_values_are_formatted_by_unit_decimals_and_scale():
    assert format_value(74241.0, "currency", 0, "GBP thousand") == "£74,241 (GBP thousand)"
    assert format_value(-5.5, "currency", 1) == "-£5.5"
    assert format_value(1.0, "days") == "1 day"
    assert format_value(2.25, "days", 1) == "2.2 days"
    assert format_value(0.866, "rate", 2) == "0.87"
    assert format_value(2856.0, "count") == "2,856"
    assert format_value(None, "percent", 1) == "no value"
    assert format_value(65.9, "percent", 1, "%") == "65.9%"
    assert format_value(3.0, "days", 0, "days") == "3 days"


def test_facts_from_a_scorecard_row_treat_nan_as_missing():
    row = {
        "name": "Homes",
        "period": "2025/26 Q2",
        "value": math.nan,
        "target": 38.0,
        "rag": "no_data",
        "decimals": 0,
        "unit": "count",
        "ytd_actual": 37.0,
        "ytd_target": 38.0,
        "ytd_rag": "amber",
        "commentary": None,
        "variation": None,
        "data_status": "late",
    }
    facts = facts_from_row(row)
    assert facts.value is None
    assert facts.commentary == ""
    assert facts.variation is None
    assert facts.movement == "unknown"
    assert row["value"] != row["value"]  # input unchanged (still NaN)


@given(
    value=st.one_of(st.none(), st.floats(-1e9, 1e9)),
    target=st.one_of(st.none(), st.floats(-1e9, 1e9)),
    rag=st.sampled_from(["green", "amber", "red", "no_target", "no_data", "no_value", ""]),
    movement=st.sampled_from(["increasing", "decreasing", "no_change", "unknown"]),
    commentary=st.text(max_size=40),
)
def test_every_draft_is_a_non_empty_paragraph_ending_in_a_full_stop_or_quote(
    value, target, rag, movement, commentary
):
    facts = NarrativeFacts(
        name="M",
        period="2025-10",
        value=value,
        target=target,
        rag=rag,
        movement=movement,
        comparison_period="2025-09",
        commentary=commentary.strip(),
    )
    text = draft_narrative(facts)
    assert text
    assert text.endswith((".", "”"))
    assert "None" not in text.replace(commentary.strip(), "")
