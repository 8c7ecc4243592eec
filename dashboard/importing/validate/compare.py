"""Comparing a file with what is stored: what each value adds or changes, with the stored
state each update was planned from."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from core.vocab import (
    ObservationStatus,
    YtdMethod,
)
from dashboard.importing.validate.checker import Checker, fmt
from dashboard.importing.validate.items import FLOAT_FIELDS, Items
from dashboard.importing.validate.plan import (
    GUARD_KEY,
    OBS_FIELDS,
    OBS_GUARD,
    PREVIEW_COLUMNS,
)
from dashboard.store.db import Session
from dashboard.store.imports import measures as stored


def _frame(rows: list[tuple[Any, ...]], columns: dict[str, str]) -> pd.DataFrame:
    """Fetched rows as a frame, each column built straight from the driver's values:
    ``columns`` maps a name to ``int``, ``float`` (None as NaN), ``text`` (None as "")
    or ``object``."""
    cells = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    data: dict[str, Any] = {}
    for (name, kind), values in zip(columns.items(), cells, strict=True):
        if kind == "int":
            data[name] = np.array(values, dtype="int64")
        elif kind == "float":
            data[name] = np.array(values, dtype=float)  # None becomes NaN
        else:
            column = np.empty(len(values), dtype=object)
            column[:] = values
            if kind == "text":
                column[pd.isna(column)] = ""
            data[name] = pd.Series(column, dtype=object)
    return pd.DataFrame(data)


def stored_frames(session: Session, measure_ids: set[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stored figures and targets of these measures as frames (one query each)."""
    obs = _frame(
        stored.stored_figures(session=session, measure_ids=measure_ids),
        {
            "s_id": "int",
            "mid": "int",
            "label": "object",
            "s_value": "float",
            "s_numerator": "float",
            "s_denominator": "float",
            "s_commentary": "text",
            "s_action_note": "text",
            "s_status": "object",
        },
    )
    targets = _frame(
        stored.stored_targets(session=session, measure_ids=measure_ids),
        {"t_id": "int", "mid": "int", "label": "object", "t_value": "float"},
    )
    return obs, targets


def rebase_points(session: Session, measure_ids: list[int]) -> dict[int, set[str]]:
    return stored.rebase_periods(session=session, measure_ids=measure_ids)


def _close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.abs(a - b) <= 1e-9 * np.maximum(1.0, np.abs(b))


def _none(v: Any) -> Any:
    return None if isinstance(v, float) and v != v else v


