"""Rank bands in a web process: read from the kept results, else computed once (in a background thread) and kept."""

from __future__ import annotations

import collections
import logging
import threading
from pathlib import Path

import pandas as pd
import pytest
from builders import as_parsed_files, build_dataset

from dashboard import data as appdata
from loaders.findings import ParsedFile
from loaders.store import Store
from metrics import results, uncertainty

WAIT = 120  # seconds an event may take on a busy machine before the test fails (a bound, not a pause)


def cached(ev, period: str):
    """metrics.uncertainty's cached PeriodResult of ev and period with the default settings, or None."""
    return uncertainty._CACHE.get(ev, {}).get((period, uncertainty.Settings()))


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """A SQLite store of its own holding the built dataset (4 quarters)."""
    url = f"sqlite:///{tmp_path / 'bands.sqlite'}"
    with Store(url) as store:
        for parsed in as_parsed_files(build_dataset()):
            store.ingest(parsed, user="test")
    return url


def kept(url: str, bands: bool) -> None:
    """The store's results computed and kept, as `python -m metrics results [--no-bands]` does."""
    with Store(url) as store:
        assert results.compute(store, bands=bands).state == "computed"


def supersede_one_report(url: str, seed: int) -> None:
    """A newer report of one street and quarter: new data, new results key."""
    ds = build_dataset(seed=seed)
    perf = ds.performance
    first = perf.loc[(perf["street"] == perf["street"].iloc[0]) & (perf["period"] == perf["period"].iloc[-1])]
    with Store(url) as store:
        store.ingest(
            ParsedFile(path="r.xlsx", name="newer.xlsx", sha256=f"newer-{seed}", tables={"performance": first}),
            user="test",
        )


@pytest.fixture
def counted(monkeypatch) -> collections.Counter:
    """How often each period's Monte Carlo runs in this process (metrics.uncertainty.simulate, called through)."""
    runs: collections.Counter = collections.Counter()
    real = uncertainty.simulate

    def simulate(ev, period, settings=None):
        runs[period] += 1
        return real(ev, period, settings)

    monkeypatch.setattr(uncertainty, "simulate", simulate)
    return runs


def test_bands_kept_with_the_results_are_served_without_a_monte_carlo(store_url, counted):
    kept(store_url, bands=True)
    counted.clear()
    data = appdata.AppData(store=Store(store_url))
    data.wait_current()
    data.warming.join(WAIT)
    ev = data.evaluation
    for period in ev.periods:
        pd.testing.assert_frame_equal(data.bands(period), uncertainty.bands_from(uncertainty.simulate(ev, period), ev))
    assert counted == dict.fromkeys(ev.periods, 1)  # only the comparisons above simulated: the web process did not


def test_bands_missing_from_the_store_are_computed_once_here_and_kept_for_the_others(store_url, counted):
    kept(store_url, bands=False)
    data = appdata.AppData(store=Store(store_url))
    data.wait_current()
    ev = data.evaluation
    data.warming.join(WAIT)
    assert all(cached(ev, p) is not None for p in ev.periods)
    assert counted == dict.fromkeys(ev.periods, 1)
    other = appdata.AppData(store=Store(store_url))  # e.g. another worker, or another host
    other.wait_current()
    other.warming.join(WAIT)
    for period in ev.periods:
        pd.testing.assert_frame_equal(other.bands(period), data.bands(period))
    assert counted == dict.fromkeys(ev.periods, 1)  # read from the store, not simulated again


def in_warming_thread() -> bool:
    return threading.current_thread().name == "warm-bands"


def test_a_request_while_warming_waits_for_that_period_instead_of_running_it_again(store_url, counted, monkeypatch):
    kept(store_url, bands=False)
    real, held, release, waiting = uncertainty.simulate, threading.Event(), threading.Event(), threading.Event()

    def simulate(ev, period, settings=None):  # the warming thread stops inside its first period until released
        if in_warming_thread() and not held.is_set():
            held.set()
            assert release.wait(WAIT)
        return real(ev, period, settings)

    monkeypatch.setattr(uncertainty, "simulate", simulate)
    real_lock = appdata.period_lock

    class Watched:
        """The period's lock; a request (not the warming thread) says when it is about to wait for it."""

        def __init__(self, lock) -> None:
            self.lock = lock

        def __enter__(self):
            if not in_warming_thread():
                waiting.set()
            return self.lock.__enter__()

        def __exit__(self, *exc):
            return self.lock.__exit__(*exc)

    monkeypatch.setattr(appdata, "period_lock", lambda ev, period: Watched(real_lock(ev, period)))
    data = appdata.AppData(store=Store(store_url))
    data.wait_current()
    ev = data.evaluation
    busy = ev.periods[-2]  # the warming thread's first period (newest first after the latest)
    assert held.wait(WAIT)  # the warming thread holds busy's lock, inside its Monte Carlo
    served = {}
    request = threading.Thread(target=lambda: served.update({busy: data.bands(busy)}))
    request.start()
    assert waiting.wait(WAIT)  # the request reached busy's lock while the warming thread holds it
    release.set()
    request.join(WAIT)
    data.warming.join(WAIT)
    assert served[busy] is cached(ev, busy).bands  # the request got the warming thread's result
    served.update({p: data.bands(p) for p in ev.periods[-3::-1]})
    assert all(served[p] is cached(ev, p).bands for p in ev.periods[:-1])
    assert counted == dict.fromkeys(ev.periods, 1)  # no period simulated twice


