"""The page callbacks as plain functions, on the app's real Evaluation (no browser)."""

from __future__ import annotations

import base64
import io
import sys
import time

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from builders import write_report

from dashboard import views
from dashboard.constants import FUNCTIONS

PAGES = "dashboard.pages."


def page(name: str):
    """A page module as Dash loaded it for the app (register_page needs the app first)."""
    return sys.modules[PAGES + name]


def fig_(figure: dict) -> go.Figure:
    """A figure dict as plotly validates it (proves the dict is a valid figure too)."""
    return go.Figure(figure)


def annotation_texts(fig) -> list[str]:
    return [a.text for a in fig_(fig).layout.annotations]


@pytest.fixture(scope="module")
def period(ev) -> str:
    return ev.periods[-1]


def test_overview_headline_and_ranking_follow_filters(app, ev, period):
    overview = page("overview")
    district = views.default_districts(ev)[0]
    out = overview.update(ev, period, [district], "", "overall", "zh")
    _headline, ranking, _movers, rows, _cols, query = out
    expected = ev.scores_for(period, district)
    assert len(rows) == len(expected)
    assert {r["district"] for r in rows} == {district}
    assert period in fig_(ranking).layout.title.text
    assert fig_(ranking).data[0].x[0] == pytest.approx(expected["overall"].max())
    assert query == {"period": period, "districts": [district], "street_type": "", "function": "overall", "lang": "zh"}


def test_overview_movers_are_year_on_year(app, ev, period):
    overview = page("overview")
    _h, _ranking, movers, _rows, _c, _q = overview.update(ev, period, [], "", "overall", "zh")
    fig = fig_(movers)
    assert "去年同期" in fig.layout.title.text
    scores = ev.scores_for(period).dropna(subset=["change_year_ago"])
    assert len(scores) and max(fig.data[0].x) == pytest.approx(scores["change_year_ago"].max())
    assert min(fig.data[0].x) == pytest.approx(scores["change_year_ago"].min())


def test_overview_empty_filter_says_so_instead_of_blank_axes(app, ev, period):
    overview = page("overview")
    _h, ranking, _movers, rows, _c, _q = overview.update(ev, period, ["不存在区"], "", "overall", "zh")
    assert rows == []
    assert any("没有符合" in text for text in annotation_texts(ranking))
    assert fig_(ranking).layout.xaxis.visible is False


def test_overview_by_function_ranks_that_function(app, ev, period):
    overview = page("overview")
    fn = FUNCTIONS[1]
    _h, ranking, _m, rows, _c, _q = overview.update(ev, period, [], "", fn, "en")
    best = ev.scores_for(period)[fn].max()
    assert fig_(ranking).data[0].x[0] == pytest.approx(best)
    assert max(r["score"] for r in rows if r["score"] is not None) == pytest.approx(best)


def test_compare_strip_has_every_street_as_a_clickable_point(app, ev, period):
    compare = page("compare")
    districts = views.default_districts(ev)[:2]
    strip, functions, _grades, _service, _burden, _rows, _cols, query = compare.update(
        ev, period, districts, "", "overall", "own", "zh"
    )
    points = sum(len(trace.y) for trace in fig_(strip).data)
    assert points == len(ev.scores_for(period).query("district in @districts").dropna(subset=["overall"]))
    assert [trace.name for trace in fig_(strip).data] == districts
    assert query["mode"] == "own"
    # shared axes: every score chart on 0–100
    assert tuple(fig_(strip).layout.yaxis.range) == (0, 102)
    assert tuple(fig_(functions).layout.yaxis.range) == (0, 100)
    district, street, p = fig_(strip).data[0].customdata[0][:3]
    href = compare.scorecard_href({"points": [{"customdata": [district, street, p]}]}, "zh")
    assert href.startswith("/street?") and "period=" + p in href


def test_compare_by_street_type_groups_city_wide(app, ev, period):
    compare = page("compare")
    strip, *_rest, _query = compare.update(ev, period, [], "", "overall", "type", "zh")
    names = [trace.name for trace in fig_(strip).data]
    assert set(names) <= {"城区街道", "涉农街道", "镇"} and names
    assert (
        sum(len(tr.y) for tr in fig_(strip).data)
        == ev.scores_for(period).dropna(subset=["overall", "street_type"]).shape[0]
    )