def diff(
    ck: Checker, items: Items, stored_obs: pd.DataFrame, stored_targets: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Plan what changes; returns which items add or change a value, and which items the
    submit rules judge (those, and stored drafts this submission makes submitted).

    The masks are worked out column-wise; the loops below touch only the rows that change
    something, and build plain tuples and dicts (no per-row function calls). Each update
    carries the stored state it was planned from (``OBS_GUARD``), so the write changes a
    row only if it still holds what the check read."""
    plan = ck.plan
    frame = items.frame
    n = len(frame)
    value_new = np.zeros(n, dtype=bool)
    judged = value_new
    if n == 0:
        return value_new, judged
    new_status = (ObservationStatus.submitted if ck.submit else ObservationStatus.draft).value
    merged = frame[["mid", "label"]].merge(stored_obs, on=["mid", "label"], how="left")
    merged = merged.merge(stored_targets, on=["mid", "label"], how="left")
    assert len(merged) == n  # (measure, period) is unique in the store
    given = {f: frame[f].notna().to_numpy() for f in FLOAT_FIELDS}
    for f in ("commentary", "action_note"):
        given[f] = (frame[f] != "").to_numpy()
    any_given = np.logical_or.reduce(list(given.values()))
    has_stored = merged["s_id"].notna().to_numpy()
    same = has_stored.copy()
    for f in FLOAT_FIELDS:
        new, old = frame[f].to_numpy(), merged[f"s_{f}"].to_numpy()
        same &= ~given[f] | (~np.isnan(old) & _close(old, new))
    for f in ("commentary", "action_note"):
        same &= ~given[f] | (frame[f].to_numpy() == merged[f"s_{f}"].to_numpy())
    if ck.submit:
        same &= (merged["s_status"] != ObservationStatus.draft).to_numpy()
    obs_todo = any_given & ~same
    target = frame["target"].to_numpy()
    t_old = merged["t_value"].to_numpy()
    target_todo = ~np.isnan(target) & ~(~np.isnan(t_old) & _close(t_old, target))
    if not (obs_todo.any() or target_todo.any()):
        return value_new, judged
    judged = np.zeros(n, dtype=bool)
    codes = ck.codes_by_id()
    by_id = ck.measures_by_id()
    dept_of = {m.id: m.department_id for m in ck.by_code.values()}
    plan.period_starts = {label: p.start for label, p in items.periods.items()}
    rows = frame["row"].tolist()
    mids = frame["mid"].tolist()
    labels = frame["label"].tolist()
    # Preview lines as (item, part, row, code, period, field, old, new, outcome): sorted
    # by item at the end, the target before the figures of the same row.
    preview: list[tuple[Any, ...]] = []
    preview_parts: list[pd.DataFrame] = []
    added: set[int] = set()
    changed: set[int] = set()
    touched: set[int] = set()

    t_idx = np.flatnonzero(target_todo)
    t_is_new = np.isnan(t_old[t_idx])
    t_new = t_idx[t_is_new]
    t_changed = t_idx[~t_is_new].tolist()
    target_list = target.tolist()
    if len(t_new):
        # New targets (often a whole year ahead for every measure) stay as columns.
        new_rows = frame.iloc[t_new]
        new_codes = new_rows["mid"].map(codes).to_numpy(dtype=object)
        plan.new_targets = pd.DataFrame(
            {
                "measure_id": new_rows["mid"].to_numpy(),
                "code": new_codes,
                "period": new_rows["label"].to_numpy(dtype=object),
                "value": target[t_new],
            }
        )
        preview_parts.append(
            pd.DataFrame(
                {
                    "_item": t_new,
                    "_part": 0,
                    "row": new_rows["row"].to_numpy(),
                    "code": new_codes,
                    "period": new_rows["label"].to_numpy(dtype=object),
                    "field": "target",
                    "old": "",
                    "new": np.array([fmt(v) for v in target[t_new].tolist()], dtype=object),
                    "outcome": "added",
                }
            )
        )
        added.update(new_rows["row"].tolist())
        touched.update(new_rows["mid"].unique().tolist())
    t_ids = merged["t_id"].tolist()
    t_columns = frame["target_column"].tolist()
    for i in t_changed:
        mid, label, v, code = mids[i], labels[i], target_list[i], codes[mids[i]]
        old = float(t_old[i])
        if not ck.allow_changes:
            ck.problem(
                rows[i],
                t_columns[i],
                f"This changes the stored target from {fmt(old)} to {fmt(v)}; "
                "changes need confirming (--allow-changes).",
            )
        plan.target_updates.append({"id": int(t_ids[i]), "value": v, GUARD_KEY: (old,)})
        preview.append((i, 0, rows[i], code, label, "target", fmt(old), fmt(v), "changed"))
        plan.audit.append(
            (
                "update",
                "target",
                f"{code} {label}",
                {"measure": code, "period": label, "value": old},
                {"measure": code, "period": label, "value": v},
            )
        )
        changed.add(rows[i])
        touched.add(mid)

    o_idx = np.flatnonzero(obs_todo)
    sub = frame.iloc[o_idx]
    fields_of = (
        list(
            zip(
                *(
                    [_none(v) for v in sub[f].tolist()]
                    if f in FLOAT_FIELDS
                    else [v or None for v in sub[f].tolist()]
                    for f in OBS_FIELDS
                ),
                strict=True,
            )
        )
        if len(o_idx)
        else []
    )
    stored_cols = {c: merged[c].iloc[o_idx].tolist() for c in merged.columns}
    value_columns = sub["value_column"].tolist()
    obs_new: dict[tuple[int, str], dict[str, Any]] = {}
    for j, i in enumerate(o_idx.tolist()):
        mid, label, row = mids[i], labels[i], rows[i]
        code = codes[mid]
        given_now = {f: v for f, v in zip(OBS_FIELDS, fields_of[j], strict=True) if v is not None}
        if not has_stored[i]:
            key = (mid, label)
            if key in obs_new:
                obs_new[key].update(given_now)
            else:
                obs_new[key] = dict(given_now)
            value_new[i] = "value" in given_now
            for f, v in given_now.items():
                preview.append((i, 1, row, code, label, f, "", fmt(v), "added"))
            added.add(row)
            continue
        status = stored_cols["s_status"][j]
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for f, v in given_now.items():
            old = _none(stored_cols[f"s_{f}"][j])
            if (
                isinstance(v, float)
                and old is not None
                and abs(float(old) - v) <= 1e-9 * max(1.0, abs(v))
            ):
                continue
            if old == v:
                continue
            before[f], after[f] = old, v
            if f == "value":
                value_new[i] = True
                if (
                    by_id[mid].ytd_method == YtdMethod.ratio
                    and "numerator" not in given_now
                    and _none(stored_cols["s_numerator"][j]) is not None
                    and _none(stored_cols["s_denominator"][j]) is not None
                ):
                    ck.problem(
                        row,
                        "numerator",
                        f"{code} {label} is worked out from its numerator and denominator "
                        f"(stored: {fmt(stored_cols['s_numerator'][j])} / "
                        f"{fmt(stored_cols['s_denominator'][j])} = {fmt(old)}): give the "
                        f"numerator and denominator that make {fmt(v)}, or only them and "
                        "the value is worked out.",
                    )
            if old not in (None, "") and not ck.allow_changes:
                ck.problem(
                    row,
                    value_columns[j] if f == "value" else f,
                    f"This changes the stored {f.replace('_', ' ')} from {fmt(old)} to "
                    f"{fmt(v)}; changes need confirming (--allow-changes).",
                )
        status_change = ck.submit and status == ObservationStatus.draft
        if not before and not status_change:
            continue
        if status_change:
            before["status"], after["status"] = status, new_status
            judged[i] = True  # becoming submitted: the submit rules apply to it
        elif status == ObservationStatus.approved:
            before["status"], after["status"] = status, new_status
            after["revised"] = True
        elif status == ObservationStatus.submitted and not ck.submit:
            # A changed figure is not submitted until it meets the submit rules again.
            before["status"], after["status"] = status, new_status
        for f in before:
            preview.append((i, 1, row, code, label, f, fmt(before[f]), fmt(after[f]), "changed"))
        changed.add(row)
        update = {"id": int(stored_cols["s_id"][j]), **after, "upload_id": None}
        update[GUARD_KEY] = tuple(
            _none(stored_cols[f"s_{f}"][j]) if f != "status" else status for f in OBS_GUARD
        )
        update["submitted_by"] = ck.actor.id
        if "status" in after:
            update["submitted_at"] = None  # a submitted figure's time is filled at write time
        plan.obs_updates.append(update)
        plan.audit.append(
            (
                "update",
                "observation",
                f"{code} {label}",
                {"measure": code, "period": label, **before},
                {"measure": code, "period": label, **after},
            )
        )
        touched.add(mid)
    for (mid, label), given_now in obs_new.items():
        code = codes[mid]
        plan.obs_inserts.append(
            {
                "measure_id": mid,
                "period": label,
                "period_start": plan.period_starts[label],
                **{f: given_now.get(f) for f in FLOAT_FIELDS},
                "commentary": given_now.get("commentary") or "",
                "action_note": given_now.get("action_note") or "",
                "status": new_status,
                "submitted_by": ck.actor.id,
            }
        )
        plan.audit.append(
            (
                "create",
                "observation",
                f"{code} {label}",
                None,
                {"measure": code, "period": label, "status": new_status, **given_now},
            )
        )
        touched.add(mid)
    preview_parts.append(
        pd.DataFrame.from_records(preview, columns=["_item", "_part", *PREVIEW_COLUMNS])
    )
    lines = pd.concat([p for p in preview_parts if not p.empty] or preview_parts, ignore_index=True)
    lines = lines.sort_values(["_item", "_part"], kind="stable")
    plan.preview = lines[list(PREVIEW_COLUMNS)].reset_index(drop=True)
    plan.row_outcomes.update(dict.fromkeys(added, "added"))
    plan.row_outcomes.update(dict.fromkeys(changed, "changed"))
    plan.department_ids.update(dept_of[mid] for mid in touched)
    return value_new, value_new | judged
