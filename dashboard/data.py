"""The results one web process serves: read from the store (metrics.results), never computed in a request.

Every page, callback and download gets its data through current(). A process serves one Results at a
time; when the store's data, the rules or the program change, the new results are computed once by a
separate process (`python -m metrics results`, started by whichever web process claims them first) and
every process, on any host, loads them when they are ready. Until then the previous results are served
and pages carry a note (AppData.recomputing).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import flask
import pandas as pd

from dashboard.request_count import RequestCounter
from dashboard.store_access import (  # re-exported: pages and tests use them as dashboard.data.*
    SAMPLES_DIR,
    check_files,
    is_default_store,
    open_store,
    sample_files,
    seed_samples,
    seeding_lock,
    store_is_empty,
)
from dashboard.uploads import PendingUploads
from dashboard.warmup import empty_result, period_lock, start_warming
from loaders.findings import ParsedFile
from loaders.schema import Dataset
from loaders.store import Store
from metrics import results
from metrics.common_core import crosswalk_path
from metrics.evaluation import Evaluation
from metrics.pairwise import OrderProbabilities
from metrics.results import Results
from metrics.uncertainty import PeriodResult

__all__ = [
    "SAMPLES_DIR",
    "AppData",
    "ScopedData",
    "check_files",
    "current",
    "install",
    "is_default_store",
    "open_store",
    "sample_files",
    "seed_samples",
    "seeding_lock",
    "store_is_empty",
]

log = logging.getLogger(__name__)

EXTENSION_KEY = "street_scorecard"
POLL_SECONDS = 2.0  # how often a request may ask the store whether its data changed
WAIT_SECONDS = 1800.0  # at start-up, how long to wait for results another process computes
# The results process a web process starts stays alive this long after the last key handed to it (`metrics results
# --follow`): the next upload's results are computed from its loaded snapshot, reading only the new batches.
# STREETS_RESULTS_IDLE=0 (the tests' default) ends it after each computation, as before.
FOLLOW_IDLE = float(os.environ.get("STREETS_RESULTS_IDLE", "120"))  # a burst of uploads, not an idle day
REPO = Path(__file__).resolve().parent.parent
_period_lock = period_lock  # the name tests of the warm-up use


@dataclass
class AppData:
    """Store handle plus the Results served from it; callbacks only read these."""

    store: Store | None
    results: Results | None = None
    wanted: str | None = None  # the store's results key when last looked at (= results.key unless recomputing)
    failed: str | None = None  # the error of the wanted key's computation, if it failed
    stale_program: bool = False  # the program on disk changed since this process started: it starts no computation
    marker: tuple[int, ...] | None = None  # (data_version, rules and crosswalk mtime and size) when last looked at
    version: int = 0  # counts the Results served: caches of this process key on it
    samples_only: bool = False  # the store holds the shipped synthetic samples and nothing else
    checked_at: float = 0.0
    pending: dict[str, list[ParsedFile]] = field(default_factory=dict)  # checked here, not yet confirmed
    lock: threading.Lock = field(default_factory=threading.Lock)
    refreshing: threading.Lock = field(default_factory=threading.Lock)
    warming: threading.Thread | None = None  # gets the periods' rank bands after new results are served
    requests: RequestCounter = field(default_factory=RequestCounter)
    peer_cache: dict[tuple[int, str | None, int, frozenset[str] | None], pd.DataFrame] = field(default_factory=dict)
    computing: subprocess.Popen | None = None  # the results process this one started, if running
    handed_at: float = 0.0  # when the last key was handed to it
    order_cache: dict[str | None, tuple[int, OrderProbabilities | None]] = field(default_factory=dict)  # one period
    gap_cache: dict[str | None, tuple[int, pd.DataFrame]] = field(default_factory=dict)  # peer_gaps read, by period

    # ---- what callbacks read

    @property
    def evaluation(self) -> Evaluation | None:
        """The Evaluation served (None while the store holds no reports)."""
        return self.results.evaluation if self.results is not None else None

    @property
    def dataset(self) -> Dataset | None:
        """The stored tables pages read beside the Evaluation (metrics.results.SERVED_TABLES; the others empty)."""
        return self.results.dataset if self.results is not None else None

    @property
    def recomputing(self) -> bool:
        """True while newer results than those served are being computed."""
        return self.wanted is not None and (self.results is None or self.results.key != self.wanted)

    @property
    def uploads(self) -> PendingUploads:
        """The checked uploads waiting in the store for their confirm."""
        assert self.store is not None
        return PendingUploads(self.store.engine)

    # ---- following the store

    def refresh(self, wait: bool = False) -> None:
        """Serve the results of what the store holds now: load them if kept, else have them computed.

        Without wait, the previous results stay served until the new ones are ready (a later refresh or
        poll loads them); with wait (start-up, tests), return once they are served.
        """
        assert self.store is not None
        marker = self._marker()
        key = results.current_key(self.store)
        samples_only = self.store.holds_only_samples()
        with self.lock:
            self.wanted, self.marker, self.checked_at = key, marker, time.monotonic()
            self.samples_only = samples_only
        if self.results is not None and self.results.key == key:
            return
        got = results.load(self.store, key, order=False)
        if got is None:
            self._have_computed(key)
            if wait:
                got = self._wait_for(key)
            elif self.results is None:
                previous = results.latest_ready(self.store)
                got = results.load(self.store, previous, order=False) if previous else None
        if got is not None:
            self._serve(got)

    def refresh_if_stale(self, every: float = POLL_SECONDS) -> None:
        """Look at the store every few seconds; load newer results in the background when there are any."""
        now = time.monotonic()
        if now - self.checked_at < every or self.store is None:
            return
        self.checked_at = now
        if self._marker() == self.marker and not self.recomputing:
            return
        if self.refreshing.acquire(blocking=False):  # one loader at a time; requests keep the served results
            threading.Thread(target=self._refresh_in_background, name="load-results", daemon=True).start()

    def wait_current(self, timeout: float = 120.0) -> None:
        """Return once the results of the store's current data are served (tests, start-up)."""
        deadline = time.monotonic() + timeout
        self.refresh(wait=True)
        while self.recomputing and time.monotonic() < deadline:
            self.refresh(wait=True)

    def _refresh_in_background(self) -> None:
        try:
            self.refresh()
        except Exception:
            log.exception("results could not be loaded; the previous ones stay served")
        finally:
            self.refreshing.release()

    def _marker(self) -> tuple[int, ...]:
        assert self.store is not None
        stat = results.rules_path().stat()
        crosswalk = crosswalk_path()
        cw = crosswalk.stat() if crosswalk.exists() else None
        cw_mark = (cw.st_mtime_ns, cw.st_size) if cw else (0, 0)
        return self.store.data_version(), stat.st_mtime_ns, stat.st_size, *cw_mark

    def _have_computed(self, key: str) -> None:
        """Start the results process unless another process has claimed key already.

        Not when the program on disk changed since this process started: the process started would compute under
        another program's key than the one this process waits for, again at every look (an update needs a restart).
        """
        assert self.store is not None
        if self.stale_program or results.program_changed():
            if not self.stale_program:
                log.error("the program changed on disk since this process started: restart it to compute new results")
            self.stale_program = True
            return
        if results.run_state(self.store, key) == "failed":
            with self.lock:
                self.failed = results.run_error(self.store, key)
        if not results.claim(self.store, key, self.store.data_version()):
            return
        with self.lock:
            proc = self.computing
            if proc is not None and proc.poll() is None and proc.stdin is not None:
                try:  # the results process of the last upload, its snapshot loaded: reads only what changed
                    proc.stdin.write(key + "\n")
                    proc.stdin.flush()
                    self.handed_at = time.monotonic()
                    return
                except (BrokenPipeError, OSError, ValueError):  # it ended meanwhile: a new one is started
                    pass
            env = dict(os.environ, STREETS_DB=self.store.url)  # not on the command line: it may hold a password
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
            command = [sys.executable, "-m", "metrics", "results", "--follow", "--claimed", key]
            proc = subprocess.Popen(
                command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True, text=True
            )
            self.computing, self.handed_at = proc, time.monotonic()
        threading.Thread(target=self._told_when_ready, args=(proc,), name="reap-results", daemon=True).start()
        threading.Thread(target=self._retire_when_idle, args=(proc,), name="retire-results", daemon=True).start()

    def _told_when_ready(self, proc: subprocess.Popen) -> None:
        """Load new results as soon as the results process says it kept some (a line on its stdout), not at the
        first request after the next poll; then reap it. Other processes learn of them by polling."""
        assert proc.stdout is not None
        for _line in proc.stdout:
            if self.refreshing.acquire(blocking=False):
                threading.Thread(target=self._refresh_in_background, name="load-results", daemon=True).start()
        proc.wait()

    def _retire_when_idle(self, proc: subprocess.Popen) -> None:
        """Close the results process's stdin once no key was handed to it for FOLLOW_IDLE seconds: it exits (and
        frees its snapshot of the store) after what it is computing; the next change starts a new one."""
        while proc.poll() is None:
            with self.lock:
                idle = time.monotonic() - self.handed_at
                if idle >= FOLLOW_IDLE and self.computing is proc:
                    self.computing = None
                    if proc.stdin is not None:
                        proc.stdin.close()
                    return
            time.sleep(min(FOLLOW_IDLE - idle, 30.0) if idle < FOLLOW_IDLE else 1.0)

    def _wait_for(self, key: str) -> Results | None:
        assert self.store is not None
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            state = results.run_state(self.store, key)
            if state == "ready":
                return results.load(self.store, key, order=False)
            if state == "failed" or state is None:
                if results.current_key(self.store) != key:
                    return None  # the data changed meanwhile: the caller looks again
                if state == "failed":
                    raise RuntimeError(f"results could not be computed: {results.run_error(self.store, key)}")
                self._have_computed(key)
                if self.stale_program:
                    raise RuntimeError("the program changed on disk since this process started: restart it")
            time.sleep(0.1)
        raise TimeoutError(f"results {key[:12]} not ready after {WAIT_SECONDS:.0f} s")

    def _serve(self, got: Results) -> None:
        with self.lock:
            self.results = got
            self.failed = None
            self.version += 1
        ev = got.evaluation
        if ev is not None and ev.periods:
            # The latest period is the first one asked for: fetched (or computed) now, the older ones in a thread.
            self.period_result(ev.periods[-1])
            self.warming = start_warming(
                ev, ev.periods[-2::-1], self.period_result, lambda: self.evaluation is ev, self.requests
            )

    # ---- rank bands, what-if and peers of the served results

    def period_result(self, period: str | None) -> PeriodResult:
        """The period's rank bands and sensitivity: kept with the results, else computed here once and kept."""
        got = self.results
        ev = got.evaluation if got is not None else None
        if got is None or ev is None or period not in ev.periods:
            return empty_result()
        hit = got.bands.get(period)
        if hit is not None:
            return hit
        from metrics.uncertainty import for_period

        # A request for a period the warming thread is computing waits for that result instead of running it twice.
        with period_lock(ev, period):
            hit = got.bands.get(period)
            if hit is None and self.store is not None:
                hit = results.stored_bands(self.store, got.key, period, order=False)
            if hit is None:
                hit = for_period(ev, period)
                if self.store is not None:
                    try:
                        results.add_bands(self.store, got.key, period, hit)
                    except Exception:  # kept for the others only: this process serves them anyway
                        log.exception("rank bands of %s could not be kept in the store", period)
            got.bands[period] = hit
        return hit

    def bands(self, period: str | None) -> pd.DataFrame:
        """metrics.uncertainty BAND_COLUMNS of the period over the whole city."""
        return self.period_result(period).bands

    def sensitivity(self, period: str | None) -> pd.DataFrame:
        """metrics.sensitivity SENSITIVITY_COLUMNS of the period (city ranks)."""
        return self.period_result(period).sensitivity

    def order(self, period: str | None) -> OrderProbabilities | None:
        """metrics.pairwise OrderProbabilities of the period over the whole city (None when nothing is ranked).

        Read from the store when asked for, and only the last period asked for is kept: at province scale a
        period's are 154 MB (results.ORDER_PARTS).
        """
        got, result = self.results, self.period_result(period)
        if result.order is not None or got is None or self.store is None:
            return result.order
        with self.lock:
            version, hit = self.version, self.order_cache.get(period)
        if hit is None or hit[0] != version:
            hit = (version, results.stored_order(self.store, got.key, period))
            with self.lock:
                self.order_cache = {period: hit}
        return hit[1]

    def grade_odds(self, period: str | None) -> pd.DataFrame | None:
        """metrics.pairwise GRADE_PROB_COLUMNS of the period (None when nothing is ranked)."""
        return self.period_result(period).grades

    def whatif(self, period: str | None, weights: dict[str, float]) -> pd.DataFrame:
        """metrics.whatif WHATIF_COLUMNS of the period's city scores under the officer's function weights."""
        from metrics.whatif import WHATIF_COLUMNS, whatif_ranking

        ev = self.evaluation
        if ev is None or period not in ev.periods:
            return pd.DataFrame(columns=WHATIF_COLUMNS)
        return whatif_ranking(ev.scores_for(period), weights)

    def peers(self, period: str | None, k: int | None = None, districts: frozenset[str] | None = None) -> pd.DataFrame:
        """metrics.peers PEER_COLUMNS: every scored street's k nearest peers across the city in the period.

        districts: the streets of those districts only, their peers chosen among themselves (a scoped user);
        computed for that scope alone (scope × city distances), never every pair of the city.
        """
        from metrics.peers import DEFAULT_K, PEER_COLUMNS, nearest_peers

        k = k or DEFAULT_K
        with self.lock:
            got, ev, ds, version = self.results, self.evaluation, self.dataset, self.version
            hit = self.peer_cache.get((version, period, k, districts))
        if hit is not None:
            return hit
        if got is None or ev is None or ds is None or period not in ev.periods:
            return pd.DataFrame(columns=PEER_COLUMNS)
        peers = None
        if districts is None and k == DEFAULT_K and self.store is not None:  # the city's: kept by the results process
            peers = results.stored_peers(self.store, got.key, period)
        if peers is None:
            peers = nearest_peers(ev, ds.register, period, k, districts)
        with self.lock:
            if version == self.version:  # one data version's peers only: drop those of older ones
                self.peer_cache = {key: v for key, v in self.peer_cache.items() if key[0] == version}
                self.peer_cache[(version, period, k, districts)] = peers
        return peers

    def peer_gaps(self, period: str | None) -> pd.DataFrame:
        """metrics.peers PEER_GAP_COLUMNS of the period: each street against its city-wide peers (peers()).

        Kept by the results process beside the peers, else computed here from them (results kept without bands).
        """
        from metrics.peers import PEER_GAP_COLUMNS, peer_gaps

        with self.lock:
            got, ev, version = self.results, self.evaluation, self.version
            hit = self.gap_cache.get(period)
        if hit is not None and hit[0] == version:
            return hit[1]
        if got is None or ev is None or period not in ev.periods:
            return pd.DataFrame(columns=PEER_GAP_COLUMNS)
        gaps = results.stored_peer_gaps(self.store, got.key, period) if self.store is not None else None
        if gaps is None:
            gaps = peer_gaps(ev, self.peers(period), period)
        with self.lock:
            if version == self.version:  # one data version's gaps only
                self.gap_cache = {p: v for p, v in self.gap_cache.items() if v[0] == version}
                self.gap_cache[period] = (version, gaps)
        return gaps

    def kept_ranking(self, period: str | None, lang: str) -> bytes | None:
        """The city ranking workbook of the period in lang as the results process kept it (None when not kept)."""
        got = self.results
        if got is None or self.store is None or period is None or lang not in results.WORKBOOK_LANGS:
            return None
        return results.stored_workbook(self.store, got.key, period, lang)

    # ---- request counting (install's hooks), kept under their former names

    @property
    def active(self) -> int:
        """Requests being served now."""
        return self.requests.active

    def request_started(self) -> None:
        """Count a request in."""
        self.requests.started()

    def request_ended(self, exc: BaseException | None = None) -> None:
        """Count a request out."""
        self.requests.ended(exc)

    def wait_quiet(self, quiet: float | None = None, patience: float | None = None) -> None:
        """Return after a pause in the requests (RequestCounter.wait_quiet)."""
        kwargs = {k: v for k, v in (("quiet", quiet), ("patience", patience)) if v is not None}
        self.requests.wait_quiet(**kwargs)