def test_scorecard_flags_match_item_categories(app, app_data, ev, period):
    street_page = page("street")
    row = ev.scores_for(period).dropna(subset=["overall"]).sort_values("items_missing").iloc[-1]  # not 未报送
    value = f"{row['district']}|{row['street']}"
    _header, fn_fig, trend, flags, rows, _cols, query = street_page.update(ev, app_data.dataset, value, period, "zh")
    assert len(rows) == len(ev.items_for(row["district"], row["street"], period))
    text = str(flags)
    assert f"未报送的清单事项（计 0 分）：{int(row['items_missing'])}" in text
    assert fig_(fn_fig).data[0].y[0] == pytest.approx(row["overall"])
    assert len(fig_(trend).data[0].x) == len(ev.street_history(row["district"], row["street"]))
    assert query["street"] == row["street"]


def test_burden_and_lists_pages(app, ev, period):
    burden = page("burden")
    _dept, _streets, _shares, _trend, rows, _c, _q = burden.update(ev, period, None, "zh")
    total = int(ev.burden_by_department.query("period == @period")["unlisted_tasks"].sum())
    assert sum(r["unlisted_tasks"] for r in rows) == total
    lists = page("lists")
    district = views.default_districts(ev)[0]
    pairs = lists.year_pairs(ev, district)
    _summary, fig, rows, _cols, _query = lists.update(ev, district, pairs[-1] if pairs else None, "zh")
    if pairs:
        y0, y1 = (int(y) for y in pairs[-1].split("-"))
        assert len(rows) == len(views.list_changes(ev, district, y0, y1))
    else:
        assert any("没有两个年度" in t for t in annotation_texts(fig))


def cells(payload: dict) -> list[object]:
    """Every cell value of every sheet of a dcc.send_bytes payload."""
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(payload["content"])))
    return [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]


def test_ranking_download_is_the_metrics_workbook(app, ev, period):
    payload = page("overview").download(ev, period, [], "zh")
    assert payload["filename"].endswith(".xlsx")
    values = cells(payload)
    assert set(ev.scores_for(period)["street"]) <= set(values)
    one = views.default_districts(ev)[0]
    values = cells(page("overview").download(ev, period, [one], "zh"))
    others = set(ev.scores_for(period).query("district != @one")["street"]) - set(ev.scores_for(period, one)["street"])
    assert set(ev.scores_for(period, one)["street"]) <= set(values) and not others & set(values)


def test_compare_download_two_districts_or_the_table(app, ev, period):
    compare = page("compare")
    two = views.default_districts(ev)[:2]
    wb = openpyxl.load_workbook(
        io.BytesIO(base64.b64decode(compare.download(ev, period, two, "", "own", "zh")["content"]))
    )
    assert len(wb.worksheets) == 4  # summary + one sheet per district + 口径对比
    plain = compare.download(ev, period, two, "", "type", "zh")
    assert set(ev.scores_for(period)["street"]) <= set(cells(plain))


def test_upload_check_locates_problems_and_stores_nothing(app, app_data, ev, tmp_path):
    data_page = page("data")
    before = app_data.store.fingerprint()
    district = views.default_districts(ev)[0]
    bad = write_report(tmp_path / "bad.xlsx", district, "没有这个街道", "2020Q3", [("X-1", -5)])
    content = "data:application/octet-stream;base64," + base64.b64encode(bad.read_bytes()).decode()
    view, pending, disabled = data_page.check_uploads(app_data, [content], ["坏报表.xlsx"], "zh")
    assert disabled is True and pending["files"] == []
    assert "坏报表.xlsx" in str(view) and "履职情况" in str(view)
    assert app_data.store.fingerprint() == before
    result = data_page.ingest_pending(app_data, pending, "zh")
    assert "没有可入库" in str(result)
    assert app_data.store.fingerprint() == before


def test_upload_check_previews_what_the_confirm_changes_and_stores_nothing(app, app_data, ev, tmp_path):
    data_page = page("data")
    scores = ev.scores_for(ev.periods[-1])
    row = scores[scores["overall"].notna()].iloc[0]
    codes = ev.items_for(row["district"], row["street"], row["period"])
    listed = codes[codes["category"].astype(str).isin(["scored", "missing"])]["item_code"].astype(str).tolist()
    good = write_report(tmp_path / "修订.xlsx", row["district"], row["street"], row["period"], [(listed[0], "100%")])
    content = "data:application/octet-stream;base64," + base64.b64encode(good.read_bytes()).decode()
    before = app_data.store.fingerprint()
    view, pending, disabled = data_page.check_uploads(app_data, [content], ["修订.xlsx"], "zh")
    assert disabled is False and pending["files"] == ["修订.xlsx"]
    shown = str(view)
    assert "upload-preview" in shown and "将替换的已入库数据" in shown
    assert f"{row['overall']:.1f} → " in shown  # the street's stored score, then the one the confirm would give
    assert app_data.store.fingerprint() == before


