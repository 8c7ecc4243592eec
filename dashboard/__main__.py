"""``python -m dashboard``: the command line."""

from dashboard.cli import main

raise SystemExit(main())
