"""Rank bands of the older periods are computed in a background thread after each refresh (real SQLite store)."""

from __future__ import annotations

import collections
import logging
import time

import pytest

from dashboard import data as appdata
from loaders.store import Store
from metrics import uncertainty


def cached(ev, period: str):
    """metrics.uncertainty's cached PeriodResult of ev and period with the default settings, or None."""
    return uncertainty._CACHE.get(ev, {}).get((period, uncertainty.Settings()))


@pytest.fixture
def counted(monkeypatch) -> collections.Counter:
    """How often each period's Monte Carlo runs (metrics.uncertainty.simulate, called through)."""
    runs: collections.Counter = collections.Counter()
    real = uncertainty.simulate

    def simulate(ev, period, settings=None):
        runs[period] += 1
        time.sleep(0.05)  # long enough for a request to arrive while the warming thread runs this period
        return real(ev, period, settings)

    monkeypatch.setattr(uncertainty, "simulate", simulate)
    return runs


def test_after_a_refresh_older_periods_are_served_from_the_cache(store_url, counted):
    data = appdata.AppData(store=Store(store_url))
    data.refresh()
    ev = data.evaluation
    older = ev.periods[:-1]
    assert len(older) >= 2
    assert cached(ev, ev.periods[-1]) is not None  # the latest synchronously, as before
    assert data.warming is not None and data.warming.daemon
    data.warming.join(timeout=120)
    assert not data.warming.is_alive()
    for period in older:
        assert cached(ev, period) is not None, period
        start = time.perf_counter()
        bands = data.bands(period)
        assert (time.perf_counter() - start) * 1000 < 20
        assert bands is cached(ev, period).bands
    assert set(counted) == set(ev.periods) and set(counted.values()) == {1}


def test_a_request_while_warming_waits_for_that_period_instead_of_running_it_again(store_url, counted):
    data = appdata.AppData(store=Store(store_url))
    data.refresh()
    ev = data.evaluation
    newest_first = ev.periods[-2::-1]
    served = {p: data.bands(p) for p in newest_first}  # requests chasing the warming thread
    data.warming.join(timeout=120)
    assert all(served[p] is cached(ev, p).bands for p in newest_first)
    assert counted == dict.fromkeys(ev.periods, 1)  # no period simulated twice


def test_warming_stops_when_newer_data_replace_the_evaluation(store_url, monkeypatch):
    real, seen = uncertainty.simulate, []

    def simulate(ev, period, settings=None):
        if not seen:
            seen.append(ev)
        if ev is seen[0]:
            time.sleep(0.3)  # the first evaluation's periods are slow: the second refresh comes first
        return real(ev, period, settings)

    monkeypatch.setattr(uncertainty, "simulate", simulate)
    data = appdata.AppData(store=Store(store_url))
    data.refresh()
    first, first_warming = data.evaluation, data.warming
    data.refresh()  # e.g. an ingest: a new Evaluation while the first one's periods are still warming
    first_warming.join(timeout=120)
    data.warming.join(timeout=120)
    assert 1 <= sum(cached(first, p) is not None for p in first.periods) < len(first.periods)
    assert all(cached(data.evaluation, p) is not None for p in data.evaluation.periods)


def test_a_failing_warm_up_is_logged_and_never_reaches_a_request(store_url, monkeypatch, caplog):
    real = uncertainty.simulate
    latest: list[str] = []

    def simulate(ev, period, settings=None):
        if period != latest[0]:
            raise ValueError("broken period")
        return real(ev, period, settings)

    data = appdata.AppData(store=Store(store_url))
    latest.append(Store(store_url).load_dataset().performance["period"].astype(str).max())
    monkeypatch.setattr(uncertainty, "simulate", simulate)
    with caplog.at_level(logging.ERROR, logger="dashboard.data"):
        data.refresh()
        data.warming.join(timeout=120)
    assert "could not be precomputed" in caplog.text
    assert not data.bands(latest[0]).empty  # the latest period is served as before


def test_peers_are_computed_once_per_data_version(store_url):
    data = appdata.AppData(store=Store(store_url))
    data.refresh()
    period = data.evaluation.periods[-1]
    first = data.peers(period)
    assert data.peers(period) is first and data.peers(period, k=5) is not first
    assert len(data.peers(period, k=5)) < len(first)
    data.refresh()  # new data version: computed again, the old version's entries dropped
    again = data.peers(period)
    assert again is not first and again.equals(first)
    assert {key[0] for key in data.peer_cache} == {data.version}


def test_warming_waits_for_a_pause_in_the_requests(store_url):
    import flask

    server = flask.Flask(__name__)
    data = appdata.AppData(store=Store(store_url))
    appdata.install(server, data)
    server.add_url_rule("/active", "active", lambda: str(data.active))
    client = server.test_client()
    assert client.get("/active").text == "1" and data.active == 0  # the hooks count a request in and out
    with server.test_request_context("/"):
        data.request_started()  # a request being served
        data.refresh()
        ev = data.evaluation
        time.sleep(0.6)
        assert data.warming.is_alive()
        assert [p for p in ev.periods if cached(ev, p) is not None] == [ev.periods[-1]]
        data.request_ended()
    data.warming.join(timeout=120)
    assert all(cached(ev, p) is not None for p in ev.periods)


def test_a_forked_worker_does_not_inherit_a_period_lock_held_by_the_warming_thread(store_url):
    import os

    data = appdata.AppData(store=Store(store_url))
    data.refresh()
    data.warming.join(timeout=120)
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
