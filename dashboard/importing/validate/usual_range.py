"""Values outside their usual range (the process limits of the figures before them)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.errors import PeriodError
from core.periods import parse_period
from core.spc.limits import group_limits
from dashboard.importing.registry import Severity
from dashboard.importing.validate.checker import Checker, fmt
from dashboard.importing.validate.compare import rebase_points
from dashboard.importing.validate.items import Items
from dashboard.importing.validate.plan import SPC_MIN_POINTS


def check_usual_range(
    ck: Checker, items: Items, value_new: np.ndarray, stored_obs: pd.DataFrame
) -> None:
    """Data assurance: a new or changed value outside its measure's usual range.

    The usual range is the process limits (XmR: mean +/- 2.66 mean moving ranges, large
    moving ranges screened out) of the measure's stored figures BEFORE the first period
    the file adds or changes, as a fixed SPC baseline would have it: from the latest rebase
    point, the first ``fix_after_n_points`` of them when the measure fixes its baseline,
    and at least `SPC_MIN_POINTS` of them. The file's own figures never widen the range
    they are judged by. Each flagged value is a note; submitting it needs it confirmed
    (the ``confirm`` column, or the page's tick), else the note is an error."""
    frame = items.frame
    fresh = np.flatnonzero(value_new & frame["value"].notna().to_numpy())
    if len(fresh) == 0:
        return
    by_id = ck.measures_by_id()
    fresh_mids = frame["mid"].to_numpy()[fresh]
    fresh_start = np.array(
        [items.periods[label].start.toordinal() for label in frame["label"].iloc[fresh]],
        dtype="int64",
    )
    first_new: dict[int, int] = {}
    first_label: dict[int, str] = {}
    for mid, start, label in zip(
        fresh_mids.tolist(), fresh_start.tolist(), frame["label"].iloc[fresh].tolist(), strict=True
    ):
        if mid not in first_new or start < first_new[mid]:
            first_new[mid], first_label[mid] = start, label
    mids = sorted(first_new)
    history = stored_obs[stored_obs["mid"].isin(mids) & stored_obs["s_value"].notna()]
    if history.empty:
        return
    # Each distinct (period, frequency) read once to order the points in time.
    frequencies = sorted({by_id[mid].frequency for mid in mids})
    base = max(1, len(frequencies))
    freq_code = history["mid"].map({mid: frequencies.index(by_id[mid].frequency) for mid in mids})
    label_index, distinct = pd.factorize(history["label"].to_numpy(dtype=object))
    pairs, pair_index = np.unique(label_index * base + freq_code.to_numpy(), return_inverse=True)
    ordinals = []
    for key in pairs.tolist():
        label, frequency = distinct[key // base], frequencies[key % base]
        known = items.periods.get(label)
        try:
            start = (
                known.start
                if known is not None and known.frequency == frequency
                else parse_period(label, frequency, year_start_month=ck.ysm).start
            )
            ordinals.append(start.toordinal())
        except PeriodError:  # a stored label of another frequency: not on this chart
            ordinals.append(-1)
    starts = np.array(ordinals, dtype="int64")[pair_index]
    history = pd.DataFrame(
        {"mid": history["mid"].to_numpy(), "y": history["s_value"].to_numpy(), "start": starts}
    )
    cut = history["mid"].map(first_new).to_numpy()
    history = history[(history["start"].to_numpy() >= 0) & (history["start"].to_numpy() < cut)]
    rebases = rebase_points(ck.session, mids)
    if rebases:
        # A rebase starts a new baseline: keep the points from the latest one before the
        # first new figure (a rebase AT the first new figure leaves no baseline).
        from_start: dict[int, int] = {}
        for mid, labels in rebases.items():
            frequency = by_id[mid].frequency
            found = []
            for label in labels:
                try:
                    found.append(parse_period(label, frequency, year_start_month=ck.ysm).start)
                except PeriodError:
                    continue
            ok = [d.toordinal() for d in found if d.toordinal() <= first_new[mid]]
            if ok:
                from_start[mid] = max(ok)
        if from_start:
            floor = history["mid"].map(from_start).fillna(-1).to_numpy()
            history = history[history["start"].to_numpy() >= floor]
    history = history.sort_values(["mid", "start"], kind="stable")
    position = history.groupby("mid").cumcount().to_numpy()
    fix = history["mid"].map(
        {mid: by_id[mid].fix_after_n_points or np.iinfo("int64").max for mid in mids}
    )
    history = history[position < fix.to_numpy()]
    sizes = history.groupby("mid")["y"].transform("size")
    history = history[sizes.to_numpy() >= SPC_MIN_POINTS]
    if history.empty:
        return
    series = history["mid"].to_numpy()
    starts_group = np.ones(len(series), dtype=bool)
    starts_group[1:] = series[1:] != series[:-1]
    limits = group_limits(history["y"].to_numpy(dtype=float), starts_group)
    group_mids = series[starts_group].tolist()
    usual = {
        mid: (lpl, upl, int(count))
        for mid, lpl, upl, count in zip(
            group_mids,
            limits.lpl.tolist(),
            limits.upl.tolist(),
            limits.n_points.tolist(),
            strict=True,
        )
        if lpl == lpl and upl == upl
    }
    if not usual:
        return
    rows = frame["row"].tolist()
    vals = frame["value"].tolist()
    mid_list = frame["mid"].tolist()
    label_list = frame["label"].tolist()
    value_cols = frame["value_column"].tolist()
    confirms = frame["confirm"].tolist()
    for i in fresh.tolist():
        found = usual.get(mid_list[i])
        if found is None:
            continue
        lpl, upl, count = found
        value = vals[i]
        if lpl <= value <= upl:
            continue
        m = by_id[mid_list[i]]
        label = label_list[i]
        first = first_label[mid_list[i]]
        confirmed = confirms[i] or (m.code, label) in ck.confirmed
        ck.plan.unusual.append((rows[i], m.code, label))
        ck.problem(
            rows[i],
            value_cols[i],
            f"Check this value: {fmt(value)} is outside the usual range for {m.code} "
            f"({lpl:,.4g} to {upl:,.4g}, from the {count} figures before {first}). If it is "
            "right, confirm it (the confirm column, or the tick on the Upload page) and say "
            "why in the commentary: it cannot be submitted until it is confirmed.",
            Severity.error if ck.submit and not confirmed else Severity.note,
        )
