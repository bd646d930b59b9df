"""User accounts in their own SQL tables on the store's engine: hashed passwords, roles, lock-out."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

ROLES = ("admin", "city", "district", "viewer")
ROLE_NAMES = {
    "admin": "管理员 admin",
    "city": "市级评估 city evaluator",
    "district": "区县专员 district officer",
    "viewer": "只读 viewer",
}
MAX_FAILED = 5
LOCK_MINUTES = 15
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
)
# One secret shared by every worker on the same store, so a session made by one is valid in all.
secrets_table = sa.Table(
    "dashboard_secrets",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
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
        self.engine = engine
        with self._write() as conn, conn.begin():
            metadata.create_all(conn)

    def _write(self):
        return self.engine.connect().execution_options(write=True)

    def secret_key(self) -> str:
        """The session-signing secret shared by every process on this store (made once)."""
        with self._write() as conn, conn.begin():
            value = conn.execute(sa.select(secrets_table.c.value).where(secrets_table.c.name == "session")).scalar()
            if value is None:
                value = secrets.token_hex(32)
                conn.execute(secrets_table.insert().values(name="session", value=value))
        return value

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
            with self._write() as conn, conn.begin():
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
        """Disable (or enable again) an account."""
        self._update(username, active=active, failed=0, locked_until=None)

    def set_password(self, username: str, password: str) -> None:
        """A new password; also lifts a lock-out."""
        if len(password) < 8:
            raise AccountError("a password needs at least 8 characters")
        self._update(username, password_hash=generate_password_hash(password), failed=0, locked_until=None)

    def _update(self, username: str, **values: object) -> None:
        with self._write() as conn, conn.begin():
            done = conn.execute(users.update().where(users.c.username == username).values(**values)).rowcount
        if not done:
            raise AccountError(f"no user {username!r}")

    def verify(self, username: str, password: str) -> tuple[User | None, str]:
        """(user, 'ok') for a right password; (None, 'bad' / 'locked' / 'disabled') otherwise."""
        with self._write() as conn, conn.begin():
            row = conn.execute(sa.select(users).where(users.c.username == username)).mappings().first()
            if row is None:
                check_password_hash(_DUMMY_HASH, password)
                return None, "bad"
            now = _now()
            if row["locked_until"] is not None and row["locked_until"] > now:
                return None, "locked"
            if not check_password_hash(row["password_hash"], password):
                failed = row["failed"] + 1
                lock = now + timedelta(minutes=LOCK_MINUTES) if failed >= MAX_FAILED else None
                conn.execute(
                    users.update()
                    .where(users.c.id == row["id"])
                    .values(failed=0 if lock else failed, locked_until=lock)
                )
                return None, "locked" if lock else "bad"
            if not row["active"]:
                return None, "disabled"
            if row["failed"] or row["locked_until"] is not None:
                conn.execute(users.update().where(users.c.id == row["id"]).values(failed=0, locked_until=None))
        return _user(row), "ok"


def _user(row) -> User:
    return User(
        id=row["id"],
        username=row["username"],
        role=row["role"],
        districts=tuple(json.loads(row["districts"] or "[]")),
        active=bool(row["active"]),
        locked_until=row["locked_until"],
    )
