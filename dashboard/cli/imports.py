"""``python -m dashboard import FILE``: the same checks and all-or-nothing save as the page.

Exit codes: 0 saved (or, with ``--dry-run``, valid; an identical re-upload saves nothing
and is 0 too), 1 the file has errors or its save was refused (another save changed the
same figures after the check: the JSON then says ``"conflict": true`` and why in
``message``; nothing is saved), 2 the file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dashboard.cli.main import command
from dashboard.config import get_settings

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="an .xlsx or .csv file")
    parser.add_argument(
        "--kind", default="measures", help="measures (default), actions, benchmarks or staff"
    )
    parser.add_argument(
        "--sheet", default=None, help="the sheet to read (default: the first that fits)"
    )
    parser.add_argument(
        "--user", default=None, help="act as this user (default: the administrator)"
    )
    parser.add_argument("--dry-run", action="store_true", help="check only; save nothing")
    parser.add_argument(
        "--allow-changes", action="store_true", help="allow rows that change stored values"
    )
    parser.add_argument("--submit", action="store_true", help="submit (default: save as draft)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _out(args: argparse.Namespace, payload: dict[str, object], lines: list[str]) -> None:
    if args.json:
        print(json.dumps(payload))
    else:
        print("\n".join(lines))


@command("import", _configure)
def import_file(args: argparse.Namespace) -> int:
    """Check a spreadsheet and save it all or nothing."""
    from dataclasses import replace

    from dashboard.importing.registry import (
        ImportOptions,
        ImportResult,
        SourceFile,
        UnreadableFile,
        get_kind,
        run_check,
        run_import,
    )
    from dashboard.store.db import Session, get_engine, migrate
    from dashboard.store.security import Actor
    from dashboard.store.users import actor_for, get_user_by_username

    migrate(get_settings().database_url)
    engine = get_engine(get_settings().database_url)
    empty = {"rows": 0, "added": 0, "changed": 0, "unchanged": 0, "committed": False}
    try:
        get_kind(args.kind)
    except LookupError as exc:
        _out(
            args,
            {**empty, "errors": [{"row": 0, "column": "", "message": str(exc)}], "warnings": []},
            [str(exc)],
        )
        return EXIT_UNREADABLE
    actor = Actor.command_line()
    if args.user:
        with Session(engine) as session:
            user = get_user_by_username(session=session, username=args.user)
            if user is None or not user.active:
                message = f"No active user called '{args.user}'."
                _out(
                    args,
                    {
                        **empty,
                        "errors": [{"row": 0, "column": "", "message": message}],
                        "warnings": [],
                    },
                    [message],
                )
                return EXIT_ERRORS
            actor = replace(actor_for(session=session, user=user), source="cli")
    path = Path(args.file)
    options = ImportOptions(
        sheet=args.sheet, submit=args.submit, allow_changes=args.allow_changes, source="cli"
    )
    try:
        if not path.is_file():
            raise UnreadableFile(f"There is no file at {path}.")
        source = SourceFile.from_path(path)
        if args.dry_run:
            checked = run_check(
                engine=engine, actor=actor, source=source, kind=args.kind, options=options
            )
            result = ImportResult(checked, committed=False, message="Checked only (dry run).")
        else:
            result = run_import(
                engine=engine, actor=actor, source=source, kind=args.kind, options=options
            )
    except UnreadableFile as exc:
        _out(
            args,
            {**empty, "errors": [{"row": 0, "column": "", "message": str(exc)}], "warnings": []},
            [str(exc)],
        )
        return EXIT_UNREADABLE
    checked = result.checked
    lines = [
        f"{checked.filename}: {checked.rows} rows, {checked.added} added, "
        f"{checked.changed} changed, {checked.unchanged} unchanged.",
    ]
    for p in checked.sorted_problems():
        lines.append(f"  {p.severity.value:7} row {p.row}, {p.column}: {p.message}")
    lines.append(result.message)
    _out(args, result.as_json(), lines)
    if not checked.ok:
        return EXIT_ERRORS
    if not result.committed and not args.dry_run and not checked.nothing_to_change:
        return EXIT_ERRORS
    print("", end="", file=sys.stderr)
    return EXIT_OK
