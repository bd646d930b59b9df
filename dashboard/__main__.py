"""`python -m dashboard [--host 127.0.0.1] [--port 8050] [--db URL]`: serve the dashboard.

`python -m dashboard users add|list|disable|enable|passwd|role …` manages the accounts;
`python -m dashboard secret FILE` writes a new session secret file (mode 600) for STREETS_SECRET_FILE.
"""

from __future__ import annotations

import argparse
import errno
import getpass
import logging
import socket
import sys
from pathlib import Path

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="街道履职评价看板 Street Duty Scorecard")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--db", default=None, help="SQLAlchemy URL of the store (default: STREETS_DB or data/streets.sqlite)"
    )
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (reloader and error pop-ups)")
    return parser


def _users_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard users", description="账户管理 Manage accounts")
    parser.add_argument("--db", default=None, help="SQLAlchemy URL of the store")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="SQLAlchemy URL of the store")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add an account", parents=[common])
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["admin", "city", "district", "viewer"])
    add.add_argument("--district", action="append", default=[], help="district (officer: one; viewer: one or more)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin (scripts)")
    sub.add_parser("list", help="list the accounts", parents=[common])
    for name, text in (("disable", "disable an account"), ("enable", "enable an account again")):
        sub.add_parser(name, help=text, parents=[common]).add_argument("name")
    pw = sub.add_parser("passwd", help="set a new password (also lifts a lock-out)", parents=[common])
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    role = sub.add_parser("role", help="change an account's role and districts", parents=[common])
    role.add_argument("name")
    role.add_argument("--role", required=True, choices=["admin", "city", "district", "viewer"])
    role.add_argument("--district", action="append", default=[], help="district (officer: one; viewer: one or more)")
    return parser


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码 Password: ")
    if first != getpass.getpass("再次输入 Again: "):
        raise SystemExit("passwords differ / 两次输入的密码不同")
    return first


def _operator() -> str:
    # The CLI runs on the server as an operating-system user: that is who changed the accounts.
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def users_main(argv: list[str]) -> int:
    """The `users` subcommands; returns the exit status."""
    from dashboard.auth.accounts import ROLE_NAMES, AccountError, Accounts, check_role
    from dashboard.auth.audit import AuditLog
    from dashboard.data import open_store

    args = _users_parser().parse_args(argv)
    if args.command == "add":
        try:
            check_role(args.role, args.district)  # before asking for a password
        except AccountError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    store = open_store(args.db)
    accounts = Accounts(store.engine)
    what = " ".join(a for a in argv if a != "--password-stdin" and not a.startswith(("postgresql", "sqlite")))
    try:
        if args.command == "add":
            user = accounts.add(args.name, _password(args.password_stdin), args.role, args.district)
            print(f"added {user.username} ({ROLE_NAMES[user.role]}) {' '.join(user.districts)}")
        elif args.command == "list":
            for u in accounts.list():
                state = "active" if u.active else "disabled"
                print(f"{u.username}\t{u.role}\t{','.join(u.districts) or '*'}\t{state}")
        elif args.command in ("disable", "enable"):
            accounts.set_active(args.name, args.command == "enable")
            print(f"{args.name}: {args.command}d")
        elif args.command == "passwd":
            accounts.set_password(args.name, _password(args.password_stdin))
            print(f"{args.name}: password changed")
        elif args.command == "role":
            user = accounts.set_role(args.name, args.role, args.district)
            print(f"{user.username}: {ROLE_NAMES[user.role]} {' '.join(user.districts)}")
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        AuditLog(store.engine).record(_operator(), "users", what, f"refused: {exc}"[:32])
        return 2
    else:
        if args.command != "list":
            AuditLog(store.engine).record(_operator(), "users", what, "ok")
    finally:
        store.close()
    return 0


def port_problem(host: str, port: int) -> str | None:
    """Why the dashboard cannot listen on host:port (busy, not an address here), or None when it can."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"无法解析地址 {host}（cannot resolve host: {exc.strerror}）"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # the server itself sets SO_REUSEADDR, so a port in TIME_WAIT is not busy for it either
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"端口 {port} 已被占用，请用 --port 换一个（port {port} is in use; choose another with --port）"
            return f"无法在 {host}:{port} 监听（cannot listen on {host}:{port}: {exc.strerror}）"
    return None


def secret_main(argv: list[str]) -> int:
    """`secret FILE`: a new random session secret in FILE, mode 600; refuses to overwrite one."""
    from dashboard.auth.secret import write_secret_file

    parser = argparse.ArgumentParser(prog="python -m dashboard secret", description="会话密钥 session secret")
    parser.add_argument("file")
    args = parser.parse_args(argv)
    try:
        write_secret_file(Path(args.file))
    except OSError as exc:
        print(f"error: {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"{args.file}: 已写入 written (mode 600); export STREETS_SECRET_FILE={args.file}")
    return 0


def main(argv: list[str] | None = None) -> None:
    """Serve the app until interrupted, or run a `users` subcommand."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["users"]:
        raise SystemExit(users_main(argv[1:]))
    if argv[:1] == ["secret"]:
        raise SystemExit(secret_main(argv[1:]))
    args = _serve_parser().parse_args(argv)
    problem = port_problem(args.host, args.port)
    if problem:  # before the store is opened or seeded: a busy port must not cost a long first start
        print(f"✘ {problem}", file=sys.stderr)
        raise SystemExit(2)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from dashboard.auth.secret import NOT_SET, SecretError, load_secret

    try:
        configured = load_secret().configured
    except SecretError as exc:
        raise SystemExit(f"{exc}\n") from exc
    if args.host not in LOCAL_HOSTS and not configured:
        # A secret made up by one process cannot be shared, nor kept: a shared server needs its own.
        raise SystemExit(NOT_SET + "  python -m dashboard secret /etc/streets/secret && export STREETS_SECRET_FILE=…")
    from dashboard.app import create_app
    from dashboard.auth.web import EXTENSION_KEY, NO_ACCOUNTS
    from loaders.store_peek import StoreOpenError, StoreVersionError

    try:
        app = create_app(args.db)
    except (StoreOpenError, StoreVersionError) as exc:
        print(f"✘ {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    if args.host not in LOCAL_HOSTS and not app.server.extensions[EXTENSION_KEY].has_accounts():
        # Single local user mode is for this machine only: a shared server needs accounts first.
        raise SystemExit(NO_ACCOUNTS + f"  python -m dashboard users add NAME --role admin --db {args.db or '…'}")
    print(f"街道履职评价看板: http://{args.host}:{args.port}/")
    app.run(host=args.host, port=args.port, debug=args.debug)


if __name__ == "__main__":
    main()
