"""A web process reads the city's peers and ranking workbook as the results process kept them: it computes neither."""

from __future__ import annotations

import base64
import sys

import pandas as pd
import pytest
from builders import as_parsed_files, build_dataset
from test_warm_bands import WAIT, kept

from dashboard import data as appdata
from dashboard import downloads
from loaders.store import Store
from metrics import export, peers, results


def never(*_args, **_kwargs):
    raise AssertionError("computed in the web process")


@pytest.fixture
def served(tmp_path) -> appdata.AppData:
    """An AppData serving results kept with their rank bands, peers and workbooks (a store of its own)."""
    url = f"sqlite:///{tmp_path / 'kept.sqlite'}"
    with Store(url) as store:
        for parsed in as_parsed_files(build_dataset()):
            store.ingest(parsed, user="test")
    kept(url, bands=True)
    data = appdata.AppData(store=Store(url))
    data.wait_current()
    data.warming.join(WAIT)
    return data


def test_the_city_peers_are_read_as_kept(served: appdata.AppData, monkeypatch: pytest.MonkeyPatch):
    ev, period = served.evaluation, served.evaluation.periods[-1]
    fresh = peers.nearest_peers(ev, served.dataset.register, period)
    monkeypatch.setattr(peers, "nearest_peers", never)
    pd.testing.assert_frame_equal(served.peers(period), fresh, check_exact=True)


def test_the_city_ranking_workbook_is_sent_as_kept_and_a_district_or_a_scope_is_written(
    app, served: appdata.AppData, monkeypatch: pytest.MonkeyPatch
):
    overview = sys.modules["dashboard.pages.overview"]
    ev, period = served.evaluation, served.evaluation.periods[-1]
    bands = served.bands(period)
    for lang in results.WORKBOOK_LANGS:
        expected = results.stored_workbook(served.store, served.results.key, period, lang)
        assert expected is not None and served.kept_ranking(period, lang) == expected
        with monkeypatch.context() as m:
            m.setattr(export, "ranking", never)
            sent = overview.download(ev, period, [], lang, bands, served)
        assert base64.b64decode(sent["content"]) == expected
    district = str(ev.districts[0])
    scoped = appdata.ScopedData(served, frozenset({district}))
    assert scoped.kept_ranking(period, "zh") is None
    written = []
    monkeypatch.setattr(downloads.export, "ranking", lambda *a, **k: written.append(a[2]) or b"xlsx")
    overview.download(ev, period, [district], "zh", bands, served)
    overview.download(scoped.evaluation, period, [], "zh", scoped.bands(period), scoped)
    assert written == [district, None]
