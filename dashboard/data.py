"""The evaluation one app holds in memory: loaded from the store, recomputed after each ingest."""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import tempfile
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import flask

log = logging.getLogger(__name__)

EXTENSION_KEY = "street_scorecard"
POLL_SECONDS = 2.0  # how often a request may ask the store whether its data changed
# The background Monte Carlo holds the GIL in stretches of up to ~0.1 s: it waits for a pause in the requests
# (none for QUIET_SECONDS), but no longer than WARM_PATIENCE per period, so steady traffic still gets it done.
QUIET_SECONDS = 0.5
WARM_PATIENCE = 10.0
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "samples"


@dataclass
class AppData:
    """Store handle plus the dataset and Evaluation computed from it; callbacks only read these."""

    store: Any
    dataset: Any = None
    evaluation: Any = None
    version: int = 0
    data_version: int | None = None  # the store's data_version the evaluation was computed from
    samples_only: bool = False  # the store holds the shipped synthetic samples and nothing else
    checked_at: float = 0.0
    pending: dict[str, list] = field(default_factory=dict)  # upload token → checked good files, not yet stored
    lock: threading.Lock = field(default_factory=threading.Lock)
    refreshing: threading.Lock = field(default_factory=threading.Lock)
    warming: threading.Thread | None = None  # computes the older periods' rank bands after a refresh
    active: int = 0  # requests being served (install's hooks count them)
    quiet_since: float = 0.0  # time.monotonic() when the last request ended
    peer_cache: dict[tuple[int, str, int], Any] = field(default_factory=dict)  # (version, period, k) → peers

    def refresh(self) -> None:
        """Reload the dataset from the store and recompute the evaluation."""
        from metrics.evaluation import evaluate

        data_version = self.store.data_version()
        samples_only = self.store.holds_only_samples()
        dataset = self.store.load_dataset()
        # An empty store has nothing to score: pages then show their "no data yet" state.
        evaluation = None if dataset.performance.empty else evaluate(dataset)
        with self.lock:
            self.dataset, self.evaluation = dataset, evaluation
            self.samples_only = samples_only
            self.data_version, self.checked_at = data_version, time.monotonic()
            self.version += 1
        if evaluation is not None and evaluation.periods:
            # The Monte Carlo takes ~0.25 s per period at city scale: run the latest period now, so the
            # first callback after a start or an ingest stays within budget; the older ones in the background.
            self.bands(evaluation.periods[-1])
            self.warming = threading.Thread(
                target=self._warm, args=(evaluation, evaluation.periods[-2::-1]), name="warm-bands", daemon=True
            )
            self.warming.start()

    def _warm(self, ev: Any, periods: list[str]) -> None:
        """Compute the rank bands of periods (newest first) for ev until a newer evaluation replaces it."""
        for period in periods:
            self.wait_quiet()
            if self.evaluation is not ev:
                return
            try:
                _uncertainty(ev, period)
            except Exception:  # a request computes it again on first use and shows its own error
                log.exception("rank bands of %s could not be precomputed", period)

    def request_started(self) -> None:
        """Count a request in (a Flask before_request hook)."""
        with self.lock:
            self.active += 1
        flask.g.street_counted = True

    def request_ended(self, _exc: BaseException | None = None) -> None:
        """Count a request out (a Flask teardown_request hook); only one that was counted in."""
        if flask.g.pop("street_counted", False):
            with self.lock:
                self.active -= 1
                self.quiet_since = time.monotonic()

    def wait_quiet(self, quiet: float = QUIET_SECONDS, patience: float = WARM_PATIENCE) -> None:
        """Return once no request has been served for quiet seconds, or after patience seconds at most."""
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            with self.lock:
                if self.active == 0 and time.monotonic() - self.quiet_since >= quiet:
                    return
            time.sleep(0.05)

    def bands(self, period: str | None) -> Any:
        """metrics.uncertainty BAND_COLUMNS of the period over the whole city (cached per Evaluation)."""
        return _uncertainty(self.evaluation, period).bands

    def sensitivity(self, period: str | None) -> Any:
        """metrics.sensitivity SENSITIVITY_COLUMNS of the period (city ranks)."""
        return _uncertainty(self.evaluation, period).sensitivity

    def order(self, period: str | None) -> Any:
        """metrics.pairwise OrderProbabilities of the period over the whole city (None when nothing is ranked)."""
        return _uncertainty(self.evaluation, period).order

    def grade_odds(self, period: str | None) -> Any:
        """metrics.pairwise GRADE_PROB_COLUMNS of the period (None when nothing is ranked)."""
        return _uncertainty(self.evaluation, period).grades

    def whatif(self, period: str | None, weights: dict[str, float]) -> Any:
        """metrics.whatif WHATIF_COLUMNS of the period's city scores under the officer's function weights."""
        from metrics.whatif import WHATIF_COLUMNS, whatif_ranking

        ev = self.evaluation
        if ev is None or period not in ev.periods:
            import pandas as pd

            return pd.DataFrame(columns=WHATIF_COLUMNS)
        return whatif_ranking(ev.scores_for(period), weights)

    def peers(self, period: str | None, k: int | None = None) -> Any:
        """metrics.peers PEER_COLUMNS: every scored street's k nearest peers across the city in the period."""
        from metrics.peers import DEFAULT_K, PEER_COLUMNS, nearest_peers

        k = k or DEFAULT_K
        with self.lock:
            ev, ds, version = self.evaluation, self.dataset, self.version
            hit = self.peer_cache.get((version, period, k))
        if hit is not None:
            return hit
        if ev is None or period not in ev.periods:
            import pandas as pd

            return pd.DataFrame(columns=PEER_COLUMNS)
        peers = nearest_peers(ev, ds.register, period, k)
        with self.lock:
            if version == self.version:  # one data version's peers only: drop those of older ones
                self.peer_cache = {key: v for key, v in self.peer_cache.items() if key[0] == version}
                self.peer_cache[(version, period, k)] = peers
        return peers

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


