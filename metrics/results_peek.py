"""The results key, and a SQLite store's kept results read without SQLAlchemy or pandas.

`python -m metrics score --db` on a SQLite store reads its kept scores here: importing SQLAlchemy and pandas
and opening the store take ~1 s, reading the kept scores ~0.03 s (metrics.results keeps and reads them for
every other reader, through the store).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from loaders.store_peek import SCHEMA_VERSION, active_digest, sqlite_file

RESULTS_FORMAT = 1  # raise when what is stored per run changes meaning
EVALUATION_PREFIX = "evaluation/"  # a stored Evaluation field's payload name: EVALUATION_PREFIX + the field
_CODE_ROOTS = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "loaders" / "schema.py")
DEFAULT_CROSSWALK = Path(__file__).resolve().parent.parent / "data" / "common_core.csv"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of the program that computes results: a new version of it never reads an older one's results.

    Taken once a process: it names the program the process imported, even after the files on disk change."""
    return _program_on_disk()


def program_changed() -> bool:
    """Whether the program on disk is no longer the one this process runs (updated while it ran)."""
    return _program_on_disk() != code_digest()


def _program_on_disk() -> str:
    digest = hashlib.sha256()
    files = sorted(p for root in _CODE_ROOTS for p in ([root] if root.is_file() else root.rglob("*.py")))
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def rules_path(path: str | os.PathLike | None = None) -> Path:
    """The rules file load_config(path) reads."""
    from metrics.config import DEFAULT_RULES, ENV_VAR

    return Path(path or os.environ.get(ENV_VAR) or DEFAULT_RULES).resolve()


def crosswalk_path() -> Path:
    """The crosswalk file in use: $STREETS_CROSSWALK, else data/common_core.csv."""
    return Path(os.environ.get("STREETS_CROSSWALK") or DEFAULT_CROSSWALK)


def results_key(data_digest: str, rules: str | os.PathLike | None = None) -> str:
    """The key of the results of the data named by data_digest under the rules file, the crosswalk and this program."""
    rules_bytes = rules_path(rules).read_bytes()
    crosswalk = crosswalk_path()
    crosswalk_bytes = crosswalk.read_bytes() if crosswalk.exists() else b""
    parts = [str(RESULTS_FORMAT), data_digest, hashlib.sha256(rules_bytes).hexdigest(), code_digest()]
    parts.append(hashlib.sha256(crosswalk_bytes).hexdigest())  # the common-core crosswalk is data the results use
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def kept_sqlite(url: str, rules: str | os.PathLike | None, names: Iterable[str]) -> dict[str, bytes] | None:
    """The named payloads of the ready results of a plain SQLite store's current data and rules, read in one
    snapshot; None when url is not a plain SQLite file, the store is of another schema version (opening it
    upgrades or refuses it), or those results are not all kept (then the store computes them)."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    wanted = list(names)
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        con.execute("BEGIN")  # one snapshot: the active batches and the results read with them
        version = con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
        if version is None or version[0] != str(SCHEMA_VERSION):
            return None
        ids = [i for (i,) in con.execute("SELECT id FROM batches WHERE active ORDER BY id")]
        key = results_key(active_digest(ids), rules)
        state = con.execute("SELECT state FROM result_runs WHERE key = ?", (key,)).fetchone()
        if state is None or state[0] != "ready":
            return None
        marks = ", ".join("?" * len(wanted))
        found = con.execute(
            f"SELECT name, payload FROM result_frames WHERE key = ? AND name IN ({marks})", (key, *wanted)
        ).fetchall()
    except sqlite3.Error:  # a store not written to yet, or locked past the timeout: the store decides
        return None
    finally:
        con.close()
    kept = {name: bytes(payload) for name, payload in found}
    return kept if len(kept) == len(wanted) else None
