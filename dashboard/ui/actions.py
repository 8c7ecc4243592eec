"""Widgets for the delivery plan: filters, the plan table, the editable table, the update
form, the overview, and the planned-vs-estimated bar chart.

Writes go through `dashboard.store.actions` (which checks the role and departments and
audits every change); a refusal is shown as a plain message, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.actions import FLAG_DESCRIPTIONS, FLAG_ICON, FLAG_WORDS, ActionFlag
from core.errors import CoreError
from core.legend import ACTION_STATUS_SYMBOLS, BLUE, GREEN, GREY, RED, label
from core.vocab import ActionStatus, Role
from dashboard.config import today as app_today
from dashboard.queries.actions import (
    delivery_plan_exceptions_cached,
    load_plan,
    status_counts,
    structure_choices,
)
from dashboard.store import actions as store
from dashboard.store.models import ActionCreate, ActionUpdateIn
from dashboard.store.security import Actor, PermissionDenied
from dashboard.ui import writes
from dashboard.ui.import_flow import ImportScreen, SaveChoice, render_import_flow
from dashboard.ui.navigation import BY_PATH
from dashboard.ui.status import styled
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import plain, visible, visible_frame

__all__ = [
    "STATUS_BY_LABEL",
    "STATUS_LABELS",
    "admin_forms",
    "create_form",
    "editable_table",
    "filter_plan",
    "flash",
    "gantt_figure",
    "import_section",
    "legend_key",
    "overview",
    "plan_tables",
    "render",
    "update_form",
]

STATUS_LABELS: dict[str, str] = {s.value: label(sym) for s, sym in ACTION_STATUS_SYMBOLS.items()}
STATUS_BY_LABEL: dict[str, str] = {v: k for k, v in STATUS_LABELS.items()}
# Fixed widths (pixels) so the editable table reads without scrolling sideways.
EDITOR_WIDTHS = {
    "code": 70,
    "title": 260,
    "status_label": 165,
    "flags_label": 250,
    "percent_complete": 110,
    "estimated_end": 115,
    "new_commentary": 300,
}
_FLAGS_KEY = "actions_flags_before"
# Bumped after each save, so the editable table starts afresh from the stored values.
_EDITOR_ROUND_KEY = "actions_editor_round"
WRITE_ERRORS = (PermissionDenied, ValueError, LookupError, CoreError)


def flash(plan: pd.DataFrame | None = None) -> None:
    """Show (once) the message a write left before the page reran, and how the flags on
    the actions just updated have changed."""
    message = writes.show_flash()
    before: dict[str, str] = st.session_state.pop(_FLAGS_KEY, None) or {}
    if not message:
        return
    if plan is None or plan.empty or not before:
        return
    now = dict(zip(plan["code"], plan["flags_label"], strict=True))
    lines = [
        f"- **{plain(code)}**: {plain(before[code]) or 'no flags'} → "
        f"{plain(now.get(code)) or 'no flags'}"
        for code in sorted(before)
    ]
    st.markdown("Flags on the actions you updated:\n" + "\n".join(lines))


def _after_save(flags_before: dict[str, str] | None = None) -> Callable[[], None]:
    def reset() -> None:
        st.session_state[_EDITOR_ROUND_KEY] = st.session_state.get(_EDITOR_ROUND_KEY, 0) + 1
        st.session_state[_FLAGS_KEY] = flags_before or {}

    return reset


def _done(message: str, flags_before: dict[str, str] | None = None) -> None:
    _after_save(flags_before)()
    writes.flash(message)
    st.rerun()


def legend_key() -> None:
    """The plain-English key to statuses and flags."""
    with st.expander("Key to statuses and flags"):
        rows = [
            {"Status": label(sym), "Meaning": sym.description}
            for sym in ACTION_STATUS_SYMBOLS.values()
        ]
        rows += [
            {"Status": f"{FLAG_ICON} {FLAG_WORDS[f]}", "Meaning": FLAG_DESCRIPTIONS[f]}
            for f in ActionFlag
        ]
        st.dataframe(styled(pd.DataFrame(rows), ["Status"]), hide_index=True, width="stretch")


def filter_plan(plan: pd.DataFrame, *, key: str = "plan") -> pd.DataFrame:
    """Filters by theme, department, officer, status and "needs attention"."""
    if plan.empty:
        return plan
    c1, c2, c3, c4 = st.columns(4)
    themes = c1.multiselect(
        "Theme", list(dict.fromkeys(plan["theme"])), key=f"{key}_theme", format_func=visible
    )
    depts = c2.multiselect(
        "Department", sorted(plan["department"].unique()), key=f"{key}_dept", format_func=visible
    )
    officers = c3.multiselect(
        "Officer", sorted(plan["officer"].unique()), key=f"{key}_officer", format_func=visible
    )
    statuses = c4.multiselect(
        "Status",
        [STATUS_LABELS[s.value] for s in ActionStatus],
        key=f"{key}_status",
    )
    attention = st.toggle(
        "Needs attention only (red, amber, missing information, or flagged)",
        key=f"{key}_attention",
    )
    keep = pd.Series(True, index=plan.index)
    if themes:
        keep &= plan["theme"].isin(themes)
    if depts:
        keep &= plan["department"].isin(depts)
    if officers:
        keep &= plan["officer"].isin(officers)
    if statuses:
        keep &= plan["status"].isin([STATUS_BY_LABEL[s] for s in statuses])
    if attention:
        keep &= plan["needs_attention"]
    return plan[keep]


def _link(code: str) -> str:
    return f"/{BY_PATH['action'].url_path}?code={code}"


PLAN_TABLE_COLUMNS = {
    "link": st.column_config.LinkColumn(
        "Action", display_text=r"code=(.*)$", help="Open the action", width="small"
    ),
    "title": st.column_config.TextColumn("Title", width="large"),
    "status_label": st.column_config.TextColumn("Status", help="The officer's own status"),
    "flags_label": st.column_config.TextColumn(
        "Flags", help="What the system flags beside the status"
    ),
    "officer": st.column_config.TextColumn("Officer"),
    "department": st.column_config.TextColumn("Department"),
    "start_date": st.column_config.DateColumn("Start", format="D MMM YYYY"),
    "due_date": st.column_config.DateColumn("Due", format="D MMM YYYY"),
    "estimated_end": st.column_config.DateColumn("Estimated end / completed", format="D MMM YYYY"),
    "percent_complete": st.column_config.ProgressColumn(
        "% complete", min_value=0, max_value=100, format="%.0f%%"
    ),
    "last_update": st.column_config.DateColumn("Latest update", format="D MMM YYYY"),
    "last_commentary": st.column_config.TextColumn("Latest commentary", width="large"),
    "measures": st.column_config.TextColumn("Linked measures"),
}


def plan_tables(plan: pd.DataFrame) -> None:
    """The delivery plan, one table per theme, overdue and slipping first."""
    if plan.empty:
        st.info("No actions match these filters.", icon=":material/filter_alt_off:")
        return
    shown = plan.assign(link=plan["code"].map(_link))
    for number, (theme, part) in enumerate(shown.groupby("theme", sort=False), start=1):
        flagged = int(part["needs_attention"].sum())
        st.subheader(plain(theme))
        st.caption(f"{len(part)} actions · {flagged} need attention")
        people_table(
            part[list(PLAN_TABLE_COLUMNS)],
            key=f"plan_{number}",
            file_name=f"delivery-plan-theme-{number}",
            hide_index=True,
            width="stretch",
            column_config=PLAN_TABLE_COLUMNS,
            style=lambda frame: styled(frame, ["status_label"]),
        )


def _as_date(value: object) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        return date.fromisoformat(value.strip()[:10])
    return None


def _changes(before: pd.Series, after: pd.Series) -> ActionUpdateIn | None:
    data: dict[str, object] = {}
    status = STATUS_BY_LABEL.get(str(after["status_label"]), str(before["status"]))
    if status != before["status"]:
        data["status"] = status
    pct = after["percent_complete"]
    if pct is not None and not pd.isna(pct) and float(pct) != float(before["percent_complete"]):
        data["percent_complete"] = float(pct)
    est = _as_date(after["estimated_end"])
    if est != _as_date(before["estimated_end"]):
        data["estimated_end"] = est
    note = str(after.get("new_commentary") or "").strip()
    if note:
        data["commentary"] = note
    if not data:
        return None
    if "commentary" not in data and "status" in data:
        data["commentary"] = ""
    return ActionUpdateIn(**data)  # type: ignore[arg-type]


def editable_table(plan: pd.DataFrame, actor: Actor) -> None:
    """Many actions updated at once: status, % complete, estimated end and commentary."""
    mine = plan[plan["department_id"].map(actor.can_edit_department)]
    mine = mine[~mine["status"].isin([ActionStatus.completed.value])]
    if mine.empty:
        st.info("None of the actions shown here are yours to update.", icon=":material/info:")
        return
    base = mine[
        [
            "id",
            "code",
            "title",
            "status",
            "status_label",
            "flags_label",
            "percent_complete",
            "estimated_end",
        ]
    ].assign(new_commentary="")
    base = base.set_index("id")
    edited = st.data_editor(
        visible_frame(base.drop(columns=["status"])),
        key=f"actions_editor_{st.session_state.get(_EDITOR_ROUND_KEY, 0)}",
        hide_index=True,
        width="content",
        num_rows="fixed",
        disabled=["code", "title", "flags_label"],
        column_config={
            "code": st.column_config.TextColumn("Action", width=EDITOR_WIDTHS["code"]),
            "title": st.column_config.TextColumn("Title", width=EDITOR_WIDTHS["title"]),
            "status_label": st.column_config.SelectboxColumn(
                "Status",
                options=list(STATUS_LABELS.values()),
                required=True,
                width=EDITOR_WIDTHS["status_label"],
            ),
            "flags_label": st.column_config.TextColumn("Flags", width=EDITOR_WIDTHS["flags_label"]),
            "percent_complete": st.column_config.NumberColumn(
                "% complete",
                min_value=0,
                max_value=100,
                step=5,
                format="%.0f",
                width=EDITOR_WIDTHS["percent_complete"],
            ),
            "estimated_end": st.column_config.DateColumn(
                "Estimated end", format="D MMM YYYY", width=EDITOR_WIDTHS["estimated_end"]
            ),
            "new_commentary": st.column_config.TextColumn(
                "New commentary",
                help="What is being done. Needed when you move an action to red or amber.",
                width=EDITOR_WIDTHS["new_commentary"],
            ),
        },
    )
    if st.button("Save updates", type="primary", key="actions_save"):
        updates: dict[int, ActionUpdateIn] = {}
        for action_id, row in edited.iterrows():
            change = _changes(base.loc[action_id], row)
            if change is not None:
                updates[int(action_id)] = change  # type: ignore[arg-type]
        if not updates:
            st.info("Nothing has changed.", icon=":material/info:")
            return
        on = app_today()
        writes.save(
            lambda s: store.apply_updates(session=s, actor=actor, updates=updates, update_date=on),
            f"Saved {len(updates)} update{'s' if len(updates) != 1 else ''}.",
            then=_after_save(
                {str(base.loc[i, "code"]): str(base.loc[i, "flags_label"]) for i in updates}
            ),
        )


def update_form(row: pd.Series, actor: Actor) -> None:
    """One action's progress update: status, %, estimated end and commentary."""
    with st.form("action_update"):
        st.markdown("**Record a progress update**")
        options = list(STATUS_LABELS.values())
        status = st.selectbox(
            "Status", options, index=options.index(STATUS_LABELS[str(row["status"])])
        )
        c1, c2 = st.columns(2)
        pct = c1.number_input(
            "% complete",
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            value=float(row["percent_complete"]),
        )
        est = c2.date_input(
            "Estimated end", value=_as_date(row["estimated_end"]), format="DD/MM/YYYY"
        )
        note = st.text_area(
            "Commentary",
            help="What has happened and what is being done. Needed for red and amber.",
        )
        if st.form_submit_button("Save update", type="primary"):
            data: dict[str, object] = {
                "status": STATUS_BY_LABEL[status],
                "percent_complete": pct,
                "estimated_end": est if isinstance(est, date) else None,
                "commentary": note,
            }
            action_id = int(row["id"])
            on = app_today()
            writes.save(
                lambda s: store.update_action(
                    session=s,
                    actor=actor,
                    action_id=action_id,
                    update_in=ActionUpdateIn(**data),  # type: ignore[arg-type]
                    update_date=on,
                ),
                f"Update saved on {plain(row['code'])}.",
                then=_after_save({str(row["code"]): str(row["flags_label"])}),
            )