def test_warming_stops_when_newer_results_replace_the_served_ones(store_url, monkeypatch):
    kept(store_url, bands=False)
    real, seen, inside, replaced = uncertainty.simulate, [], threading.Event(), threading.Event()

    def simulate(ev, period, settings=None):
        if not seen:
            seen.append(ev)
        if ev is seen[0] and in_warming_thread():  # the first evaluation's warming is caught in its first period
            inside.set()
            assert replaced.wait(WAIT)  # … until the newer results are served
        return real(ev, period, settings)

    monkeypatch.setattr(uncertainty, "simulate", simulate)
    data = appdata.AppData(store=Store(store_url))
    asked: collections.Counter = collections.Counter()  # periods asked for, by thread
    real_result = data.period_result

    def period_result(period):
        asked[threading.current_thread()] += 1
        return real_result(period)

    data.period_result = period_result
    data.wait_current()
    first, first_warming = data.evaluation, data.warming
    assert inside.wait(WAIT)
    supersede_one_report(store_url, seed=11)
    kept(store_url, bands=False)
    data.refresh()  # e.g. after an ingest: the newer results, while the first one's periods are still warming
    assert data.evaluation is not first
    replaced.set()
    first_warming.join(WAIT)
    data.warming.join(WAIT)
    # the latest (served first) and the one the warming thread was in; none after the newer results came
    assert sum(cached(first, p) is not None for p in first.periods) == 2 < len(first.periods)
    assert asked[first_warming] == 1  # the first warming thread stopped after the period it was in
    assert all(cached(data.evaluation, p) is not None for p in data.evaluation.periods)


def test_a_failing_warm_up_is_logged_and_never_reaches_a_request(store_url, monkeypatch, caplog):
    kept(store_url, bands=False)
    real = uncertainty.simulate
    latest = Store(store_url).load_dataset().performance["period"].astype(str).max()

    def simulate(ev, period, settings=None):
        if period != latest:
            raise ValueError("broken period")
        return real(ev, period, settings)

    data = appdata.AppData(store=Store(store_url))
    monkeypatch.setattr(uncertainty, "simulate", simulate)
    with caplog.at_level(logging.ERROR, logger="dashboard.warmup"):
        data.wait_current()
        data.warming.join(WAIT)
    assert "could not be precomputed" in caplog.text
    assert not data.bands(latest).empty  # the latest period is served as before


def test_peers_are_computed_once_per_data_version(store_url):
    kept(store_url, bands=False)
    data = appdata.AppData(store=Store(store_url))
    data.wait_current()
    period = data.evaluation.periods[-1]
    first = data.peers(period)
    assert data.peers(period) is first and data.peers(period, k=5) is not first
    assert len(data.peers(period, k=5)) < len(first)
    data.refresh()  # the same data: the same results and peers
    assert data.peers(period) is first
    supersede_one_report(store_url, seed=12)
    kept(store_url, bands=False)
    data.refresh()  # new data version: computed again, the old version's entries dropped
    again = data.peers(period)
    assert again is not first
    assert {key[0] for key in data.peer_cache} == {data.version}


def test_warming_waits_for_a_pause_in_the_requests(store_url):
    import flask

    kept(store_url, bands=False)
    server = flask.Flask(__name__)
    data = appdata.AppData(store=Store(store_url))
    appdata.install(server, data)
    asked, returned_while_busy = threading.Event(), []
    real_wait = data.requests.wait_quiet

    def wait_quiet(quiet=None, patience=None):  # the warming thread asks for a pause before each period
        asked.set()
        # patience (go on after 10 s of steady traffic) is not what this test checks: a slow machine must not reach it
        real_wait(**({} if quiet is None else {"quiet": quiet}), patience=WAIT)
        returned_while_busy.append(data.active > 0)

    data.requests.wait_quiet = wait_quiet
    server.add_url_rule("/active", "active", lambda: str(data.active))
    client = server.test_client()
    assert client.get("/active").text == "1" and data.active == 0  # the hooks count a request in and out
    with server.test_request_context("/"):
        data.request_started()  # a request being served
        data.wait_current()
        ev = data.evaluation
        assert asked.wait(WAIT)  # the warming thread is waiting for the request to end
        assert data.warming.is_alive()
        assert [p for p in ev.periods if cached(ev, p) is not None] == [ev.periods[-1]]
        data.request_ended()
    data.warming.join(WAIT)
    assert all(cached(ev, p) is not None for p in ev.periods)
    assert returned_while_busy and not any(returned_while_busy)  # each wait ended in a pause, not during a request


def test_a_forked_worker_does_not_inherit_a_period_lock_held_by_the_warming_thread(store_url):
    import os

    kept(store_url, bands=True)
    data = appdata.AppData(store=Store(store_url))
    data.wait_current()
    data.warming.join(WAIT)
    ev, period = data.evaluation, data.evaluation.periods[0]
    held = appdata._period_lock(ev, period)
    held.acquire()  # as if the warming thread were computing it when the worker was forked
    try:
        pid = os.fork()
        if pid == 0:  # the worker: its request for that period must not wait for a thread it does not have
            got = appdata._period_lock(ev, period).acquire(timeout=2)
            os._exit(0 if got else 1)
        _, status = os.waitpid(pid, 0)
    finally:
        held.release()
    assert os.waitstatus_to_exitcode(status) == 0
