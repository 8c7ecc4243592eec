"""A ratio measure's value and its numerator and denominator never disagree: a new value
for a figure stored with its parts needs its new parts, and a value given with parts must
be the value they make. HOU-02 is a percent measure whose year to date is a ratio."""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard.store.models import Measure, Observation
from tests.importing.conftest import messages, write_csv, write_xlsx

HEADER = "code,period,value,numerator,denominator\n"


def parts(world, period: str = "2025-09") -> tuple[float | None, float | None, float | None]:
    with Session(world.engine) as s:
        m = s.exec(select(Measure).where(Measure.code == "HOU-02")).one()
        o = s.exec(
            select(Observation).where(Observation.measure_id == m.id, Observation.period == period)
        ).one()
        return o.value, o.numerator, o.denominator


def load(world, tmp_path, body: str, **options):
    return world.run(write_csv(tmp_path / "f.csv", HEADER + body), **options)


def stored_72(world, tmp_path) -> None:
    # 14.4 of 20 is 72%.
    assert load(world, tmp_path, "HOU-02,2025-09,,14.4,20\n").committed
    assert parts(world) == (72.0, 14.4, 20.0)


def test_a_new_value_without_its_parts_is_refused_and_the_stored_figure_kept(world, tmp_path):
    stored_72(world, tmp_path)
    result = load(world, tmp_path, "HOU-02,2025-09,85,,\n")
    assert messages(result) == [
        (
            2,
            "numerator",
            "HOU-02 2025-09 is worked out from its numerator and denominator (stored: 14.4 / "
            "20 = 72): give the numerator and denominator that make 85, or only them and the "
            "value is worked out.",
        )
    ]
    assert not result.committed
    assert parts(world) == (72.0, 14.4, 20.0)


def test_a_percent_cell_revision_without_its_parts_is_refused_too(world, tmp_path):
    stored_72(world, tmp_path)
    path = write_xlsx(
        tmp_path / "f.xlsx",
        {"Data": [["code", "period", "value"], ["HOU-02", "2025-09", 0.85]]},
        percent_cells={("Data", 1, 2)},
    )
    result = world.run(path)
    assert [(r, c) for r, c, _ in messages(result)] == [(2, "numerator")]
    assert parts(world) == (72.0, 14.4, 20.0)


def test_a_new_value_with_its_new_parts_replaces_all_three(world, tmp_path):
    stored_72(world, tmp_path)
    result = load(world, tmp_path, "HOU-02,2025-09,85,17,20\n")
    assert messages(result) == []
    assert result.committed
    assert parts(world) == (85.0, 17.0, 20.0)


def test_new_parts_alone_recompute_the_value(world, tmp_path):
    stored_72(world, tmp_path)
    assert load(world, tmp_path, "HOU-02,2025-09,,17,20\n").committed
    assert parts(world) == (85.0, 17.0, 20.0)


def test_a_value_that_its_parts_do_not_make_is_refused(world, tmp_path):
    result = load(world, tmp_path, "HOU-02,2025-09,85,14.4,20\n")
    assert messages(result) == [
        (
            2,
            "value",
            "The value (85) is not what the numerator and denominator make (14.4 / 20 = 72): "
            "give the value they make, or leave the value blank and it is worked out.",
        )
    ]
    assert not result.committed


def test_a_value_that_rounds_to_what_its_parts_make_is_accepted(world, tmp_path):
    # 103 / 150 = 68.666...%, shown as 69 with no decimals.
    result = load(world, tmp_path, "HOU-02,2025-09,69,103,150\n")
    assert messages(result) == []
    assert result.committed
    assert parts(world) == (69.0, 103.0, 150.0)