def admin_forms(row: pd.Series, actor: Actor) -> None:
    """Admins change the plan (title, officer, dates, published) and close actions."""
    with st.expander("Edit the plan (administrators)"):
        with st.form("action_edit"):
            title = st.text_input("Title", value=str(row["title"]))
            officer = st.text_input("Responsible officer", value=str(row["officer"]))
            c1, c2 = st.columns(2)
            start = c1.date_input(
                "Start date", value=_as_date(row["start_date"]), format="DD/MM/YYYY"
            )
            due = c2.date_input("Due date", value=_as_date(row["due_date"]), format="DD/MM/YYYY")
            published = st.checkbox("Published on the public portal", value=bool(row["published"]))
            reason = st.text_input("Why (kept in the audit log)")
            if st.form_submit_button("Save changes"):
                data = {
                    "title": title.strip(),
                    "officer": officer.strip(),
                    "start_date": start if isinstance(start, date) else None,
                    "due_date": due if isinstance(due, date) else None,
                    "published": published,
                    "commentary": reason,
                }
                action_id = int(row["id"])
                if not data["title"]:
                    st.error("An action needs a title.")
                else:
                    writes.save(
                        lambda s: store.update_action(
                            session=s,
                            actor=actor,
                            action_id=action_id,
                            update_in=ActionUpdateIn(**data),  # type: ignore[arg-type]
                            update_date=app_today(),
                        ),
                        f"{plain(row['code'])} changed.",
                        then=_after_save(),
                    )
    with st.expander("Close this action (administrators)"):
        st.caption("A closed action leaves the live delivery plan; its history is kept.")
        with st.form("action_close"):
            reason = st.text_input("Reason for closing")
            if st.form_submit_button("Close action"):
                action_id = int(row["id"])
                writes.save(
                    lambda s: store.close_action(
                        session=s, actor=actor, action_id=action_id, reason=reason
                    ),
                    f"{plain(row['code'])} closed.",
                    then=_after_save(),
                )


