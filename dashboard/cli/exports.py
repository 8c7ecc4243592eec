"""The ``export`` and ``restore`` commands.

``python -m dashboard export`` takes exactly one of a mutually exclusive group of modes:

- ``--all DIR``: every table as CSV with ``schema.json`` (portable data);
- ``--portal-site DIR``: the public portal as a static HTML site.

To add a mode (for example ``--report``), add its option to ``_MODES`` with its handler
and any further options it needs in ``_export_args``; ``_export`` dispatches on whichever
mode was given. ``python -m dashboard restore DIR`` loads an ``--all`` export into an
empty database.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from dashboard.cli.main import command
from dashboard.config import get_settings

ExportHandler = Callable[[argparse.Namespace], int]


def _export_all(args: argparse.Namespace) -> int:
    from dashboard.exporting.portability import export_all
    from dashboard.store.db import get_engine, migrate

    migrate(get_settings().database_url)
    counts = export_all(get_engine(get_settings().database_url), Path(args.all))
    print(f"Exported {len(counts)} tables, {sum(counts.values())} rows, to {args.all}.")
    return 0


def _export_portal_site(args: argparse.Namespace) -> int:
    from dashboard.config import today
    from dashboard.exporting.portal_data import build_portal
    from dashboard.exporting.static_site import write_site
    from dashboard.store.db import migrate, session_scope

    migrate(get_settings().database_url)
    with session_scope(get_settings().database_url) as session:
        portal = build_portal(session, today=today())
    files = write_site(portal, Path(args.portal_site))
    print(
        f"Wrote the public portal ({portal.measure_count} published measures) as "
        f"{len(files)} files to {args.portal_site}."
    )
    return 0


def _export_report(args: argparse.Namespace) -> int:
    from dashboard.exporting.reports.export import FORMATS, export_report
    from dashboard.store.db import migrate, session_scope

    if args.report != "exceptions":
        print("The only report is 'exceptions'.", file=sys.stderr)
        return 2
    if not args.quarter or not args.out or args.format not in FORMATS:
        print(
            'Give --quarter (e.g. "2024/25 Q2"), --format pdf|xlsx|pptx and --out FILE.',
            file=sys.stderr,
        )
        return 2
    migrate(get_settings().database_url)
    try:
        with session_scope(get_settings().database_url) as session:
            data = export_report(session, args.quarter, args.format, audience=args.audience)
    except ValueError as exc:  # CoreError is a ValueError: a quarter nobody can read
        print(str(exc), file=sys.stderr)
        return 1
    Path(args.out).write_bytes(data)
    print(f"Wrote the exception report for {args.quarter} ({args.format}) to {args.out}.")
    return 0


# option destination -> (flag, metavar, help, handler)
_MODES: dict[str, tuple[str, str, str, ExportHandler]] = {
    "all": ("--all", "DIR", "every table as CSV, with schema.json", _export_all),
    "portal_site": (
        "--portal-site",
        "DIR",
        "the public portal as a static HTML site",
        _export_portal_site,
    ),
    "report": (
        "--report",
        "NAME",
        "a report: exceptions (with --quarter, --format, --out)",
        _export_report,
    ),  # fmt: skip
}


def _export_args(parser: argparse.ArgumentParser) -> None:
    modes = parser.add_mutually_exclusive_group(required=True)
    for dest, (flag, metavar, text, _handler) in _MODES.items():
        modes.add_argument(flag, dest=dest, metavar=metavar, help=text)
    report = parser.add_argument_group("--report exceptions")
    report.add_argument("--quarter", help='the quarter, e.g. "2024/25 Q2"')
    report.add_argument("--format", choices=("pdf", "xlsx", "pptx"), default="pdf")
    report.add_argument("--audience", choices=("cabinet", "scrutiny", "clt"), default="cabinet")
    report.add_argument("--out", metavar="FILE", help="where to write the report")


@command("export", _export_args)
def _export(args: argparse.Namespace) -> int:
    """Export data: every table (--all), or the public portal as a static site."""
    for dest, (_flag, _metavar, _text, handler) in _MODES.items():
        if getattr(args, dest, None):
            return handler(args)
    print("Say what to export.", file=sys.stderr)
    return 2


def _restore_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", help="a folder written by export --all")


@command("restore", _restore_args)
def _restore(args: argparse.Namespace) -> int:
    """Load an `export --all` folder into an empty database."""
    from dashboard.exporting.portability import PortabilityError, restore
    from dashboard.store.db import get_engine, migrate
    from dashboard.store.text import NulCharacterError

    migrate(get_settings().database_url)
    try:
        summary = restore(get_engine(get_settings().database_url), Path(args.folder))
    except PortabilityError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except NulCharacterError as exc:
        print(f"Nothing was restored: {exc}", file=sys.stderr)
        return 1
    print(f"Restored {summary.rows} rows into {summary.tables} tables.")
    return 0
