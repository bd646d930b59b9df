"""User accounts in their own SQL tables on the store's engine: hashed passwords, roles, lock-out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from loaders.store import write_transaction

ROLES = ("admin", "city", "district", "viewer")
ROLE_NAMES = {
    "admin": "管理员 admin",
    "city": "市级评估 city evaluator",
    "district": "区县专员 district officer",
    "viewer": "只读 viewer",
}
MAX_FAILED = 5  # wrong passwords for one account from one address: that address is locked out of it
LOCK_MINUTES = 15
ACCOUNT_MAX_FAILED = 50  # from any addresses: the account itself is locked (distributed guessing)
ADDRESS_MAX_FAILED = 30  # wrong logins from one address, whatever the names: the address waits
# Checked against when the user is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password")

metadata = sa.MetaData()
users = sa.Table(
    "dashboard_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(80), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("districts", sa.Text, nullable=False, default="[]"),  # JSON list; empty for admin and city
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("failed", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.DateTime),  # UTC, naive
    sa.Column("created_at", sa.DateTime, nullable=False),
    # Part of every session cookie; bumped by logout, password, role and district changes and disable,
    # which ends every session made before.
    sa.Column("session_version", sa.Integer, nullable=False, default=0, server_default="0"),
)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class User:
    """One account as the app sees it (no password hash)."""

    id: int
    username: str
    role: str
    districts: tuple[str, ...]
    active: bool
    locked_until: datetime | None = None
    session_version: int = 0

    @property
    def all_districts(self) -> bool:
        """Admin and city evaluators see every district."""
        return self.role in ("admin", "city")

    @property
    def can_upload(self) -> bool:
        """Everyone but viewers may upload (officers only their district's reports)."""
        return self.role in ("admin", "city", "district")


class AccountError(ValueError):
    """A user command that cannot be done (unknown role, missing district, duplicate name)."""


def check_role(role: str, districts: list[str]) -> list[str]:
    """The districts a role keeps: none for admin/city, exactly one for an officer, some for a viewer."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    districts = [d.strip() for d in districts if d.strip()]
    if role in ("admin", "city"):
        return []
    if role == "district" and len(districts) != 1:
        raise AccountError("a district officer needs exactly one district (--district 武侯区)")
    if role == "viewer" and not districts:
        raise AccountError("a viewer needs at least one district (--district 武侯区 --district 成华区)")
    return districts


class Accounts:
    """The account tables on an engine (the store's), created when missing."""

    def __init__(self, engine: sa.Engine) -> None:
        from dashboard.auth.throttle import Throttle  # its table lives on this metadata

        self.engine = engine
        self.throttle = Throttle(engine, LOCK_MINUTES * 60)
        with write_transaction(self.engine) as conn:
            metadata.create_all(conn)
            _upgrade(conn)

    def count(self) -> int:
        """How many accounts exist (disabled ones included)."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one()

    def add(self, username: str, password: str, role: str, districts: list[str]) -> User:
        """A new active account."""
        username = username.strip()
        if not username or len(password) < 8:
            raise AccountError("a user name and a password of at least 8 characters are needed")
        kept = check_role(role, districts)
        try:
            with write_transaction(self.engine) as conn:
                conn.execute(
                    users.insert().values(
                        username=username,
                        password_hash=generate_password_hash(password),
                        role=role,
                        districts=json.dumps(kept, ensure_ascii=False),
                        active=True,
                        failed=0,
                        created_at=_now(),
                    )
                )
        except sa.exc.IntegrityError as exc:
            raise AccountError(f"user {username!r} exists already") from exc
        return self.get(username)

    def list(self) -> list[User]:
        """Every account, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(users).order_by(users.c.username)).mappings().all()
        return [_user(r) for r in rows]

    def get(self, username: str) -> User | None:
        """The account of a name, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.username == username)).mappings().first()
        return _user(row) if row else None

    def by_id(self, user_id: int) -> User | None:
        """The account of an id, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.id == user_id)).mappings().first()
        return _user(row) if row else None

    def set_active(self, username: str, active: bool) -> None:
        """Disable (or enable again) an account; its open sessions end."""
        self._update(username, active=active, failed=0, locked_until=None)

    def set_password(self, username: str, password: str) -> None:
        """A new password; also lifts a lock-out and ends the account's open sessions."""
        if len(password) < 8:
            raise AccountError("a password needs at least 8 characters")
        self._update(username, password_hash=generate_password_hash(password), failed=0, locked_until=None)
        self.throttle.clear_user(username)

    def set_role(self, username: str, role: str, districts: list[str]) -> User:
        """A new role and districts; the account's open sessions end (they carried the old scope)."""
        kept = check_role(role, districts)
        self._update(username, role=role, districts=json.dumps(kept, ensure_ascii=False))
        return self.get(username)

    def end_sessions(self, user_id: int) -> None:
        """End every open session of the account (logout ends them on every device)."""
        with write_transaction(self.engine) as conn:
            conn.execute(
                users.update().where(users.c.id == user_id).values(session_version=users.c.session_version + 1)
            )

    def _update(self, username: str, **values: object) -> None:
        values["session_version"] = users.c.session_version + 1
        with write_transaction(self.engine) as conn:
            done = conn.execute(users.update().where(users.c.username == username).values(**values)).rowcount
        if not done:
            raise AccountError(f"no user {username!r}")

    def verify(self, username: str, password: str, address: str | None = None) -> tuple[User | None, str]:
        """(user, 'ok') for a right password; (None, 'bad' / 'locked' / 'throttled' / 'disabled') otherwise.

        A name that does not exist is answered exactly like a wrong password (same hash work, same counters),
        so names cannot be enumerated. Five failures lock that name for that address only; the account itself
        locks after ACCOUNT_MAX_FAILED failures from anywhere, so locking someone else out takes many addresses.
        """
        addr = address or "-"
        pair = f"pair:{username}|{addr}"
        if self.throttle.count(f"addr:{addr}") >= ADDRESS_MAX_FAILED:
            check_password_hash(_DUMMY_HASH, password)
            return None, "throttled"
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.username == username)).mappings().first()
        now = _now()
        if self.throttle.count(pair) >= MAX_FAILED or (
            row is not None and row["locked_until"] is not None and row["locked_until"] > now
        ):
            check_password_hash(_DUMMY_HASH, password)
            return None, "locked"
        if row is None or not check_password_hash(row["password_hash"], password):
            if row is None:
                check_password_hash(_DUMMY_HASH, password)
            return None, self._failed(row, pair, addr)
        if not self._succeeded(row["id"]):
            return None, "locked"  # a concurrent failure locked the account meanwhile
        self.throttle.clear(pair)
        if not row["active"]:
            return None, "disabled"
        return _user(row), "ok"

    def _failed(self, row, pair: str, addr: str) -> str:
        """Count one failure on every counter, each atomically; 'locked' when this one locked the name."""
        self.throttle.hit(f"addr:{addr}")
        locked = self.throttle.hit(pair) >= MAX_FAILED
        if row is not None:
            lock = _now() + timedelta(minutes=LOCK_MINUTES)
            # One statement: concurrent failures cannot overwrite each other's count (read-modify-write could).
            stmt = (
                users.update()
                .where(users.c.id == row["id"])
                .values(
                    failed=users.c.failed + 1,
                    locked_until=sa.case((users.c.failed + 1 >= ACCOUNT_MAX_FAILED, lock), else_=users.c.locked_until),
                )
                .returning(users.c.failed)
            )
            with write_transaction(self.engine) as conn:
                locked = conn.execute(stmt).scalar_one() >= ACCOUNT_MAX_FAILED or locked
        return "locked" if locked else "bad"

    def _succeeded(self, user_id: int) -> bool:
        """Reset the account's failures unless it is locked now (checked in the same statement)."""
        now = _now()
        free = sa.or_(users.c.locked_until.is_(None), users.c.locked_until <= now)
        with write_transaction(self.engine) as conn:
            done = conn.execute(
                users.update().where(users.c.id == user_id, free).values(failed=0, locked_until=None)
            ).rowcount
        return bool(done)

    def failures(self, username: str) -> int:
        """The account's failed logins since its last success (all addresses)."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(users.c.failed).where(users.c.username == username)).scalar() or 0


def _upgrade(conn: sa.Connection) -> None:
    """Columns added since a store was made; the session secret that used to live here is removed."""
    have = {c["name"] for c in sa.inspect(conn).get_columns("dashboard_users")}
    if "session_version" not in have:
        conn.execute(sa.text("ALTER TABLE dashboard_users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0"))
    # Anyone who could read the store could forge sessions with it: the secret now comes from the environment.
    conn.execute(sa.text("DROP TABLE IF EXISTS dashboard_secrets"))


def _user(row) -> User:
    return User(
        id=row["id"],
        username=row["username"],
        role=row["role"],
        districts=tuple(json.loads(row["districts"] or "[]")),
        active=bool(row["active"]),
        locked_until=row["locked_until"],
        session_version=row["session_version"] or 0,
    )