_COMPUTING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Evaluation → {period: Lock}
_COMPUTING_GUARD = threading.Lock()


def _fresh_locks_after_fork() -> None:
    # A worker forked from a loaded app (gunicorn --preload) has no warming thread: a lock it held must not stay held.
    global _COMPUTING, _COMPUTING_GUARD
    _COMPUTING, _COMPUTING_GUARD = weakref.WeakKeyDictionary(), threading.Lock()


os.register_at_fork(after_in_child=_fresh_locks_after_fork)


def _period_lock(ev: Any, period: str) -> threading.Lock:
    """The lock held while one period of ev is computed (kept while ev lives)."""
    with _COMPUTING_GUARD:
        return _COMPUTING.setdefault(ev, {}).setdefault(period, threading.Lock())


def _uncertainty(ev: Any, period: str | None) -> Any:
    """metrics' PeriodResult of ev and period; empty frames when there is nothing to rank."""
    from metrics.sensitivity import SENSITIVITY_COLUMNS
    from metrics.uncertainty import BAND_COLUMNS, PeriodResult, for_period

    if ev is None or period not in ev.periods:
        import pandas as pd

        return PeriodResult(pd.DataFrame(columns=BAND_COLUMNS), pd.DataFrame(columns=SENSITIVITY_COLUMNS), 0.0)
    # for_period caches the result but does not stop two threads computing the same period at once: a request
    # for a period the warming thread is computing waits for that result instead of running a second Monte Carlo.
    with _period_lock(ev, period):
        return for_period(ev, period)


def open_store(db_url: str | None) -> Any:
    """The loaders' store at db_url (None: STREETS_DB or the default SQLite file)."""
    from loaders.store import Store

    return Store(db_url or os.environ.get("STREETS_DB") or None)


def is_default_store(db_url: str | None) -> bool:
    """True when neither db_url nor STREETS_DB names a store: the default SQLite file, the only one seeded."""
    return not (db_url or os.environ.get("STREETS_DB"))


@contextmanager
def seeding_lock(url: str) -> Iterator[None]:
    """An exclusive lock between processes on this machine for seeding the store at url."""
    import fcntl

    path = Path(tempfile.gettempdir()) / f"street_scorecard_seed_{hashlib.sha256(url.encode()).hexdigest()[:16]}.lock"
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
    from loaders.store import SAMPLE_USER

    files = sample_files(folder)
    if not files:
        return 0
    result = read_files(files, register=store.load_register())
    stored = 0
    for parsed in result.files:
        if parsed.ok:
            store.ingest(parsed, user=SAMPLE_USER)
            stored += 1
        else:
            log.warning("sample %s refused: %s", parsed.name, "; ".join(f.text() for f in parsed.errors[:3]))
    return stored


