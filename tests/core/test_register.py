"""core.register: the Appendix C checklist, the lifecycle and the measure field rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import CoreError
from core.register import (
    CHECKLIST,
    CHECKLIST_GROUPS,
    ActivationFields,
    MeasureFields,
    RegisterError,
    activation_problems,
    check_activation,
    check_transition,
    checklist_complete,
    checklist_problems,
    measure_field_problems,
    next_lifecycles,
    normalise_code,
    proposed_target_value,
)

ALL_YES = {q.key: "yes" for q in CHECKLIST}


def fields(**overrides: object) -> MeasureFields:
    base: dict[str, object] = {
        "code": "HOU-01",
        "name": "Homes delivered",
        "polarity": "higher_is_better",
        "unit": "count",
        "ytd_method": "sum",
    }
    base.update(overrides)
    return MeasureFields(**base)  # type: ignore[arg-type]


def test_the_checklist_has_the_twelve_appendix_c_questions_in_four_groups_in_order():
    assert len(CHECKLIST) == 12
    assert CHECKLIST_GROUPS == ("Measure", "Data", "Balance", "Presentation")
    assert [q.group for q in CHECKLIST] == ["Measure"] * 3 + ["Data"] * 4 + ["Balance"] * 2 + [
        "Presentation"
    ] * 3
    assert (
        CHECKLIST[0].text == "Does the measure measure a relevant priority, strategy, or outcome?"
    )
    assert CHECKLIST[-1].text == "If used, is the target appropriate and not likely to cause bias?"
    assert len({q.key for q in CHECKLIST}) == 12


def test_all_yes_is_complete():
    assert checklist_complete(ALL_YES)
    assert checklist_problems(ALL_YES) == []


def test_an_empty_checklist_lists_every_question_as_not_answered():
    problems = checklist_problems({})
    assert len(problems) == 12
    assert all(p.startswith("Not answered: ") for p in problems)


def test_a_blank_answer_counts_as_not_answered():
    answers = {**ALL_YES, "recent": ""}
    assert checklist_problems(answers) == ["Not answered: Is the data sufficiently recent?"]


def test_no_to_a_required_question_fails_the_checklist():
    answers = {**ALL_YES, "reliable_source": "no"}
    assert checklist_problems(answers) == ["Answered no: Is the data source reliable?"]


def test_no_comparator_is_an_acceptable_answer():
    assert checklist_complete({**ALL_YES, "comparator": "no"})


def test_no_target_with_target_appropriate_not_applicable_passes():
    assert checklist_complete(
        {**ALL_YES, "target_used": "no", "target_appropriate": "not_applicable"}
    )


def test_a_target_used_needs_an_answer_on_whether_it_is_appropriate():
    problems = checklist_problems({**ALL_YES, "target_appropriate": "not_applicable"})
    assert problems == ["A target is used, so say whether it is appropriate and free of bias."]


def test_no_target_but_target_judged_appropriate_is_contradictory():
    problems = checklist_problems({**ALL_YES, "target_used": "no"})
    assert problems == ["No target is used, so 'is the target appropriate' is not applicable."]


def test_not_applicable_is_refused_where_the_question_always_applies():
    problems = checklist_problems({**ALL_YES, "recent": "not_applicable"})
    assert problems == ["Cannot be 'not applicable': Is the data sufficiently recent?"]


def test_time_series_may_be_not_applicable():
    assert checklist_complete({**ALL_YES, "time_series": "not_applicable"})


def test_an_unknown_answer_word_is_named():
    problems = checklist_problems({**ALL_YES, "recent": "maybe"})
    assert problems == [
        "'maybe' is not an answer (yes, no or not applicable): Is the data sufficiently recent?"
    ]


def test_unknown_question_keys_are_named():
    assert checklist_problems({**ALL_YES, "colour": "yes"}) == [
        "Unknown checklist questions: colour"
    ]


def test_the_checklist_input_is_not_changed():
    answers = dict(ALL_YES)
    checklist_problems(answers)
    assert answers == ALL_YES


@given(
    st.dictionaries(
        st.sampled_from([q.key for q in CHECKLIST]),
        st.sampled_from(["yes", "no", "not_applicable", ""]),
    )
)
def test_complete_means_every_question_is_answered(answers):
    if checklist_complete(answers):
        assert set(answers) == {q.key for q in CHECKLIST}
        assert all(v for v in answers.values())


def test_lifecycle_moves_forward_only():
    assert next_lifecycles("proposed") == {"active", "retired"}
    assert next_lifecycles("active") == {"retired"}
    assert next_lifecycles("retired") == frozenset()


def test_activation_without_a_complete_checklist_is_refused():
    with pytest.raises(RegisterError, match="checklist must be complete"):
        check_transition("proposed", "active", {**ALL_YES, "recent": ""})


def test_activation_with_a_complete_checklist_is_allowed():
    check_transition("proposed", "active", ALL_YES)


def test_a_long_list_of_checklist_problems_is_summarised():
    with pytest.raises(RegisterError, match=r"\(and 9 more\)"):
        check_transition("proposed", "active", {})


def test_a_retired_measure_cannot_come_back():
    with pytest.raises(RegisterError, match="A retired measure cannot become active."):
        check_transition("retired", "active", ALL_YES)


def test_an_active_measure_cannot_go_back_to_proposed():
    with pytest.raises(RegisterError, match="A active measure cannot become proposed."):
        check_transition("active", "proposed", ALL_YES)


def test_retiring_needs_no_checklist():
    check_transition("active", "retired", {})
    check_transition("proposed", "retired", {})


def test_register_errors_are_core_errors_and_value_errors():
    assert issubclass(RegisterError, CoreError)
    assert issubclass(RegisterError, ValueError)


def test_codes_are_stored_trimmed_in_capitals():
    assert normalise_code("  cs-105 ") == "CS-105"


@pytest.mark.parametrize("code", ["HOU-01", "hou-01", "CS-105", "ENVIRO-9999"])
def test_good_codes_pass(code):
    assert measure_field_problems(fields(code=code)) == []


@pytest.mark.parametrize(
    "code", ["HOU01", "H-01", "HOUSING-01", "HOU-1", "HOU-12345", "", "HOU-0A"]
)
def test_bad_codes_are_named(code):
    assert measure_field_problems(fields(code=code)) == [
        f"The code '{code}' should look like HOU-01: 2 to 6 letters, a hyphen, 2 to 4 digits."
    ]


def test_a_blank_name_is_refused():
    assert measure_field_problems(fields(name="  ")) == ["A measure needs a name."]


def test_ratio_method_needs_a_percent_rate_or_ratio_unit():
    assert measure_field_problems(fields(ytd_method="ratio", unit="days")) == [
        "The ratio year-to-date method needs a percent, rate or ratio unit, not days."
    ]
    for unit in ("percent", "rate", "ratio"):
        assert measure_field_problems(fields(ytd_method="ratio", unit=unit)) == []


def test_percentages_cannot_be_summed():
    assert measure_field_problems(fields(ytd_method="sum", unit="percent")) == [
        "Percentages cannot be added up: use the ratio, mean or latest year-to-date method."
    ]


def test_unknown_vocabulary_is_named_with_the_allowed_words():
    problems = measure_field_problems(fields(polarity="up"))
    assert problems == [
        "'up' is not a polarity (use one of: higher_is_better, lower_is_better, neutral)."
    ]


def test_neutral_measures_have_no_target_and_no_tolerance():
    problems = measure_field_problems(
        fields(polarity="neutral", has_target=True, tolerance_kind="absolute", tolerance=2.0)
    )
    assert problems == [
        "A neutral (contextual) measure has no good direction, so no target.",
        "A neutral (contextual) measure has no target, so no tolerance.",
    ]


def test_tolerance_only_with_a_target():
    assert measure_field_problems(fields(tolerance_kind="absolute", tolerance=2.0)) == [
        "A tolerance only makes sense with a target: set a target first."
    ]
    assert (
        measure_field_problems(fields(tolerance_kind="absolute", tolerance=2.0, has_target=True))
        == []
    )


def test_a_tolerance_needs_kind_and_size_and_cannot_be_negative():
    assert measure_field_problems(fields(tolerance=2.0, has_target=True)) == [
        "A tolerance needs both a kind (absolute or relative) and a size."
    ]
    assert measure_field_problems(
        fields(tolerance_kind="relative", tolerance=-1.0, has_target=True)
    ) == ["A tolerance cannot be negative."]
    assert measure_field_problems(
        fields(tolerance_kind="sideways", tolerance=1.0, has_target=True)
    ) == ["'sideways' is not a tolerance kind (absolute or relative)."]


@pytest.mark.parametrize(("decimals", "ok"), [(-1, False), (0, True), (6, True), (7, False)])
def test_decimals_between_zero_and_six(decimals, ok):
    assert (measure_field_problems(fields(decimals=decimals)) == []) is ok


def test_an_annual_total_is_spread_evenly_over_twelve_months():
    from core.register import profile_annual_target

    assert profile_annual_target(1200, "sum", 12) == [100.0] * 12


def test_an_annual_total_follows_the_profile_weights():
    from core.register import profile_annual_target

    assert profile_annual_target(100, "sum", 4, [1, 2, 3, 4]) == [10.0, 20.0, 30.0, 40.0]


def test_a_level_target_applies_to_every_period():
    from core.register import profile_annual_target

    assert profile_annual_target(92.5, "mean", 3) == [92.5, 92.5, 92.5]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((100, "sum", 0, None), "at least one period"),
        ((100, "sum", 4, [1, 1]), "needs 4 weights, one per period, not 2"),
        ((100, "sum", 2, [0, 0]), "not all zero"),
        ((100, "sum", 2, [-1, 2]), "zero or more"),
        ((100, "latest", 2, [1, 1]), "a profile only splits totals"),
    ],
)
def test_bad_profiles_are_refused_with_a_reason(args, message):
    from core.register import profile_annual_target

    with pytest.raises(RegisterError, match=message):
        profile_annual_target(*args)


# --- what activation needs ---------------------------------------------------------


def activation(**overrides: object) -> ActivationFields:
    base: dict[str, object] = {
        "code": "HOU-04",
        "level": "kpm",
        "polarity": "lower_is_better",
        "owner": "Pat Jones",
        "tolerance_kind": "relative",
        "tolerance": 10.0,
        "has_target": True,
    }
    base.update(overrides)
    return ActivationFields(**base)  # type: ignore[arg-type]


def test_a_complete_kpm_or_management_measure_may_become_active():
    assert activation_problems(activation()) == []
    assert activation_problems(activation(level="management")) == []
    check_activation(activation())


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"owner": "  "}, ["owner"]),
        ({"tolerance": None}, ["tolerance"]),
        ({"tolerance_kind": None}, ["tolerance"]),
        ({"has_target": False}, ["target"]),
        ({"owner": "", "tolerance": None, "has_target": False}, ["owner", "tolerance", "target"]),
    ],
)
def test_a_kpm_lacking_an_owner_tolerance_or_target_names_what_is_missing(overrides, missing):
    assert activation_problems(activation(**overrides)) == missing


def test_the_refusal_says_what_the_level_needs_and_what_is_missing():
    with pytest.raises(RegisterError) as refused:
        check_activation(activation(level="management", owner="", has_target=False))
    assert str(refused.value) == (
        "HOU-04 cannot become active: it is a management measure, which needs an owner, a "
        "tolerance and a target. It has no owner and no target."
    )


def test_a_neutral_kpm_needs_an_owner_but_no_target_or_tolerance():
    neutral = activation(polarity="neutral", tolerance_kind=None, tolerance=None, has_target=False)
    assert activation_problems(neutral) == []
    assert activation_problems(activation(polarity="neutral", owner="")) == ["owner"]


@pytest.mark.parametrize("level", ["service", "contextual"])
def test_service_and_contextual_measures_need_none_of_them(level):
    bare = activation(level=level, owner="", tolerance=None, has_target=False)
    assert activation_problems(bare) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("150", 150.0),
        (" 1,200 ", 1200.0),
        ("85%", 85.0),
        ("85.5 %", 85.5),
        ("£50", 50.0),
        ("-2", -2.0),
        (".5", 0.5),
        ("", None),
        (None, None),
        ("150 a year", None),
        ("more than last year", None),
        ("1.2.3", None),
    ],
)
def test_a_proposed_target_is_carried_over_only_when_it_is_a_number(text, value):
    assert proposed_target_value(text) == value