def create_form(actor: Actor, themes: dict[str, int], departments: dict[str, int]) -> None:
    """Admins add an action to the delivery plan."""
    with st.expander("Create an action (administrators)"):
        with st.form("action_create", clear_on_submit=False):
            c1, c2 = st.columns([1, 3])
            code = c1.text_input("Code", placeholder="DP-41")
            title = c2.text_input("Title")
            c3, c4, c5 = st.columns(3)
            theme = c3.selectbox("Theme", list(themes), format_func=visible)
            dept = c4.selectbox("Department", list(departments), format_func=visible)
            officer = c5.text_input("Responsible officer")
            c6, c7 = st.columns(2)
            start = c6.date_input("Start date", value=None, format="DD/MM/YYYY")
            due = c7.date_input(
                "Due date", value=None, format="DD/MM/YYYY", help="Leave blank if ongoing"
            )
            if st.form_submit_button("Create action"):
                problems = []
                if not code.strip():
                    problems.append("a code")
                if not title.strip():
                    problems.append("a title")
                if problems:
                    st.error(f"An action needs {' and '.join(problems)}.")
                    return
                on = app_today()
                start_d = start if isinstance(start, date) else None
                due_d = due if isinstance(due, date) else None
                if due_d is None:
                    status = ActionStatus.ongoing
                elif start_d is not None and start_d > on:
                    status = ActionStatus.not_started
                else:
                    status = ActionStatus.green
                if start_d and due_d and due_d < start_d:
                    st.error("The due date is before the start date.")
                    return
                action_in = ActionCreate(
                    code=code.strip().upper(),
                    title=title.strip(),
                    theme_id=themes[theme],
                    department_id=departments[dept],
                    officer=officer.strip(),
                    status=status.value,
                    start_date=start_d,
                    due_date=due_d,
                    estimated_end=due_d,
                )
                writes.save(
                    lambda s: store.create_action(session=s, actor=actor, action_in=action_in),
                    f"{plain(action_in.code)} created.",
                    then=_after_save(),
                )