def check_files(store: Any, paths: list[str], districts: frozenset[str] | None = None) -> list[Any]:
    """Read uploaded workbooks against the stored register (of districts only, None: all); nothing is stored."""
    from dashboard.upload_guard import read_isolated, scoped_register

    # In a child process with memory and time limits: no workbook can take this worker down.
    return read_isolated(paths, scoped_register(store.load_register(), districts), store.list_index())


class ScopedData:
    """AppData seen through one user's districts: the Evaluation, Dataset and history hold those only."""

    def __init__(self, base: AppData, districts: frozenset[str]) -> None:
        self.base, self.districts = base, districts
        self.store, self.pending, self.lock = base.store, base.pending, base.lock

    def _cut(self) -> tuple[Any, Any]:
        from dashboard.auth.scope import scoped_dataset, scoped_evaluation

        with self.base.lock:
            version, ev, ds = self.base.version, self.base.evaluation, self.base.dataset
            cache = self.base.__dict__.setdefault("_scoped", {})
            hit = cache.get(self.districts)
        if hit is None or hit[0] != version:
            # Cut once per data version and district set; every user of that scope shares it.
            hit = (version, scoped_evaluation(ev, self.districts), scoped_dataset(ds, self.districts))
            with self.base.lock:
                cache[self.districts] = hit
        return hit[1], hit[2]

    @property
    def evaluation(self) -> Any:
        """The Evaluation cut to this scope's districts."""
        return self._cut()[0]

    @property
    def dataset(self) -> Any:
        """The stored Dataset cut to this scope's districts."""
        return self._cut()[1]

    def bands(self, period: str | None) -> Any:
        """The city's rank bands (city ranks kept) cut to this scope's districts."""
        from dashboard.auth.scope import _keep

        return _keep(self.base.bands(period), self.districts)

    def peers(self, period: str | None, k: int | None = None) -> Any:
        """Each street of the scope's k nearest peers within the scope (context standardised over the city)."""
        from metrics.peers import DEFAULT_K

        everyone = self.base.peers(period, k=10_000)  # every street ranked by distance, then cut to the scope
        districts = list(self.districts)
        inside = everyone["district"].isin(districts) & everyone["peer_district"].isin(districts)
        peers = everyone.loc[inside.to_numpy(dtype=bool, na_value=False)].reset_index(drop=True)
        order = peers.groupby(["district", "street"], sort=False).cumcount() + 1
        return peers.assign(peer_rank=order).loc[(order <= (k or DEFAULT_K)).to_numpy()]

    def whatif(self, period: str | None, weights: dict[str, float]) -> Any:
        """The city's what-if ranking (city ranks kept) cut to this scope's districts."""
        from dashboard.auth.scope import _keep

        return _keep(self.base.whatif(period, weights), self.districts)

    def sensitivity(self, period: str | None) -> Any:
        """Sensitivity of the city ranks of the period (shares of the whole city; names no street)."""
        return self.base.sensitivity(period)

    def order(self, period: str | None) -> Any:
        """The city's order probabilities (pages name only the scope's streets: they join them to the cut bands)."""
        return self.base.order(period)

    def grade_odds(self, period: str | None) -> Any:
        """The city's grade probabilities cut to this scope's districts."""
        from dashboard.auth.scope import _keep

        odds = self.base.grade_odds(period)
        return None if odds is None else _keep(odds, self.districts)

    @property
    def version(self) -> int:
        """The data version of the base evaluation."""
        return self.base.version

    def refresh(self) -> None:
        """Reload and recompute the shared evaluation."""
        self.base.refresh()


def current() -> AppData | ScopedData:
    """The data of this request's user, recomputed first if the store changed meanwhile.

    The one access point of every page, callback and download: a user limited to some districts gets
    a ScopedData holding those districts only; nobody (an anonymous request) gets an empty scope.
    """
    from dashboard.auth.web import current_user

    data: AppData = flask.current_app.extensions[EXTENSION_KEY]
    data.refresh_if_stale()
    user = current_user()
    if user is not None and user.all_districts:
        return data
    return ScopedData(data, frozenset(user.districts if user is not None else ()))


def install(server: flask.Flask, data: AppData) -> None:
    """Attach data to a Flask server so callbacks find it through current()."""
    server.extensions[EXTENSION_KEY] = data
    server.before_request(data.request_started)  # registered before the login guard: it always runs
    server.teardown_request(data.request_ended)
