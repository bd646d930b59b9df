"""Recognising a full disk (or database quota) in whatever error the file system, SQLite or PostgreSQL raise."""

from __future__ import annotations

import errno

ZH = "磁盘已满，未能写入"
EN = "the disk is full: nothing was written"
_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_SQLITE_FULL = "database or disk is full"
_PG_DISK_FULL = "53100"  # SQLSTATE disk_full


def is_disk_full(exc: BaseException | None) -> bool:
    """True when exc, or an error it wraps, says the disk or the database is full."""
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, OSError) and exc.errno in _ERRNOS:
            return True
        if _SQLITE_FULL in str(exc) or getattr(exc, "sqlstate", None) == _PG_DISK_FULL:
            return True
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
        seen += 1
    return False


def message(name: str = "") -> str:
    """The bilingual message, naming the file when there is one."""
    where = f"{name}: " if name else ""
    return f"{where}{ZH}（{EN}）"
