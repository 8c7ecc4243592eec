"""The command line: ``python -m dashboard <command>``.

Commands: ``init-db`` (apply migrations), ``seed-demo`` (the demo council),
``create-user``, ``import`` and ``export`` (their own issues fill these in).
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date

from core.vocab import Role
from dashboard.config import get_settings

Handler = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Handler]] = {}


def command(
    name: str, configure: Callable[[argparse.ArgumentParser], None]
) -> Callable[[Handler], Handler]:
    """Register a subcommand (other modules add ``import``, ``export``... this way)."""

    def register(handler: Handler) -> Handler:
        _COMMANDS[name] = (configure, handler)
        return handler

    return register


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2024-11-23") from exc


def _no_args(_parser: argparse.ArgumentParser) -> None:
    return None


def _init_db_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--app-role",
        default=None,
        metavar="NAME",
        help="PostgreSQL: create (or refresh) a role that owns nothing, for the app to "
        "connect as; run again after every upgrade",
    )


@command("init-db", _init_db_args)
def _init_db(args: argparse.Namespace) -> int:
    from dashboard.store.db import get_engine, migrate
    from dashboard.store.roles import AppRoleError, grant_app_role

    migrate(get_settings().database_url)
    print("Database is up to date.")
    if args.app_role:
        try:
            created = grant_app_role(get_engine(get_settings().database_url), args.app_role)
        except AppRoleError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        made = "Created" if created else "Refreshed"
        print(
            f"{made} the role {args.app_role}: it may read and write the data and only add "
            "to the audit log. Set its password (psql: \\password "
            f"{args.app_role}) and give the app a DATABASE_URL that connects as it."
        )
    return 0


def _seed_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of", type=_date, default=None, help="pin the clock (default: today), e.g. 2024-11-23"
    )
    parser.add_argument(
        "--measures", type=int, default=None, help="scale up to this many measures (benchmarks)"
    )
    parser.add_argument("--years", type=int, default=None, help="years of history")
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing when the database already holds measures",
    )


@command("seed-demo", _seed_args)
def _seed_demo(args: argparse.Namespace) -> int:
    from dashboard.demo.seed import seed_demo
    from dashboard.store.db import get_engine, migrate
    from dashboard.store.queries_meta import database_has_measures

    migrate(get_settings().database_url)
    engine = get_engine(get_settings().database_url)
    if database_has_measures(engine):
        if args.if_empty:
            print("The database already holds data: the demo council was not seeded again.")
            return 0
        print("The database already holds measures: seed an empty database.", file=sys.stderr)
        return 1
    started = time.perf_counter()
    summary = seed_demo(engine, as_of=args.as_of, measures=args.measures, years=args.years)
    print(
        f"Seeded the demo council as of {summary.as_of}: {summary.measures} measures, "
        f"{summary.observations} figures, {summary.targets} targets, {summary.actions} "
        f"actions, {summary.staff} staff in {time.perf_counter() - started:.1f} s."
    )
    return 0


def _user_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username")
    parser.add_argument("--name", required=True)
    parser.add_argument("--role", required=True, choices=[r.value for r in Role])
    parser.add_argument("--email", default=None)
    parser.add_argument(
        "--department",
        action="append",
        default=[],
        help="a department the user leads (repeat for several)",
    )
    parser.add_argument("--line-manager", default=None, help="the line manager's username")
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of asking",
    )


@command("create-user", _user_args)
def _create_user(args: argparse.Namespace) -> int:
    from dashboard.store.db import migrate, session_scope
    from dashboard.store.models import UserCreate
    from dashboard.store.security import Actor
    from dashboard.store.structure import get_department_by_name
    from dashboard.store.users import create_user, get_user_by_username

    migrate(get_settings().database_url)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Repeat the password: "):
            print("The passwords differ.", file=sys.stderr)
            return 1
    with session_scope(get_settings().database_url) as session:
        dept_ids = []
        for name in args.department:
            dept = get_department_by_name(session=session, name=name)
            if dept is None:
                print(f"No department called '{name}'.", file=sys.stderr)
                return 1
            assert dept.id is not None
            dept_ids.append(dept.id)
        manager_id = None
        if args.line_manager:
            manager = get_user_by_username(session=session, username=args.line_manager)
            if manager is None:
                print(f"No user called '{args.line_manager}'.", file=sys.stderr)
                return 1
            manager_id = manager.id
        try:
            user = create_user(
                session=session,
                actor=Actor.command_line(),
                user_in=UserCreate(
                    username=args.username,
                    name=args.name,
                    role=args.role,
                    email=args.email,
                    password=password,
                    department_ids=dept_ids,
                    line_manager_id=manager_id,
                ),
            )
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        print(f"Created {user.username} ({user.role}).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    _load_plugins()
    parser = argparse.ArgumentParser(
        prog="python -m dashboard", description="Vital Signs command line"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, (configure, handler) in sorted(_COMMANDS.items()):
        doc = (handler.__doc__ or "").strip().splitlines()
        p = sub.add_parser(name, help=doc[0] if doc else None)
        configure(p)
        p.set_defaults(handler=handler)
    return parser


def _load_plugins() -> None:
    """Import the modules that register further commands (import, export, reminders...)."""
    import importlib

    for module in (
        "dashboard.cli.imports",
        "dashboard.cli.exports",
        "dashboard.cli.reminders",
        "dashboard.cli.checkins",
    ):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module.startswith(exc.name):
                raise


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    finally:
        from dashboard.store.db import dispose_engines

        dispose_engines()