STATUS_COLUMN_CONFIG = {
    "theme": st.column_config.TextColumn("Theme", width="medium"),
    "actions": st.column_config.NumberColumn("Actions"),
    **{s.value: st.column_config.NumberColumn(STATUS_LABELS[s.value]) for s in ActionStatus},
    "overdue": st.column_config.NumberColumn(f"{FLAG_ICON} Overdue"),
    "slipping": st.column_config.NumberColumn(f"{FLAG_ICON} Slipping"),
    "needs_attention": st.column_config.NumberColumn("Need attention"),
}


def overview(counts: pd.DataFrame, exceptions: list[Any]) -> None:
    """Counts by status per theme, and the exceptions with their commentary."""
    people_table(
        counts,
        key="plan_counts",
        file_name="delivery-plan-by-theme",
        hide_index=True,
        width="stretch",
        column_config=STATUS_COLUMN_CONFIG,
    )
    st.markdown(f"**Exceptions** ({len(exceptions)}): red, amber, overdue or slipping")
    if not exceptions:
        st.success("No exceptions: every action is on track.", icon=":material/check_circle:")
        return
    frame = pd.DataFrame(
        [
            {
                "code": e.code,
                "title": e.title,
                "theme": e.theme,
                "officer": e.officer,
                "status": e.status_label,
                "flags": e.flags_label,
                "why": " · ".join(e.reasons),
                "due": e.due_date,
                "estimated_end": e.estimated_end,
                "commentary": e.commentary,
            }
            for e in exceptions
        ]
    )
    people_table(
        frame,
        key="plan_exceptions",
        style=lambda frame: styled(frame, ["status"]),
        file_name="delivery-plan-exceptions",
        hide_index=True,
        width="stretch",
        column_config={
            "code": st.column_config.TextColumn("Action"),
            "title": st.column_config.TextColumn("Title", width="medium"),
            "theme": st.column_config.TextColumn("Theme"),
            "officer": st.column_config.TextColumn("Officer"),
            "status": st.column_config.TextColumn("Status"),
            "flags": st.column_config.TextColumn("Flags"),
            "why": st.column_config.TextColumn("Why it is an exception"),
            "due": st.column_config.DateColumn("Due", format="D MMM YYYY"),
            "estimated_end": st.column_config.DateColumn("Estimated end", format="D MMM YYYY"),
            "commentary": st.column_config.TextColumn("Commentary", width="large"),
        },
    )


