"""Meeting: the monthly leadership meeting on a shared screen, one exception at a time."""

from dashboard.ui import meeting as ui
from dashboard.ui.guard import require_page

ui.render(require_page("meeting"))
