"""The action page: one delivery-plan action, its dates, linked measures and dated notes.

`render(actor)` draws it for the action named in the address (``?code=DP-1``), or asks
which action to show.
"""

from __future__ import annotations

import streamlit as st

from core.vocab import Role
from dashboard.config import today
from dashboard.queries.actions import load_action, load_plan
from dashboard.store.security import Actor
from dashboard.ui import actions as ui
from dashboard.ui.check_ins import render_golden_thread
from dashboard.ui.navigation import BY_PATH
from dashboard.ui.status import styled
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import plain, visible

__all__ = ["render"]

BACK = ":material/arrow_back:"


def render(actor: Actor) -> None:
    """One action's page, for ``actor`` (who may update it if it is their department's)."""
    code = st.query_params.get("code", "")
    if not code:
        plan = load_plan()
        st.title("Action")
        choice = st.selectbox(
            "Choose an action",
            [f"{c} · {t}" for c, t in zip(plan["code"], plan["title"], strict=True)],
            index=None,
            format_func=visible,
        )
        if choice is None:
            st.stop()
        code = choice.split(" · ")[0]
        st.query_params["code"] = code

    detail = load_action(code)
    if detail is None:
        st.title("Action")
        st.warning(
            f"There is no live action with code {plain(code)}.", icon=":material/search_off:"
        )
        st.page_link(BY_PATH["actions"].path, label="Back to the delivery plan", icon=BACK)
        st.stop()

    row = detail.row
    st.page_link(BY_PATH["actions"].path, label="Back to the delivery plan", icon=BACK)
    st.title(f"{row['code']}: {plain(row['title'])}")
    ui.flash(row.to_frame().T)
    st.markdown(
        f"**{plain(row['status_label'])}**"
        + (f" · {plain(row['flags_label'])}" if row["flags_label"] else "")
    )
    st.caption(
        f"{plain(row['theme'])} · {plain(row['department'])} · "
        f"Responsible officer: {plain(row['officer']) or 'not set'}"
    )

    c1, c2, c3, c4 = st.columns(4)
    expected = row["expected_percent"]
    c1.metric(
        "% complete",
        f"{row['percent_complete']:.0f}%",
        help="A straight line from start to due date would expect "
        + (
            f"{expected:.0f}% by today."
            if expected == expected and expected is not None
            else "no figure (no dates)."
        ),
    )
    c2.metric("Start", f"{row['start_date']:%d %b %Y}" if row["start_date"] else "Not set")
    c3.metric("Due", f"{row['due_date']:%d %b %Y}" if row["due_date"] else "Ongoing")
    end_word = "Completed" if row["completed_date"] else "Estimated end"
    c4.metric(end_word, f"{row['estimated_end']:%d %b %Y}" if row["estimated_end"] else "Not set")
    if row["last_commentary"]:
        st.markdown("**Latest commentary**")
        st.text(visible(row["last_commentary"]))

    st.subheader("Planned against estimated dates")
    fig = ui.gantt_figure(row, today())
    if fig is None:
        st.info("There are not enough dates to draw the plan.", icon=":material/info:")
    else:
        st.plotly_chart(fig, width="stretch")
        with st.expander("The chart as a table"):
            st.dataframe(
                {
                    "Bar": ["Planned", end_word],
                    "From": [row["start_date"], row["start_date"]],
                    "To": [row["due_date"], row["estimated_end"]],
                },
                hide_index=True,
            )

    st.subheader("Linked measures")
    if detail.measures.empty:
        st.caption("No measures are linked to this action.")
    else:
        people_table(
            detail.measures,
            key="action_measures",
            style=lambda frame: styled(frame, ["rag"]),
            file_name=f"{row['code']}-measures",
            hide_index=True,
            width="stretch",
            column_config={
                "code": st.column_config.TextColumn("Measure"),
                "name": st.column_config.TextColumn("Name", width="large"),
                "period": st.column_config.TextColumn("Latest period"),
                "value": st.column_config.NumberColumn("Value"),
                "target": st.column_config.NumberColumn("Target"),
                "rag": st.column_config.TextColumn("Status"),
            },
        )

    render_golden_thread(actor, action_id=int(row["id"]))

    st.subheader("Updates")
    if detail.updates.empty:
        st.caption("No updates yet.")
    else:
        people_table(
            detail.updates,
            key="action_updates",
            style=lambda frame: styled(frame, ["status"]),
            file_name=f"{row['code']}-updates",
            hide_index=True,
            width="stretch",
            column_config={
                "date": st.column_config.DateColumn("Date", format="D MMM YYYY"),
                "status": st.column_config.TextColumn("Status"),
                "percent_complete": st.column_config.NumberColumn("% complete", format="%.0f%%"),
                "estimated_end": st.column_config.DateColumn("Estimated end", format="D MMM YYYY"),
                "commentary": st.column_config.TextColumn("Commentary", width="large"),
                "by": st.column_config.TextColumn("By"),
            },
        )

    if actor.can_edit_department(int(row["department_id"])) and row["status"] != "completed":
        st.subheader("Update this action")
        ui.update_form(row, actor)
    elif actor.role == Role.lead:
        st.caption(
            f"Only the leads for {plain(row['department'])} and administrators can update "
            "this action."
        )
    if actor.role == Role.admin:
        ui.admin_forms(row, actor)