def gantt_figure(row: pd.Series, today: date) -> go.Figure | None:
    """Planned (start to due) against estimated (start to estimated end or completion)."""
    start = _as_date(row["start_date"])
    due = _as_date(row["due_date"])
    end = _as_date(row["completed_date"]) or _as_date(row["estimated_end"])
    if start is None or (due is None and end is None):
        return None
    bars = []
    if due is not None:
        bars.append(("Planned", due, BLUE))
    if end is not None:
        late = due is not None and end > due
        word = "Completed" if _as_date(row["completed_date"]) else "Estimated"
        bars.append((word, end, RED if late else GREEN))
    fig = go.Figure()
    for name, finish, colour in reversed(bars):
        days = (finish - start).days
        fig.add_trace(
            go.Bar(
                y=[name],
                x=[max(days, 1) * 86_400_000],
                base=[start.isoformat()],
                orientation="h",
                marker_color=colour,
                name=name,
                text=[f"{start:%d %b %Y} → {finish:%d %b %Y}"],
                textposition="inside",
                hovertemplate=f"{name}: {start:%d %b %Y} to {finish:%d %b %Y}<extra></extra>",
            )
        )
    fig.add_shape(
        type="line",
        x0=today.isoformat(),
        x1=today.isoformat(),
        y0=0,
        y1=1,
        yref="paper",
        line={"color": GREY, "dash": "dash"},
    )
    fig.add_annotation(
        x=today.isoformat(), y=1, yref="paper", text="Today", showarrow=False, yanchor="bottom"
    )
    fig.update_layout(
        xaxis={"type": "date", "title": None},
        yaxis={"title": None},
        showlegend=False,
        height=220,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        barmode="overlay",
    )
    return fig


