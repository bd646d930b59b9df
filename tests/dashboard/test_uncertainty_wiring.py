"""Rank bands, sensitivity, peers and what-if weights as the dashboard shows them (no browser)."""

from __future__ import annotations

import sys

import pytest

from dashboard import data as appdata
from dashboard import views
from metrics.uncertainty import band_text, for_period


def page(name: str):
    """A page module as Dash loaded it for the app."""
    return sys.modules["dashboard.pages." + name]


@pytest.fixture(scope="module")
def period(ev) -> str:
    return ev.periods[-1]


def test_app_bands_are_the_city_bands_and_a_scope_keeps_city_ranks(app_data, ev, period):
    city = for_period(ev, period).bands
    mine = app_data.bands(period)
    assert mine.equals(city)
    district = views.default_districts(ev)[0]
    scoped = appdata.ScopedData(app_data, frozenset({district}))
    cut = scoped.bands(period)
    assert set(cut["district"]) == {district}
    expected = city[city["district"].eq(district).to_numpy(dtype=bool)]
    assert cut["rank_city_p95"].tolist() == expected["rank_city_p95"].tolist()
    assert cut["n_city"].eq(len(city)).all()  # city ranks, not ranks within the scope
    assert scoped.sensitivity(period).equals(app_data.sensitivity(period))
    assert appdata.ScopedData(app_data, frozenset()).bands(period).empty


def test_the_latest_period_is_precomputed_when_the_data_are_loaded(store_url):
    from loaders.store import Store

    data = appdata.AppData(store=Store(store_url))
    data.wait_current()  # a process that has just loaded the data, before any request (bench/ times the request)
    latest = data.evaluation.periods[-1]
    assert data.results.bands.get(latest) is not None
    assert data.bands(latest) is data.results.bands[latest].bands


def test_ranking_and_comparison_tables_show_the_band_beside_the_rank(app, app_data, ev, period):
    bands = app_data.bands(period)
    expected = dict(zip(bands["street"] + "|" + bands["district"], band_text(bands), strict=True))
    unclear = dict(zip(bands["street"] + "|" + bands["district"], bands["n_unclear_city"], strict=True))
    tier = dict(zip(bands["street"] + "|" + bands["district"], bands["tier_city"], strict=True))
    headline, *_, rows, cols, _q = page("overview").update(ev, period, [], "", "overall", "zh", bands)
    fields = [c["field"] for c in cols]
    assert fields.index("tier_city") == fields.index("rank_city") + 1  # the tier beside the strict rank
    assert fields.index("band_city") == fields.index("tier_city") + 1
    assert fields.index("completeness") == fields.index("score") + 1
    assert fields.index("points_lost_missing") == fields.index("completeness") + 1
    assert {c["headerName"] for c in cols} >= {"档次", "全市排名区间", "无明显差别", "因未报送失分", "同比变化"}
    ranked = [r for r in rows if r["rank_city"] is not None]
    assert ranked and all(r["band_city"] == expected[f"{r['street']}|{r['district']}"] for r in ranked)
    assert all(r["n_unclear_city"] == unclear[f"{r['street']}|{r['district']}"] for r in ranked)
    assert all(r["tier_city"] == tier[f"{r['street']}|{r['district']}"] for r in ranked)
    assert f"分为 {int(bands['n_tiers_city'].max())} 个档次" in str(headline)
    four = views.default_districts(ev)
    *_, rows, cols, _q = page("compare").update(ev, period, four, "", "overall", "own", "zh", bands)
    fields = [c["field"] for c in cols]
    assert fields.index("completeness") == fields.index("overall") + 1
    assert {"tier_city", "band_city", "n_unclear_city", "points_lost_missing", "share_status"} <= set(fields)
    status_col = next(c for c in cols if c["field"] == "share_status")
    assert status_col["filter"] == "agNumberColumnFilter" and "styleConditions" in status_col["cellStyle"]
    assert all(r["band_city"] == expected[f"{r['street']}|{r['district']}"] for r in rows if r["rank_city"])


