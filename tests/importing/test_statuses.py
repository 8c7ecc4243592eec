"""A figure's status always says what it is: a draft save that changes a submitted figure
leaves it a draft, and it is submitted again only through the submit checks."""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard.store.models import AuditLog, Measure, Observation
from tests.importing.conftest import messages, warnings, write_csv

HEADER = "code,period,value,commentary\n"


def stored(world, code: str, period: str) -> Observation:
    with Session(world.engine) as s:
        m = s.exec(select(Measure).where(Measure.code == code)).one()
        return s.exec(
            select(Observation).where(Observation.measure_id == m.id, Observation.period == period)
        ).one()


def load(world, tmp_path, body: str, **options):
    return world.run(write_csv(tmp_path / "f.csv", HEADER + body), **options)


def test_a_draft_change_to_a_submitted_figure_leaves_it_a_draft(world, tmp_path):
    # HOU-01's October target is 50 (higher is better, 10% tolerance): 52 is green.
    first = load(world, tmp_path, "HOU-01,2025-10,52,\n", submit=True)
    assert first.committed
    assert stored(world, "HOU-01", "2025-10").status == "submitted"

    # 40 is red with no commentary: a warning on a draft, and the figure is a draft again.
    second = load(world, tmp_path, "HOU-01,2025-10,40,\n")
    assert second.committed
    assert messages(second) == []
    assert (
        2,
        "commentary",
        "HOU-01 2025-10 is red (40 against a target of 50): add commentary saying what is "
        "being done.",
    ) in warnings(second)
    obs = stored(world, "HOU-01", "2025-10")
    assert (obs.value, obs.status, obs.submitted_at) == (40.0, "draft", None)
    preview = second.checked.preview[["field", "old", "new"]].values.tolist()
    assert preview == [["value", "52", "40"], ["status", "submitted", "draft"]]
    with Session(world.engine) as s:
        entry = s.exec(
            select(AuditLog)
            .where(AuditLog.entity_id == "HOU-01 2025-10", AuditLog.entity == "observation")
            .order_by(AuditLog.id.desc())  # type: ignore[union-attr]
        ).first()
    assert (entry.before["status"], entry.after["status"]) == ("submitted", "draft")


def test_a_draft_that_changes_nothing_leaves_a_submitted_figure_submitted(world, tmp_path):
    assert load(world, tmp_path, "HOU-01,2025-10,52,\n", submit=True).committed
    again = load(world, tmp_path, "HOU-01,2025-10,52,\n")
    assert not again.committed
    assert stored(world, "HOU-01", "2025-10").status == "submitted"


def test_the_draft_is_submitted_again_only_with_its_commentary(world, tmp_path):
    assert load(world, tmp_path, "HOU-01,2025-10,52,\n", submit=True).committed
    assert load(world, tmp_path, "HOU-01,2025-10,40,\n").committed
    refused = load(world, tmp_path, "HOU-01,2025-10,40,\n", submit=True)
    assert not refused.committed
    assert [m[:2] for m in messages(refused)] == [(2, "commentary")]
    assert stored(world, "HOU-01", "2025-10").status == "draft"
    body = "HOU-01,2025-10,40,Two staff off sick; agency cover\n"
    done = load(world, tmp_path, body, submit=True)
    assert done.committed
    obs = stored(world, "HOU-01", "2025-10")
    assert obs.status == "submitted"
    assert obs.submitted_at is not None
