"""Data assurance: a value outside its usual range is judged against the history before
the new figures (a fixed baseline), says how many points that rests on, and needs
confirming before it can be submitted (drafts may be saved without).

HOU-01 holds 18 steady months to 2025-09 (48 to 52, mean 50; moving ranges sum to 34 over
17, a mean of 2), so its usual range is 50 -/+ 2.66 x 2 = 44.68 to 55.32. Its 2025-10
target is 50 (higher is better), so 400 is green and needs no commentary.
"""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard.store.models import Measure, Observation
from tests.importing.conftest import messages, write_csv

NOTE_400 = (
    "Check this value: 400 is outside the usual range for HOU-01 (44.68 to 55.32, from the "
    "18 figures before 2025-10). If it is right, confirm it (the confirm column, or the tick "
    "on the Upload page) and say why in the commentary: it cannot be submitted until it is "
    "confirmed."
)


def stored(world, period: str) -> Observation | None:
    with Session(world.engine) as s:
        m = s.exec(select(Measure).where(Measure.code == "HOU-01")).one()
        return s.exec(
            select(Observation).where(Observation.measure_id == m.id, Observation.period == period)
        ).first()


def load(world, tmp_path, text: str, **options):
    return world.run(write_csv(tmp_path / "f.csv", text), **options)


def notes(result) -> list[tuple[int, str, str, str]]:
    return [
        (p.row, p.column, p.message, p.severity.value)
        for p in result.checked.problems
        if p.message.startswith("Check this value")
    ]


def test_the_usual_range_comes_from_the_history_before_the_new_figure(world, tmp_path):
    result = load(world, tmp_path, "code,period,value\nHOU-01,2025-10,400\n")
    assert notes(result) == [(2, "value", NOTE_400, "note")]
    assert result.committed  # a draft needs no confirmation
    assert stored(world, "2025-10").status == "draft"


def test_every_new_figure_is_judged_against_the_history_before_the_first_of_them(world, tmp_path):
    # 2025-09 changes, so the baseline is the 17 months before it: mean 850/17 = 50, mean
    # moving range 33/16 = 2.0625, limits 50 -/+ 5.48625 = 44.51 to 55.49; 55.5 is outside.
    result = load(world, tmp_path, "code,period,value\nHOU-01,2025-09,52\nHOU-01,2025-10,55.5\n")
    assert notes(result) == [
        (
            3,
            "value",
            "Check this value: 55.5 is outside the usual range for HOU-01 (44.51 to 55.49, "
            "from the 17 figures before 2025-09). If it is right, confirm it (the confirm "
            "column, or the tick on the Upload page) and say why in the commentary: it cannot "
            "be submitted until it is confirmed.",
            "note",
        )
    ]


def test_submitting_an_unusual_value_without_confirming_it_is_refused(world, tmp_path):
    result = load(world, tmp_path, "code,period,value\nHOU-01,2025-10,400\n", submit=True)
    assert messages(result) == [(2, "value", NOTE_400)]
    assert not result.committed
    assert stored(world, "2025-10") is None


def test_a_confirm_column_saying_yes_lets_it_be_submitted(world, tmp_path):
    text = "code,period,value,commentary,confirm\nHOU-01,2025-10,400,New estate handed over,yes\n"
    result = load(world, tmp_path, text, submit=True)
    assert messages(result) == []
    assert notes(result) == [(2, "value", NOTE_400, "note")]
    assert result.committed
    assert (stored(world, "2025-10").value, stored(world, "2025-10").status) == (
        400.0,
        "submitted",
    )


def test_the_pages_tick_confirms_it_too(world, tmp_path):
    result = load(
        world,
        tmp_path,
        "code,period,value\nHOU-01,2025-10,400\n",
        submit=True,
        confirmed=frozenset({("HOU-01", "2025-10")}),
    )
    assert messages(result) == []
    assert result.committed


def test_a_value_inside_the_usual_range_needs_no_confirmation(world, tmp_path):
    result = load(world, tmp_path, "code,period,value\nHOU-01,2025-10,55\n", submit=True)
    assert notes(result) == []
    assert result.committed
