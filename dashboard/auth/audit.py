"""The audit log: who uploaded, ingested, exported or logged in, when, what, and with what outcome."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa

from dashboard.auth.accounts import metadata
from loaders.store import write_transaction

log = logging.getLogger(__name__)
ACTIONS = ("login", "logout", "upload", "ingest", "export", "users")

audit_log = sa.Table(
    "dashboard_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),  # UTC, naive
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("outcome", sa.String(32), nullable=False),
    sa.Column("address", sa.String(64)),
)
COLUMNS = ["id", "at", "user_name", "action", "what", "outcome", "address"]


class AuditLog:
    """Append and read audit entries on an engine (tables made by Accounts on the same metadata)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def record(self, user: str, action: str, what: str, outcome: str, address: str | None = None) -> None:
        """Append one entry; a failure to log is logged, never raised into the user's request."""
        try:
            with write_transaction(self.engine) as conn:
                conn.execute(
                    audit_log.insert().values(
                        at=datetime.now(UTC).replace(tzinfo=None),
                        user_name=user,
                        action=action,
                        what=what[:2000],
                        outcome=outcome[:32],
                        address=address,
                    )
                )
        except sa.exc.SQLAlchemyError:
            log.exception("audit entry lost: %s %s %s %s", user, action, what, outcome)

    def entries(self, action: str | None = None, user: str | None = None, limit: int = 5000) -> pd.DataFrame:
        """Entries newest first, optionally of one action or user."""
        stmt = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if action:
            stmt = stmt.where(audit_log.c.action == action)
        if user:
            stmt = stmt.where(audit_log.c.user_name == user)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).mappings().all()
        df = pd.DataFrame(rows, columns=COLUMNS)
        df["at"] = pd.to_datetime(df["at"])
        return df
