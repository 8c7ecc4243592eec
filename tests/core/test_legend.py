"""The symbol legend: every status has an icon, a word and a colour."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import pytest

import core.legend
from core.errors import CoreError
from core.forecast import LIKELY_CHANCE, UNLIKELY_CHANCE
from core.legend import (
    ACTION_STATUS_SYMBOLS,
    ASSURANCE_SYMBOLS,
    DATA_STATUS_SYMBOLS,
    DIRECTION_SYMBOLS,
    DRAFT_FIGURES,
    LEGEND,
    OUTLOOK_SYMBOLS,
    POINT_TYPE_SYMBOLS,
    RAG_SYMBOLS,
    Symbol,
    action_status_symbol,
    assurance_symbol,
    change_symbol,
    data_status_symbol,
    judgement_symbol,
    label,
    outlook_symbol,
    point_type_symbol,
    rag_symbol,
    status_symbols,
    symbol_of,
)
from core.status import direction
from core.vocab import (
    ActionStatus,
    Assurance,
    DataStatus,
    Movement,
    Outlook,
    PointType,
    Polarity,
    Rag,
)

GROUPS: dict[str, Mapping[Any, Symbol]] = {
    "rag": RAG_SYMBOLS,
    "data": DATA_STATUS_SYMBOLS,
    "action": ACTION_STATUS_SYMBOLS,
    "point": POINT_TYPE_SYMBOLS,
    "assurance": ASSURANCE_SYMBOLS,
    "outlook": OUTLOOK_SYMBOLS,
}
AA_TEXT_CONTRAST = 4.5
HEX_COLOUR = re.compile(r"#[0-9A-F]{6}")


def contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio of `colour` against white."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


# Coverage and shape ---


@pytest.mark.parametrize(
    ("table", "vocabulary"),
    [
        (RAG_SYMBOLS, Rag),
        (DATA_STATUS_SYMBOLS, DataStatus),
        (ACTION_STATUS_SYMBOLS, ActionStatus),
        (POINT_TYPE_SYMBOLS, PointType),
        (ASSURANCE_SYMBOLS, Assurance),
        (OUTLOOK_SYMBOLS, Outlook),
    ],
)
def test_every_member_of_each_vocabulary_has_a_symbol(table: object, vocabulary: type) -> None:
    assert set(table) == set(vocabulary)  # type: ignore[call-overload]


@pytest.mark.parametrize("group", list(GROUPS))
def test_within_a_group_icons_and_words_are_all_different(group: str) -> None:
    symbols = list(GROUPS[group].values())
    assert len({s.icon for s in symbols}) == len(symbols)
    assert len({s.word for s in symbols}) == len(symbols)


def test_direction_icons_differ_by_movement() -> None:
    icons: dict[Movement, set[str]] = {movement: set() for movement in Movement}
    for (movement, _), symbol in DIRECTION_SYMBOLS.items():
        icons[movement].add(symbol.icon)
    assert all(len(found) == 1 for found in icons.values())
    assert len(set().union(*icons.values())) == len(Movement)


def all_symbols() -> list[Symbol]:
    found = [s for table in GROUPS.values() for s in table.values()]
    return [*found, DRAFT_FIGURES, *DIRECTION_SYMBOLS.values()]


@pytest.mark.parametrize("symbol", all_symbols(), ids=lambda s: s.word)
def test_every_symbol_has_an_icon_word_colour_and_description(symbol: Symbol) -> None:
    assert symbol.icon.strip() and symbol.word.strip() and symbol.description.strip()
    assert HEX_COLOUR.fullmatch(symbol.colour)
    assert symbol.word[0].isupper()


@pytest.mark.parametrize("symbol", all_symbols(), ids=lambda s: s.word)
def test_icons_are_text_characters_not_emoji(symbol: Symbol) -> None:
    for character in symbol.icon:
        # Emoji-presentation pictographs (U+1F000 and up, U+23E9-U+23FA) ignore colour.
        assert ord(character) < 0x1F000
        assert not 0x23E9 <= ord(character) <= 0x23FA
        assert unicodedata.category(character) != "Cn"


def non_spc_symbols() -> list[Symbol]:
    return list(status_symbols())


@pytest.mark.parametrize("symbol", non_spc_symbols(), ids=lambda s: s.word)
def test_status_colours_meet_aa_contrast_as_text_on_white(symbol: Symbol) -> None:
    assert contrast_on_white(symbol.colour) >= AA_TEXT_CONTRAST


def test_spc_words_use_making_data_count_hues_darkened_to_aa_text() -> None:
    # Making Data Count's grey, blue and orange, each dark enough to read as text.
    assert point_type_symbol(PointType.common_cause).colour == "#5F6363"
    assert point_type_symbol(PointType.special_cause_improvement).colour == "#1D70B8"
    assert point_type_symbol(PointType.special_cause_concern).colour == "#B84A00"
    assert point_type_symbol(PointType.special_cause_neutral_high).colour == "#361475"
    assert point_type_symbol(PointType.special_cause_neutral_low).colour == "#361475"
    assert assurance_symbol(Assurance.consistent_fail).colour == "#B84A00"


def test_contrast_helper_matches_known_ratios() -> None:
    assert contrast_on_white("#000000") == pytest.approx(21.0)
    assert contrast_on_white("#FFFFFF") == pytest.approx(1.0)


# The words ---


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (Rag.green, "✔ On target"),
        (Rag.amber, "▲ Just off target"),
        (Rag.red, "✖ Off target"),
        (Rag.no_target, "◇ No target"),
        (Rag.no_value, "○ No value"),
        (Rag.not_applicable, "□ Not applicable"),
        (Rag.not_due, "– Not due"),
        (Rag.no_data, "! Late"),
    ],
)
def test_rag_labels(status: Rag, text: str) -> None:
    assert label(rag_symbol(status)) == text
    assert label(rag_symbol(status.value)) == text


def test_rag_colours_are_green_amber_red_and_grey() -> None:
    assert rag_symbol("green").colour == "#00703C"
    assert rag_symbol("amber").colour == "#B35C00"
    assert rag_symbol("red").colour == "#D4351C"
    assert rag_symbol("no_target").colour == "#505A5F"


def test_late_data_is_never_shown_as_red() -> None:
    assert data_status_symbol("late").colour != rag_symbol("red").colour
    assert rag_symbol("no_data").colour != rag_symbol("red").colour


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (DataStatus.not_due, "– Not due"),
        (DataStatus.awaiting, "… Awaiting"),
        (DataStatus.late, "! Late"),
        (DataStatus.submitted, "◈ Submitted"),
    ],
)
def test_data_status_labels(status: DataStatus, text: str) -> None:
    assert label(data_status_symbol(status)) == text


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (ActionStatus.red, "⚑ Needs intervention"),
        (ActionStatus.amber, "✎ Needs adjustment"),
        (ActionStatus.green, "➤ On track"),
        (ActionStatus.completed, "★ Completed"),
        (ActionStatus.not_started, "◌ Not started"),
        (ActionStatus.ongoing, "∞ Ongoing"),
        (ActionStatus.not_relevant, "n/r Not relevant"),
        (ActionStatus.missing, "∅ Missing information"),
    ],
)
def test_action_status_labels_follow_the_legend(status: ActionStatus, text: str) -> None:
    assert label(action_status_symbol(status)) == text


def test_action_descriptions_carry_the_legends_meaning() -> None:
    assert "without intervention" in action_status_symbol("red").description
    assert action_status_symbol("not_started").description == (
        "The start date for the action is in the future"
    )


@pytest.mark.parametrize(
    ("assurance", "text"),
    [
        (Assurance.consistent_pass, "P Consistently passing"),
        (Assurance.consistent_fail, "F Consistently failing"),
        (Assurance.inconsistent, "? Hit and miss"),
    ],
)
def test_assurance_labels(assurance: Assurance, text: str) -> None:
    assert label(assurance_symbol(assurance)) == text


@pytest.mark.parametrize(
    ("point_type", "text"),
    [
        (PointType.common_cause, "● Common cause"),
        (PointType.special_cause_improvement, "◆ Improvement"),
        (PointType.special_cause_concern, "■ Concern"),
        (PointType.special_cause_neutral_high, "H Unusually high"),
        (PointType.special_cause_neutral_low, "L Unusually low"),
    ],
)
def test_point_type_labels(point_type: PointType, text: str) -> None:
    assert label(point_type_symbol(point_type)) == text


# Direction of change ---


@pytest.mark.parametrize(
    ("movement", "judgement", "polarity", "text", "description"),
    [
        (
            "increasing",
            "worsening",
            "lower_is_better",
            "↑ Worsening",
            "Value increasing (smaller is better)",
        ),
        (
            "decreasing",
            "improving",
            "lower_is_better",
            "↓ Improving",
            "Value decreasing (smaller is better)",
        ),
        (
            "increasing",
            "improving",
            "higher_is_better",
            "↑ Improving",
            "Value increasing (bigger is better)",
        ),
        (
            "decreasing",
            "worsening",
            "higher_is_better",
            "↓ Worsening",
            "Value decreasing (bigger is better)",
        ),
        ("no_change", "no_change", "higher_is_better", "→ No change", "No change"),
        ("no_change", "no_change", "lower_is_better", "→ No change", "No change"),
        (
            "increasing",
            "not_applicable",
            "neutral",
            "↑ Increasing",
            "Value increasing (neither way is better)",
        ),
        (
            "decreasing",
            "not_applicable",
            "neutral",
            "↓ Decreasing",
            "Value decreasing (neither way is better)",
        ),
        (
            "no_change",
            "not_applicable",
            "neutral",
            "→ No change",
            "No change (neither way is better)",
        ),
        (
            "unknown",
            "not_applicable",
            "higher_is_better",
            "· No comparison",
            "No earlier value to compare with",
        ),
    ],
)
def test_direction_arrows_follow_the_legend(
    movement: str, judgement: str, polarity: str, text: str, description: str
) -> None:
    symbol = judgement_symbol(movement, judgement, polarity)
    assert (label(symbol), symbol.description) == (text, description)


def test_improving_is_green_and_worsening_red_but_the_word_says_so_too() -> None:
    improving = judgement_symbol("increasing", "improving", "higher_is_better")
    worsening = judgement_symbol("increasing", "worsening", "lower_is_better")
    assert (improving.colour, worsening.colour) == ("#00703C", "#D4351C")
    assert improving.icon == worsening.icon
    assert improving.word != worsening.word


@pytest.mark.parametrize(
    ("movement", "judgement", "polarity"),
    [
        ("increasing", "improving", "lower_is_better"),
        ("decreasing", "improving", "higher_is_better"),
        ("increasing", "improving", "neutral"),
        ("no_change", "improving", "higher_is_better"),
        ("unknown", "worsening", "lower_is_better"),
    ],
)
def test_a_judgement_that_contradicts_the_movement_raises(
    movement: str, judgement: str, polarity: str
) -> None:
    with pytest.raises(CoreError):
        judgement_symbol(movement, judgement, polarity)


def test_contradiction_message_is_plain_english() -> None:
    with pytest.raises(CoreError) as raised:
        judgement_symbol("increasing", "improving", "lower_is_better")
    assert str(raised.value) == (
        "A value that is increasing with polarity lower_is_better is worsening, not improving."
    )


@pytest.mark.parametrize("polarity", list(Polarity))
@pytest.mark.parametrize(("current", "previous"), [(12, 10), (8, 10), (10, 10), (None, 10)])
def test_every_change_from_direction_has_a_symbol(
    polarity: Polarity, current: float | None, previous: float
) -> None:
    change = direction(current, previous, polarity=polarity)
    symbol = change_symbol(change, polarity)
    assert symbol is DIRECTION_SYMBOLS[(change.movement, change.judgement)]


def test_change_symbol_for_a_rise_where_smaller_is_better() -> None:
    change = direction(12, 10, polarity="lower_is_better")
    assert label(change_symbol(change, "lower_is_better")) == "↑ Worsening"


# Unknown values and the legend key ---


@pytest.mark.parametrize(
    ("function", "value"),
    [
        (rag_symbol, "purple"),
        (data_status_symbol, "lost"),
        (action_status_symbol, "blocked"),
        (point_type_symbol, "outlier"),
        (assurance_symbol, "maybe"),
        (outlook_symbol, "hopeful"),
    ],
)
def test_unknown_statuses_raise_core_errors(function: object, value: str) -> None:
    with pytest.raises(CoreError, match=f"There is no symbol for .* '{value}'"):
        function(value)  # type: ignore[operator]


def test_unknown_direction_raises() -> None:
    with pytest.raises(CoreError, match="There is no symbol for the direction"):
        judgement_symbol("sideways", "improving", "higher_is_better")


def test_legend_key_has_each_group_in_order() -> None:
    assert list(LEGEND) == [
        "Performance",
        "Direction of change",
        "Data",
        "Actions",
        "SPC variation",
        "SPC assurance",
        "Year end",
    ]
    assert [s.description for s in LEGEND["Direction of change"]] == [
        "Value increasing (smaller is better)",
        "Value decreasing (smaller is better)",
        "Value increasing (bigger is better)",
        "Value decreasing (bigger is better)",
        "No change",
        "Value increasing (neither way is better)",
        "Value decreasing (neither way is better)",
        "No earlier value to compare with",
    ]
    assert LEGEND["Performance"][0] is rag_symbol("green")
    assert len(LEGEND["Actions"]) == 8


def test_mappings_and_symbols_are_read_only() -> None:
    with pytest.raises(TypeError):
        RAG_SYMBOLS[Rag.green] = rag_symbol("red")  # type: ignore[index]
    with pytest.raises(AttributeError):
        rag_symbol("green").word = "Fine"  # type: ignore[misc]


def test_a_draft_figure_reads_draft_not_submitted_and_is_in_the_data_key() -> None:
    assert label(data_status_symbol("submitted", draft=True)) == "◐ Draft"
    assert label(data_status_symbol("submitted")) == "◈ Submitted"
    # Only a stored figure can be a draft: the deadline words are unchanged by it.
    assert label(data_status_symbol("late", draft=True)) == "! Late"
    assert [s.word for s in LEGEND["Data"]] == [
        "Not due",
        "Awaiting",
        "Late",
        "Submitted",
        "Draft",
    ]


# The year-end forecast's outlook ---


@pytest.mark.parametrize(
    ("outlook", "text", "colour"),
    [
        (Outlook.likely, "◎ Likely", "#00703C"),
        (Outlook.at_risk, "≈ At risk", "#B35C00"),
        (Outlook.unlikely, "⊘ Unlikely", "#D4351C"),
        (Outlook.too_early, "◷ Too early", "#505A5F"),
        (Outlook.met, "◉ Target met", "#00703C"),
        (Outlook.missed, "⊗ Target missed", "#D4351C"),
        (Outlook.no_target, "◇ No target", "#505A5F"),
        (Outlook.not_applicable, "□ Not applicable", "#505A5F"),
    ],
)
def test_outlook_labels_and_colours(outlook: Outlook, text: str, colour: str) -> None:
    assert label(outlook_symbol(outlook)) == text
    assert label(outlook_symbol(outlook.value)) == text
    assert outlook_symbol(outlook).colour == colour


def every_legend_symbol() -> list[tuple[str, Symbol]]:
    """Every symbol `core.legend` defines, named by the mapping (or constant) it is in."""
    found = []
    for name, value in vars(core.legend).items():
        if isinstance(value, Symbol):
            found.append((name, value))
        elif isinstance(value, Mapping) and name not in ("LEGEND", "BY_LABEL"):
            found += [(name, s) for s in value.values() if isinstance(s, Symbol)]
    return found


def test_the_outlooks_own_icons_mean_nothing_else_anywhere_in_the_legend() -> None:
    others = {s.icon: name for name, s in every_legend_symbol() if name != "OUTLOOK_SYMBOLS"}
    shared = {Outlook.no_target, Outlook.not_applicable}
    own = [s.icon for o, s in OUTLOOK_SYMBOLS.items() if o not in shared]
    assert len(others) > 20  # the scan found the other keys
    assert [icon for icon in own if icon in others] == []


def test_no_target_and_not_applicable_are_the_performance_keys_own_symbols() -> None:
    assert outlook_symbol("no_target") is rag_symbol("no_target")
    assert outlook_symbol("not_applicable") is rag_symbol("not_applicable")


def test_the_outlook_descriptions_give_the_forecasts_thresholds() -> None:
    likely, unlikely = f"{LIKELY_CHANCE:.0%}", f"{UNLIKELY_CHANCE:.0%}"
    assert f"{likely} or more" in outlook_symbol("likely").description
    assert f"between {unlikely} and {likely}" in outlook_symbol("at_risk").description
    assert f"{unlikely} or less" in outlook_symbol("unlikely").description


# One status language ---


def test_no_symbol_stands_for_two_meanings_across_the_whole_key() -> None:
    # Direction arrows show only which way the value moved (the word judges it), so
    # one arrow may carry several words; every other icon has exactly one word.
    seen: dict[str, str] = {}
    arrows = {s.icon for s in DIRECTION_SYMBOLS.values()}
    for symbol in status_symbols():
        if symbol.icon in arrows:
            continue
        assert seen.setdefault(symbol.icon, symbol.word) == symbol.word, symbol.icon
    assert len(seen) > 30


def test_each_word_has_one_icon_and_one_colour() -> None:
    seen: dict[str, tuple[str, str]] = {}
    for symbol in status_symbols():
        if symbol.icon in {s.icon for s in DIRECTION_SYMBOLS.values()}:
            continue
        found = seen.setdefault(symbol.word, (symbol.icon, symbol.colour))
        assert found == (symbol.icon, symbol.colour), symbol.word


def test_late_is_one_word_whether_the_status_or_the_deadline_says_it() -> None:
    assert rag_symbol("no_data") is data_status_symbol("late")
    assert label(rag_symbol("no_data")) == "! Late"
    words = [s.word for s in status_symbols()]
    assert "No data" not in words and "Late data" not in words


def test_a_cells_text_finds_its_symbol_and_colour() -> None:
    assert symbol_of("✖ Off target") is rag_symbol("red")
    assert symbol_of("! Late (Oct 2026)") is data_status_symbol("late")
    assert symbol_of("■ Concern").colour == "#B84A00"  # type: ignore[union-attr]
    assert symbol_of("Housing") is None


def test_check_in_and_benchmark_symbols_never_reuse_a_status_icon_for_another_meaning() -> None:
    from core.benchmark import QUARTILE_SYMBOLS, TREND_SYMBOLS
    from core.checkins import CHECKIN_STATE_SYMBOLS, PROGRESS_SYMBOLS

    # An icon the status key uses may appear elsewhere only with the key's own word
    # (an objective "➤ On track" is an action's "On track"); direction arrows included.
    key = {s.icon: s.word for s in status_symbols()}
    others = [
        *CHECKIN_STATE_SYMBOLS.values(),
        *PROGRESS_SYMBOLS.values(),
        *QUARTILE_SYMBOLS.values(),
        *TREND_SYMBOLS.values(),
    ]
    for symbol in others:
        assert key.get(symbol.icon, symbol.word) == symbol.word, label(symbol)
    # ...and within those sets, one icon per word.
    seen: dict[str, str] = {}
    for symbol in others:
        assert seen.setdefault(symbol.icon, symbol.word) == symbol.word, label(symbol)
    assert [label(s) for s in QUARTILE_SYMBOLS.values()] == [
        "❶ Top quartile",
        "❷ Second quartile",
        "❸ Third quartile",
        "❹ Bottom quartile",
        "⌀ No quartile",
    ]


def test_the_agenda_heads_late_items_with_the_one_word_late() -> None:
    from core.agenda import AGENDA_GROUPS

    assert AGENDA_GROUPS["late_data"] == "Late"
    assert label(rag_symbol("no_data")) == f"! {AGENDA_GROUPS['late_data']}"
