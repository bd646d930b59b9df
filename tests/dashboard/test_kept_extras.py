"""A web process reads the city's peers, the gaps to them and the ranking workbook as the results process kept them."""

from __future__ import annotations

import base64
import io
import sys

import openpyxl
import pandas as pd
import pytest
from builders import as_parsed_files, build_dataset
from test_warm_bands import WAIT, kept

from dashboard import data as appdata
from dashboard import downloads
from loaders.store import Store
from metrics import export, peers, results


def sheet(sent: dict) -> list[tuple]:
    """Every row of the first sheet of a dcc.send_bytes payload."""
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    return list(book.worksheets[0].iter_rows(values_only=True))


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


def test_the_city_peers_and_gaps_are_read_as_kept(served: appdata.AppData, monkeypatch: pytest.MonkeyPatch):
    ev, period = served.evaluation, served.evaluation.periods[-1]
    fresh = peers.nearest_peers(ev, served.dataset.register, period)
    gaps = peers.peer_gaps(ev, fresh, period)
    monkeypatch.setattr(peers, "nearest_peers", never)
    monkeypatch.setattr(peers, "peer_gaps", never)
    pd.testing.assert_frame_equal(served.peers(period), fresh, check_exact=True)
    pd.testing.assert_frame_equal(served.peer_gaps(period), gaps, check_exact=True)
    assert served.peer_gaps("2031Q1").empty


def test_the_comparison_with_kept_gaps_is_the_one_computed_from_peers(app, served: appdata.AppData):
    compare = sys.modules["dashboard.pages.compare"]
    ev, period = served.evaluation, served.evaluation.periods[-1]
    district = str(ev.districts[0])
    scoped = appdata.ScopedData(served, frozenset({district}))
    pd.testing.assert_frame_equal(
        scoped.peer_gaps(period), peers.peer_gaps(scoped.evaluation, scoped.peers(period), period), check_exact=True
    )
    for data in (served, scoped):
        e, bands, near = data.evaluation, data.bands(period), data.peers(period)
        for mode, function in (("type", "public_services"), ("own", "overall")):
            args = (e, period, list(e.districts)[:4], "", function, mode, "zh", bands, near)
            assert compare.update(*args, gaps=data.peer_gaps(period)) == compare.update(*args)
            shown = compare.download(e, period, list(e.districts)[:4], "", mode, "zh", function, bands, near)
            kept = compare.download(
                e, period, list(e.districts)[:4], "", mode, "zh", function, bands, near, data.peer_gaps(period)
            )
            assert sheet(kept) == sheet(shown)


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