def street_value(bands, i: int = 0) -> tuple[str, str, str]:
    row = bands.sort_values("rank_city").iloc[i]
    return f"{row['district']}|{row['street']}", str(row["district"]), str(row["street"])


def test_scorecard_shows_rank_with_band_completeness_and_not_clearly_different(app, app_data, ev, period):
    street_page = page("street")
    bands = app_data.bands(period)
    value, district, street = street_value(bands, len(bands) // 2)
    me = bands[bands["street"].eq(street) & bands["district"].eq(district)]
    header, *_ = street_page.update(ev, app_data.dataset, value, period, "zh", bands)
    text = str(header)
    assert f"第 {int(me['rank_city'].iloc[0])} 名（区间 {band_text(me).iloc[0]}）" in text
    assert f"{me['completeness'].iloc[0]:.0%}" in text
    overlap, sens_fig = street_page.robustness(bands, app_data.sensitivity(period), value, period, "zh")
    lo, hi = int(me["rank_city_p05"].iloc[0]), int(me["rank_city_p95"].iloc[0])
    others = bands[
        (bands["rank_city_p05"] <= hi) & (bands["rank_city_p95"] >= lo) & ~bands["street"].eq(street).to_numpy()
    ]
    assert f"：{len(others)}" in str(overlap)
    assert all(f"{s}（{d}）" in str(overlap) for s, d in zip(others["street"], others["district"], strict=True))
    layout = sens_fig["layout"]
    assert period in layout["title"]["text"] and "%" in layout["title"]["subtitle"]["text"]
    shares = app_data.sensitivity(period)
    assert sorted(sens_fig["data"][0]["x"]) == pytest.approx(sorted(shares["share"] * 100))


def test_peers_switch_lists_the_peer_groups_scores_and_a_scope_only_its_own(app, app_data, ev, period):
    street_page = page("street")
    bands = app_data.bands(period)
    value, district, street = street_value(bands)
    rows, _cols, hidden, _note = street_page.peers_view(app_data, value, period, "zh")
    peers = app_data.peers(period)
    mine = peers[peers["district"].eq(district) & peers["street"].eq(street)]
    assert not hidden and len(rows) == len(mine) + 1
    assert (rows[0]["district"], rows[0]["street"]) == (district, street)
    scores = ev.scores_for(period).set_index(["district", "street"])["overall"]
    assert all(r["overall"] == pytest.approx(scores[(r["district"], r["street"])]) for r in rows)
    scoped = appdata.ScopedData(app_data, frozenset({district}))
    rows, *_ = street_page.peers_view(scoped, value, period, "zh")
    assert len(rows) > 1 and {r["district"] for r in rows} == {district}
    assert set(scoped.peers(period)["peer_district"]) == {district}


def test_whatif_ranking_changes_with_the_weights_and_the_official_never_does(app, app_data, ev, period):
    whatif = page("whatif")
    before = ev.scores.copy()
    rows0, cols0 = whatif.official(ev, app_data.bands(period), period, [], "", "zh")
    equal = dict.fromkeys(whatif.FUNCTIONS, 1.0)
    skewed = {**dict.fromkeys(whatif.FUNCTIONS, 0.0), whatif.FUNCTIONS[0]: 5.0}
    rows_eq, cols, summary = whatif.whatif(app_data, period, [], "", equal, "zh")
    rows_sk, *_ = whatif.whatif(app_data, period, [], "", skewed, "zh")
    first = whatif.FUNCTIONS[0]
    scores = ev.scores_for(period).dropna(subset=["overall"]).set_index(["district", "street"])
    assert len(rows_sk) == len(scores)
    for r in rows_sk:  # all weight on one function: the what-if score is that function's score
        assert r["whatif_score"] == pytest.approx(scores.loc[(r["district"], r["street"]), first])
        assert r["rank_official"] == scores.loc[(r["district"], r["street"]), "rank_city"]
    assert [r["street"] for r in rows_eq] != [r["street"] for r in rows_sk]
    assert ("whatif_rank" in [c["field"] for c in cols] and "个名次改变" in str(summary)) or "名次" in str(summary)
    assert whatif.official(ev, app_data.bands(period), period, [], "", "zh") == (rows0, cols0)
    assert ev.scores.equals(before)
    # a scope sees its own streets with their city ranks
    district = views.default_districts(ev)[0]
    scoped = appdata.ScopedData(app_data, frozenset({district}))
    rows_scoped, *_ = whatif.whatif(scoped, period, [], "", skewed, "zh")
    city = {(r["district"], r["street"]): r["whatif_rank"] for r in rows_sk}
    assert rows_scoped and {r["district"] for r in rows_scoped} == {district}
    assert all(r["whatif_rank"] == city[(r["district"], r["street"])] for r in rows_scoped)
    # all weights zero is refused with a message, not an error
    rows_zero, _c, note = whatif.whatif(app_data, period, [], "", dict.fromkeys(whatif.FUNCTIONS, 0.0), "zh")
    assert rows_zero == [] and "大于 0" in str(note)
    assert whatif.weights_of({"lang": "zh"}) == equal  # a malformed request


def test_whatif_sliders_start_from_the_list_weights_and_read_the_url(app, ev, period):
    whatif = page("whatif")
    start = whatif.default_weights(ev, period)
    assert all(0 < v <= 5 and (v * 2).is_integer() for v in start.values())
    assert whatif.read_weights("1,2,3,4,5", start) == dict(
        zip(whatif.FUNCTIONS, [1.0, 2.0, 3.0, 4.0, 5.0], strict=True)
    )
    assert whatif.read_weights("1,2", start) == start and whatif.read_weights("0,0,0,0,0", start) == start


def test_downloads_carry_the_city_rank_bands_also_for_a_scope(app, app_data, ev, period):
    import base64
    import io

    import openpyxl

    district = views.default_districts(ev)[0]
    scoped = appdata.ScopedData(app_data, frozenset({district}))
    city = for_period(ev, period).bands
    expected = dict(zip(city["street"], band_text(city), strict=True))
    with app.server.test_request_context("/"):
        sent = page("overview").download(scoped.evaluation, period, [], "zh", scoped.bands(period))
    ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"]))).active
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "排名区间")
    rows = [(ws.cell(r, 4).value, ws.cell(r, 2).value) for r in range(head + 1, ws.max_row + 1) if ws.cell(r, 4).value]
    assert rows and all(band == expected[street] for street, band in rows)


