"""A heavy request's freed heap goes back to the system (dashboard.heap), so a worker's resident memory does not
only grow: bench/bench_province.py measures the effect (513 → 481 MB after every callback at province scale)."""

from __future__ import annotations

from dashboard import heap


def test_the_c_library_here_can_return_the_heap():
    before = heap.trims
    assert heap.trim() is True  # Linux with glibc, as the servers run (Debian)
    assert heap.trims == before + 1


def test_a_heavy_request_trims_the_heap_and_a_light_one_does_not(app, monkeypatch):
    client = app.server.test_client()
    before = heap.trims
    monkeypatch.setattr(heap, "HEAVY_SECONDS", 1e9)  # no request is heavy (not a timing: a loaded machine is slow)
    assert client.get("/_dash-layout").status_code == 200
    assert heap.trims == before
    monkeypatch.setattr(heap, "HEAVY_SECONDS", 0.0)  # every request is heavy
    assert client.get("/_dash-layout").status_code == 200
    assert heap.trims == before + 1
