"""The Check-ins page, role by role, and the golden-thread panel for other pages.

- Anyone with a staff record: their objectives for this financial year and the quarter's
  check-in form (Save, Submit).
- Line managers: their direct reports' check-ins to agree (or re-open, with a reason)
  and the overdue list.
- Leads (their departments), executives and admins: completion per department and
  quarter, and a person's page with the current RAG of the measures their objectives
  are linked to.

Every rule and permission is in ``dashboard.store.checkins`` and ``core.checkins``; this
package lays things out and shows refusals as plain messages.

Modules: ``page`` (the tabs each role sees), ``mine``, ``team``, ``completion``,
``people`` (one section each), ``thread`` (the golden-thread panel) and ``common``.
"""

from dashboard.ui.check_ins.page import render_page
from dashboard.ui.check_ins.thread import render_golden_thread

__all__ = ["render_golden_thread", "render_page"]