def test_scorecard_names_only_streets_whose_order_is_unclear_with_their_probability(app, app_data, ev, period):
    from metrics.pairwise import not_clearly_different

    street_page = page("street")
    bands = app_data.bands(period)
    value, district, street = street_value(bands, len(bands) // 2)
    order = app_data.order(period)
    listed, _fig = street_page.robustness(bands, app_data.sensitivity(period), value, period, "zh", order, ev)
    expected = not_clearly_different(order, bands, district, street)
    assert f"：{len(expected)}" in str(listed)
    assert all(f"{s}（{d}）" in str(listed) for s, d in zip(expected["street"], expected["district"], strict=True))
    assert "排在本街道之前的概率" in str(listed) or expected.empty


def test_scorecard_shows_points_lost_evidence_mix_and_why_the_score_changed(app, app_data, ev, period):
    from metrics.change_parts import change_parts

    street_page = page("street")
    bands = app_data.bands(period)
    value, district, street = street_value(bands, 1)
    cards, why = street_page.evidence_and_why(app_data, value, period, "zh")
    row = ev.scores_for(period).set_index(["district", "street"]).loc[(district, street)]
    assert f"因未报送失分 {row['points_lost_missing']:.1f} 分" in str(cards)
    assert "按状态折算" in str(cards) and "档次" in str(cards)
    parts = change_parts(ev, district, street, period, 4)
    if not parts.empty:
        assert f"{parts['points'].sum():+.2f}" in str(why)
        assert abs(parts["points"].sum() - row["change_year_ago"]) < 1e-9
    assert "名次为什么变化" in str(why)