class ScopedData:
    """AppData seen through one user's districts: the Evaluation, Dataset and history hold those only."""

    def __init__(self, base: AppData, districts: frozenset[str]) -> None:
        self.base, self.districts = base, districts
        self.store, self.pending, self.lock = base.store, base.pending, base.lock

    def _cut(self) -> tuple[Evaluation | None, Dataset | None]:
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
    def evaluation(self) -> Evaluation | None:
        """The Evaluation cut to this scope's districts."""
        return self._cut()[0]

    @property
    def dataset(self) -> Dataset | None:
        """The served tables cut to this scope's districts."""
        return self._cut()[1]

    @property
    def recomputing(self) -> bool:
        """True while newer results are being computed."""
        return self.base.recomputing

    @property
    def uploads(self) -> PendingUploads:
        """The checked uploads waiting in the store."""
        return self.base.uploads

    def bands(self, period: str | None) -> pd.DataFrame:
        """The city's rank bands (city ranks kept) cut to this scope's districts."""
        from dashboard.auth.scope import _keep

        return _keep(self.base.bands(period), self.districts)

    def peers(self, period: str | None, k: int | None = None) -> pd.DataFrame:
        """Each street of the scope's k nearest peers within the scope (context standardised over the city)."""
        return self.base.peers(period, k, self.districts)

    def whatif(self, period: str | None, weights: dict[str, float]) -> pd.DataFrame:
        """The city's what-if ranking (city ranks kept) cut to this scope's districts."""
        from dashboard.auth.scope import _keep

        return _keep(self.base.whatif(period, weights), self.districts)

    def peer_gaps(self, period: str | None) -> pd.DataFrame:
        """Each street of the scope against its peers within the scope (computed: a scope is small)."""
        from metrics.peers import PEER_GAP_COLUMNS, peer_gaps

        ev = self.evaluation
        if ev is None or period not in ev.periods:
            return pd.DataFrame(columns=PEER_GAP_COLUMNS)
        return peer_gaps(ev, self.peers(period), period)

    def kept_ranking(self, period: str | None, lang: str) -> bytes | None:
        """None: the city's kept ranking workbook names streets outside this scope."""
        return None

    def sensitivity(self, period: str | None) -> pd.DataFrame:
        """Sensitivity of the city ranks of the period (shares of the whole city; names no street)."""
        return self.base.sensitivity(period)

    def order(self, period: str | None) -> OrderProbabilities | None:
        """The city's order probabilities (pages name only the scope's streets: they join them to the cut bands)."""
        return self.base.order(period)

    def grade_odds(self, period: str | None) -> pd.DataFrame | None:
        """The city's grade probabilities cut to this scope's districts."""
        from dashboard.auth.scope import _keep

        odds = self.base.grade_odds(period)
        return None if odds is None else _keep(odds, self.districts)

    @property
    def version(self) -> int:
        """The data version of the base evaluation."""
        return self.base.version

    def refresh(self, wait: bool = False) -> None:
        """Follow the store (AppData.refresh)."""
        self.base.refresh(wait=wait)


def current() -> AppData | ScopedData:
    """The data of this request's user; newer results are looked for (and loaded in the background) first.

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
