"""Checked uploads waiting for their uploader's confirm, kept in the store so any process or host can store them.

The hand-off is three calls: `put(owner, files)` after a check gives a token; `take(owner, token)` on confirm
returns the files once (an atomic DELETE … RETURNING: of two confirms, in two workers or on two hosts,
exactly one gets them); `forget_stale()` drops what nobody confirmed in time.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from loaders.store import write_transaction
from loaders.store_schema import pending_uploads

PENDING_FOR = timedelta(hours=24)  # a checked upload not confirmed within a day is dropped
TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Upload:
    """One checked file: its name as uploaded and its bytes."""

    name: str
    content: bytes


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class PendingUploads:
    """The pending_uploads table of one store."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def put(self, owner: str, files: list[Upload]) -> str:
        """Keep files for owner until confirmed; the token that names them."""
        self.forget_stale()
        token = uuid.uuid4().hex
        rows = [
            {"token": token, "owner": owner, "file_name": f.name, "content": f.content, "created_at": _now()}
            for f in files
        ]
        if rows:
            with write_transaction(self.engine) as conn:
                conn.execute(pending_uploads.insert(), rows)
        return token

    def take(self, owner: str, token: str) -> list[Upload]:
        """The files of token if owner put them, removed in the same statement; [] when gone, foreign or taken."""
        if not TOKEN.fullmatch(token or ""):
            return []
        stmt = (
            pending_uploads.delete()
            .where(pending_uploads.c.token == token, pending_uploads.c.owner == owner)
            .returning(pending_uploads.c.id, pending_uploads.c.file_name, pending_uploads.c.content)
        )
        with write_transaction(self.engine) as conn:
            rows = conn.execute(stmt).all()
        return [Upload(name, bytes(content)) for _, name, content in sorted(rows)]

    def forget_stale(self, older_than: timedelta = PENDING_FOR) -> int:
        """Drop uploads nobody confirmed within older_than; how many files were dropped."""
        with write_transaction(self.engine) as conn:
            old = pending_uploads.c.created_at < _now() - older_than
            return conn.execute(pending_uploads.delete().where(old)).rowcount
