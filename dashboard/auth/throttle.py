"""Login throttling shared by every worker and host: counters in a small table of the store, each hit one
atomic upsert (INSERT … ON CONFLICT DO UPDATE … RETURNING) on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from dashboard.auth.accounts import metadata
from loaders.store import write_transaction

throttle = sa.Table(
    "dashboard_throttle",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),  # "addr:10.0.0.7" or "pair:name|10.0.0.7"
    sa.Column("started", sa.DateTime, nullable=False),  # UTC, naive: start of the current window
    sa.Column("hits", sa.Integer, nullable=False),
)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Throttle:
    """Counters of failed logins per key within a sliding-start window of window seconds."""

    def __init__(self, engine: sa.Engine, window: float) -> None:
        self.engine, self.window = engine, timedelta(seconds=window)
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    def hit(self, key: str) -> int:
        """Count one failure for key and return the count in the current window (a new window after one lapses)."""
        now = _now()
        lapsed = throttle.c.started < now - self.window
        stmt = (
            self._insert(throttle)
            .values(key=key[:200], started=now, hits=1)
            .on_conflict_do_update(
                index_elements=[throttle.c.key],
                set_={
                    "hits": sa.case((lapsed, 1), else_=throttle.c.hits + 1),
                    "started": sa.case((lapsed, now), else_=throttle.c.started),
                },
            )
            .returning(throttle.c.hits)
        )
        with write_transaction(self.engine) as conn:
            return conn.execute(stmt).scalar_one()

    def count(self, key: str) -> int:
        """Failures counted for key in the current window (0 once it lapsed)."""
        stmt = sa.select(throttle.c.hits).where(throttle.c.key == key[:200], throttle.c.started >= _now() - self.window)
        with self.engine.connect() as conn:
            return conn.execute(stmt).scalar() or 0

    def clear(self, key: str) -> None:
        """Forget key's failures (after a successful login); also drops counters whose window lapsed."""
        with write_transaction(self.engine) as conn:
            conn.execute(
                throttle.delete().where(sa.or_(throttle.c.key == key[:200], throttle.c.started < _now() - self.window))
            )

    def clear_user(self, username: str) -> None:
        """Forget every address's failures for username (an admin set a new password)."""
        with write_transaction(self.engine) as conn:
            conn.execute(throttle.delete().where(throttle.c.key.startswith(f"pair:{username}|", autoescape=True)))
