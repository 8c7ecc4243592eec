"""Benchmarking: where we stand against our comparator groups, measure by measure."""

import streamlit as st

from core.vocab import Role
from dashboard.queries import scorecard as queries
from dashboard.ui import benchmarking as ui
from dashboard.ui.guard import require_page
from dashboard.ui.widgets import plain, visible

actor = require_page("benchmarking")
st.title("Benchmarking")
st.caption("Where we stand against our nearest neighbours, measure by measure.")

groups = queries.load_comparator_groups()
is_admin = actor.role == Role.admin

if is_admin:
    where_tab, groups_tab, import_tab = st.tabs(
        ["Where we stand", "Comparator groups", "Import benchmark data"]
    )
else:
    where_tab, groups_tab, import_tab = st.container(), None, None

with where_tab:
    if groups.empty:
        st.info(
            "There are no comparator groups yet."
            + (" Create one under Comparator groups." if is_admin else " Ask an administrator.")
        )
    else:
        names = list(groups["name"])
        default = (
            int(groups["is_default"].astype(bool).idxmax()) if groups["is_default"].any() else 0
        )
        wanted = st.query_params.get("group")
        index = names.index(wanted) if wanted in names else default
        name = st.selectbox(
            "Comparator group", names, index=index, key="benchmark_group", format_func=visible
        )
        group = groups[groups["name"] == name].iloc[0].to_dict()
        st.caption(
            f"{plain(group['source']) or 'Comparator group'}: {group['members']} councils, "
            f"ours {plain(group['own_area_name'] or group['own_area_code'])} "
            f"({plain(group['own_area_code'])})."
        )
        positions = queries.load_benchmark_positions(int(group["id"]))
        if positions.empty:
            st.info(
                "No benchmark data for this group's councils yet, or no benchmark metric is "
                "mapped to one of our measures."
            )
        else:
            ui.render_overview(positions, str(group["name"]))
            st.subheader("One measure against the group")
            codes = list(positions["code"])
            labels = dict(zip(positions["code"], positions["name"], strict=True))
            asked = str(st.query_params.get("measure", "")).upper()
            code = st.selectbox(
                "Measure",
                codes,
                index=codes.index(asked) if asked in codes else 0,
                format_func=lambda c: visible(f"{c} {labels[c]}"),
                key="benchmark_measure",
            )
            if code:
                st.query_params["measure"] = code
                values = queries.load_benchmark_values(int(group["id"]))
                ui.render_measure(positions, values, group, code)

if groups_tab is not None:
    with groups_tab:
        ui.render_groups_admin(actor, groups)

if import_tab is not None:
    with import_tab:
        ui.render_import(actor)
