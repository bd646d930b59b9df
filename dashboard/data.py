"""The evaluation one app holds in memory: loaded from the store, recomputed after each ingest."""

from __future__ import annotations

import glob
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import flask

log = logging.getLogger(__name__)

EXTENSION_KEY = "street_scorecard"
POLL_SECONDS = 2.0  # how often a request may ask the store whether its data changed
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "samples"


@dataclass
class AppData:
    """Store handle plus the dataset and Evaluation computed from it; callbacks only read these."""

    store: Any
    dataset: Any = None
    evaluation: Any = None
    version: int = 0
    data_version: int | None = None  # the store's data_version the evaluation was computed from
    checked_at: float = 0.0
    pending: dict[str, list] = field(default_factory=dict)  # upload token → checked good files, not yet stored
    lock: threading.Lock = field(default_factory=threading.Lock)
    refreshing: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self) -> None:
        """Reload the dataset from the store and recompute the evaluation."""
        from metrics.evaluation import evaluate

        data_version = self.store.data_version()
        dataset = self.store.load_dataset()
        # An empty store has nothing to score: pages then show their "no data yet" state.
        evaluation = None if dataset.performance.empty else evaluate(dataset)
        with self.lock:
            self.dataset, self.evaluation = dataset, evaluation
            self.data_version, self.checked_at = data_version, time.monotonic()
            self.version += 1

    def refresh_if_stale(self, every: float = POLL_SECONDS) -> None:
        """Recompute when another process (a second gunicorn worker, the CLI) changed the store."""
        now = time.monotonic()
        if now - self.checked_at < every:
            return
        self.checked_at = now
        if self.store.data_version() != self.data_version:
            with self.refreshing:  # one request recomputes; the others keep serving the old evaluation
                if self.store.data_version() != self.data_version:
                    self.refresh()


def open_store(db_url: str | None) -> Any:
    """The loaders' store at db_url (None: STREETS_DB or the default SQLite file)."""
    from loaders.store import Store

    return Store(db_url or os.environ.get("STREETS_DB") or None)


def store_is_empty(store: Any) -> bool:
    """True when the store holds no performance reports and no register."""
    ds = store.load_dataset()
    return ds.performance.empty and ds.register.empty


def sample_files(folder: Path = SAMPLES_DIR) -> list[str]:
    """The shipped sample workbooks, register and lists first so reports resolve their streets."""
    files = sorted(glob.glob(str(folder / "**" / "*.xlsx"), recursive=True))
    return sorted(files, key=lambda p: (_sample_rank(Path(p).name), p))


def _sample_rank(name: str) -> int:
    # The register and lists must be in the store before reports name their streets.
    if "名册" in name or "register" in name.lower():
        return 0
    if "清单" in name or "list" in name.lower():
        return 1
    return 2


def seed_samples(store: Any, folder: Path = SAMPLES_DIR) -> int:
    """Ingest the sample workbooks into an empty store; return how many files were stored."""
    from loaders import read_files

    files = sample_files(folder)
    if not files:
        return 0
    result = read_files(files, register=store.load_register())
    stored = 0
    for parsed in result.files:
        if parsed.ok:
            store.ingest(parsed, user="sample")
            stored += 1
        else:
            log.warning("sample %s refused: %s", parsed.name, "; ".join(f.text() for f in parsed.errors[:3]))
    return stored


def check_files(store: Any, paths: list[str]) -> list[Any]:
    """Read uploaded workbooks against the stored register; nothing is stored (ParsedFile each)."""
    from loaders import read_files

    # One process: forking a threaded web server to read a few uploads costs more than it saves.
    return read_files(paths, register=store.load_register(), workers=1).files


def current() -> AppData:
    """The AppData of the app serving this request, recomputed first if the store changed meanwhile."""
    data: AppData = flask.current_app.extensions[EXTENSION_KEY]
    data.refresh_if_stale()
    return data


def install(server: flask.Flask, data: AppData) -> None:
    """Attach data to a Flask server so callbacks find it through current()."""
    server.extensions[EXTENSION_KEY] = data