# --- import from a spreadsheet ------------------------------------------------------

TEMPLATE_COLUMNS = {
    "code": "code",
    "title": "title",
    "theme": "theme",
    "department": "department",
    "officer": "officer",
    "status": "status",
    "percent_complete": "% complete",
    "start_date": "start",
    "due_date": "due",
    "estimated_end": "estimated end",
    "commentary": "commentary",
    "update_date": "update date",
    "measures": "linked measures",
}


def _template_csv(plan: pd.DataFrame, actor: Actor) -> bytes:
    """The actions this person may update, as a file to fill in and upload."""
    from dashboard.exporting.cells import safe_csv

    mine = plan[plan["department_id"].map(actor.can_edit_department)]
    frame = mine.assign(commentary="", update_date="")[list(TEMPLATE_COLUMNS)]
    frame = frame.rename(columns=TEMPLATE_COLUMNS)
    return safe_csv(frame.astype(object), bom=True)


def _import_saved(sentence: str) -> None:
    # Shown by `flash` at the top of the page (the import sits in a closed expander).
    _after_save()()
    writes.flash(sentence)


IMPORT_SCREEN = ImportScreen(
    kind="actions",
    key="actions_import",
    uploader_label="Spreadsheet of action updates (.xlsx or .csv)",
    things="actions",
    saves=(SaveChoice("Save these updates"),),
    code_label="Action",
    on_saved=_import_saved,
)


def import_section(actor: Actor, plan: pd.DataFrame) -> None:
    """Update many actions (or, for administrators, add actions) from a spreadsheet,
    through the one import flow."""
    with st.expander("Update actions from a spreadsheet"):
        st.caption(
            "One row per action: code, status, % complete, estimated end, commentary and "
            "update date (and, for administrators, title, theme, department, officer, start "
            "and due). Linked measures are codes separated by commas or semicolons. A blank "
            "cell leaves the stored value as it is. Nothing is saved until you confirm."
        )
        st.download_button(
            "Download your actions as a file to fill in",
            data=_template_csv(plan, actor),
            file_name=f"delivery-plan-{app_today().isoformat()}.csv",
            mime="text/csv",
            icon=":material/download:",
            key="actions_import_template",
        )
        render_import_flow(actor, IMPORT_SCREEN)


#: Session key holding the file to check (set by the uploader; tests may set it directly).
IMPORT_SOURCE_KEY = IMPORT_SCREEN.source_key


def render(actor: Actor) -> None:
    """The delivery-plan page: counts, the key, the plan (editable for leads and admins),
    and the overview with its exceptions."""
    st.title("Actions")
    st.caption(
        "The Corporate Delivery Plan: each action's own status, with what the system flags "
        "beside it. Overdue and slipping actions come first in each theme."
    )
    plan = load_plan()
    flash(plan)
    if plan.empty:
        st.info("There are no actions in the delivery plan yet.", icon=":material/info:")
        if actor.role == Role.admin:
            create_form(actor, *structure_choices())
        st.stop()

    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Actions", len(plan))
    c2.metric("Need attention", int(plan["needs_attention"].sum()))
    c3.metric("⚠ Overdue", int(plan["flags"].map(lambda f: "overdue" in f).sum()))
    c4.metric("⚠ Slipping", int(plan["flags"].map(lambda f: "slipping" in f).sum()))
    legend_key()

    plan_tab, overview_tab = st.tabs(["Delivery plan", "Overview and exceptions"])
    with plan_tab:
        shown = filter_plan(plan)
        can_edit = actor.role in (Role.admin, Role.lead)
        if can_edit:
            st.markdown("#### Update your actions")
            st.caption(
                "Change the status, % complete or estimated end, add commentary, then save. "
                "Moving an action to red or amber needs commentary saying what is being done."
            )
            editable_table(shown, actor)
            import_section(actor, plan)
            st.divider()
        plan_tables(shown)
        if actor.role == Role.admin:
            create_form(actor, *structure_choices())
    with overview_tab:
        st.markdown("#### Delivery-plan overview")
        st.caption("Counts by status per theme, then the exceptions for the quarterly report.")
        overview(status_counts(plan), delivery_plan_exceptions_cached())
