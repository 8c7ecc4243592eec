"""The commentary rule on the values added or changed, and on the drafts a submission
makes submitted."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.errors import CoreError
from core.status import direction, needs_commentary, rag
from core.vocab import (
    Comparison,
    Rag,
)
from dashboard.importing.registry import Severity
from dashboard.importing.validate.checker import Checker, fmt
from dashboard.importing.validate.items import Items


def _values(frame: pd.DataFrame, stored_obs: pd.DataFrame, mids: set[int]) -> pd.DataFrame:
    """Every value of these measures (stored, then the file's over them): mid, label, y."""
    s = stored_obs[stored_obs["mid"].isin(mids) & stored_obs["s_value"].notna()]
    f = frame[frame["mid"].isin(mids) & frame["value"].notna()]
    both = pd.concat(
        [
            pd.DataFrame({"mid": s["mid"], "label": s["label"], "y": s["s_value"]}),
            pd.DataFrame({"mid": f["mid"], "label": f["label"], "y": f["value"]}),
        ],
        ignore_index=True,
    )
    return both.drop_duplicates(["mid", "label"], keep="last")


def check_commentary(
    ck: Checker,
    items: Items,
    judged: np.ndarray,
    stored_obs: pd.DataFrame,
    stored_targets: pd.DataFrame,
) -> None:
    """The commentary rule, on the values added or changed and on the stored drafts this
    submission makes submitted (their stored value is judged when the file gives none)."""
    frame = items.frame
    if not judged.any():
        return
    keys = list(zip(frame["mid"].tolist(), frame["label"].tolist(), strict=True))
    commented = {k for k, c in zip(keys, frame["commentary"].tolist(), strict=True) if c}
    stored_comment = {
        (mid, label)
        for mid, label, c in zip(
            stored_obs["mid"].tolist(),
            stored_obs["label"].tolist(),
            stored_obs["s_commentary"].tolist(),
            strict=True,
        )
        if c and c.strip()
    }
    candidates = [
        i
        for i in np.flatnonzero(judged).tolist()
        if keys[i] not in commented and keys[i] not in stored_comment
    ]
    if not candidates:
        return
    file_targets = {k: t for k, t in zip(keys, frame["target"].tolist(), strict=True) if t == t}
    stored_t = dict(
        zip(
            zip(stored_targets["mid"].tolist(), stored_targets["label"].tolist(), strict=True),
            stored_targets["t_value"].tolist(),
            strict=True,
        )
    )
    by_id = ck.measures_by_id()
    values = _values(frame, stored_obs, {keys[i][0] for i in candidates})
    known = dict(
        zip(
            zip(values["mid"].tolist(), values["label"].tolist(), strict=True),
            values["y"].tolist(),
            strict=True,
        )
    )
    severity = Severity.error if ck.submit else Severity.warning
    rows = frame["row"].tolist()
    vals = frame["value"].tolist()
    for i in candidates:
        mid, label = keys[i]
        m = by_id[mid]
        value = vals[i] if vals[i] == vals[i] else known.get((mid, label))
        if value is None:
            continue
        target = file_targets.get((mid, label))
        if target is None:
            target = stored_t.get((mid, label))
        p = items.periods[label]
        compare = (
            p.same_period_last_year()
            if m.comparison == Comparison.same_period_last_year
            else p.previous()
        )
        previous = known.get((mid, compare.label))
        try:
            status = rag(
                value,
                target,
                polarity=m.polarity,
                tolerance=m.tolerance,
                tolerance_kind=m.tolerance_kind or "absolute",
                decimals=m.decimals,
            )
            change = direction(value, previous, polarity=m.polarity, decimals=m.decimals)
        except CoreError:
            continue
        if not needs_commentary(status, change.judgement, has_target=target is not None):
            continue
        if status in (Rag.red, Rag.amber):
            why = f"is {status} ({fmt(value)} against a target of {fmt(target)})"
        else:
            why = f"is worsening ({fmt(value)}, was {fmt(previous)}) and has no target"
        ck.problem(
            rows[i],
            "commentary",
            f"{m.code} {label} {why}: add commentary saying what is being done.",
            severity,
        )
