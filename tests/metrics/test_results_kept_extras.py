"""What the results process keeps beside the Evaluation for the dashboard: city-wide peers, the gaps to them and
ranking workbooks."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from test_results import as_files, city

from loaders.store import Store
from metrics import results
from metrics.evaluation import evaluate
from metrics.export import common, ranking
from metrics.peers import nearest_peers, peer_gaps
from metrics.uncertainty import for_period
from tests.pgschema import store_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store holding test_results.city()."""
    with store_url(request.param, tmp_path, "kept_extras_test") as url, Store(url) as s:
        for parsed in as_files(city()):
            s.ingest(parsed, user="test")
        yield s


def parts(workbook: bytes) -> dict[str, bytes]:
    """Every part of an .xlsx but its document properties (their creation time is the writing's)."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_the_kept_peers_and_ranking_workbooks_equal_fresh_ones(store: Store, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(common, "generated_at", lambda: "2026-12-06 05:00")
    key = results.compute(store).key
    ds = store.load_dataset()
    ev = evaluate(ds)
    found = 0
    for period in ev.periods:
        kept = results.stored_peers(store, key, period)
        assert kept is not None
        found += len(kept)
        fresh = nearest_peers(ev, ds.register, period)
        pd.testing.assert_frame_equal(kept, fresh, check_exact=True)
        gaps = results.stored_peer_gaps(store, key, period)
        assert gaps is not None
        pd.testing.assert_frame_equal(gaps, peer_gaps(ev, fresh, period), check_exact=True)
        bands = for_period(ev, period).bands
        for lang in results.WORKBOOK_LANGS:
            workbook = results.stored_workbook(store, key, period, lang)
            assert workbook is not None
            assert parts(workbook) == parts(ranking(ev, period, None, lang, bands=bands))
    assert found  # some street has peers in some period
    assert results.stored_peers(store, key, "2031Q1") is None and results.stored_peer_gaps(store, key, "2031Q1") is None
    assert results.stored_workbook(store, key, ev.periods[-1], "fr") is None


def test_a_reader_loads_neither_peers_nor_workbooks_until_asked(store: Store):
    key = results.compute(store).key
    seen = [name for name, _ in results.decoded(store, key, skip_prefixes=results.ON_DEMAND)]
    assert seen and not [n for n in seen if n.startswith(results.ON_DEMAND)]
    assert any(n.startswith(results.PEERS_PREFIX) for n in results.payloads(store, key))


def test_without_rank_bands_nothing_else_is_kept_and_readers_get_none(store: Store):
    key = results.compute(store, bands=False).key
    period = results.load(store, key).evaluation.periods[-1]
    assert results.stored_peers(store, key, period) is None and results.stored_peer_gaps(store, key, period) is None
    assert results.stored_workbook(store, key, period, "zh") is None