def test_views_filter_only(app, ev, period):
    df = views.scores(ev, period, None, "镇")
    assert (df["street_type"] == "镇").all()
    assert df["overall"].is_monotonic_decreasing or df["overall"].isna().any()
    assert views.previous_period("2020Q1") == "2019Q4"
    assert isinstance(views.district_medians(ev, df["district"].iloc[0], period), pd.Series)


def test_a_change_by_another_process_is_picked_up(tmp_path):
    from builders import as_parsed_files, build_dataset

    from dashboard import data as appdata
    from loaders.store import Store

    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    files = as_parsed_files(build_dataset())
    mine = appdata.AppData(store=Store(url))
    for parsed in files[:2]:  # register and lists only: nothing to score yet
        mine.store.ingest(parsed)
    mine.refresh()
    assert mine.evaluation is None
    other = Store(url)  # e.g. another gunicorn worker
    for parsed in files[2:]:
        other.ingest(parsed)
    mine.refresh()  # sees the change; the results are computed by another process, the old ones served meanwhile
    assert mine.recomputing and mine.evaluation is None
    deadline = time.monotonic() + 120
    while mine.evaluation is None and time.monotonic() < deadline:  # as requests poll, every 2 s in the app
        mine.refresh_if_stale(every=0)
        time.sleep(0.05)
    assert mine.evaluation is not None and len(mine.evaluation.periods) == 4 and not mine.recomputing


def test_the_results_process_stays_for_the_next_change_and_gives_what_a_full_read_gives(tmp_path, monkeypatch):
    """The results process a web process starts computes the next change's results too (`results --follow`: its
    snapshot kept, only the new batches read), and they equal a fresh evaluation of the whole store."""
    import dataclasses

    from builders import as_parsed_files, build_dataset

    from dashboard import data as appdata
    from loaders.findings import ParsedFile
    from loaders.store import Store
    from metrics.evaluation import evaluate

    monkeypatch.setattr(appdata, "FOLLOW_IDLE", 300.0)
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    mine = appdata.AppData(store=Store(url))
    for parsed in as_parsed_files(build_dataset()):
        mine.store.ingest(parsed)
    mine.wait_current()
    first = mine.computing
    assert first is not None and first.poll() is None  # alive, waiting for the next key
    try:
        for round_ in range(2):
            perf = mine.store.load_dataset().performance
            rows = perf.loc[perf["street"].eq(perf["street"].iloc[0]) & perf["period"].eq(perf["period"].max())]
            rows = rows.assign(completion=rows["completion"].fillna(0.5) * 0.5 + 0.1 * round_)
            newer = ParsedFile(path="n.xlsx", name=f"n{round_}.xlsx", sha256=f"n{round_}", tables={"performance": rows})
            assert mine.store.ingest(newer).outcome == "ingested"
            mine.refresh()  # as the confirm does; no request polls meanwhile: the results process tells this one
            deadline = time.monotonic() + 120
            while mine.recomputing and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not mine.recomputing
            assert mine.computing is first and first.poll() is None  # the same process computed them
            with Store(url) as fresh:
                want = evaluate(fresh.load_dataset())
            for f in dataclasses.fields(want):
                if isinstance(getattr(want, f.name), pd.DataFrame):
                    pd.testing.assert_frame_equal(
                        getattr(mine.evaluation, f.name), getattr(want, f.name), check_exact=True, obj=f.name
                    )
    finally:
        first.stdin.close()
        first.wait(60)


def test_an_empty_store_shows_what_is_missing_on_every_page(tmp_path):
    from dashboard.app import create_app

    empty = create_app(f"sqlite:///{tmp_path / 'empty.sqlite'}", seed=False)
    with empty.server.test_request_context("/"):
        for name in ("overview", "compare", "street", "burden", "lists", "whatif"):
            text = str(page(name).layout())
            assert "暂无数据" in text, name
        assert "No data yet" in str(page("overview").layout(lang="en"))
        data = empty.server.extensions["street_scorecard"]
        assert "暂无数据" in str(page("data").store_summary(data, "zh"))  # the upload area is there to fill it
        assert "data-upload" in str(page("data").layout())


def test_pages_note_that_newer_results_are_being_computed(app, app_data):
    import dash

    layout = next(p for p in dash.page_registry.values() if p["module"].endswith(".overview"))["layout"]
    with app.server.test_request_context("/"):
        assert "正在计算" not in str(layout())
        served, app_data.wanted = app_data.wanted, "a newer key"  # as while `metrics results` runs
        try:
            assert "新结果正在计算中" in str(layout()) and "being computed" in str(layout(lang="en"))
        finally:
            app_data.wanted = served
