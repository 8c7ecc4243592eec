"""``python -m dashboard``: the command line."""

from dashboard.cli.main import main

raise SystemExit(main())
