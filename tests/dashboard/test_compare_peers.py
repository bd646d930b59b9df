"""The comparison page's 与近邻比较 switch as plain callbacks, on the app's real Evaluation (no browser)."""

from __future__ import annotations

import base64
import io
import sys
from urllib.parse import unquote

import numpy as np
import openpyxl
import plotly.graph_objects as go
import pytest

from dashboard import data as appdata
from dashboard import views
from dashboard.constants import FUNCTIONS
from metrics.peers import peer_gaps


def compare():
    """The comparison page module as Dash loaded it for the app."""
    return sys.modules["dashboard.pages.compare"]


@pytest.fixture(scope="module")
def period(ev) -> str:
    return ev.periods[-1]


def expected_gaps(ev, peers, period: str, column: str = "overall") -> dict[tuple[str, str], float]:
    """(district, street) → score − median score of its peers, straight from the scores and the peer list."""
    scores = ev.scores_for(period).set_index(["district", "street"])[column]
    out = {}
    for (district, street), part in peers.groupby(["district", "street"]):
        theirs = scores.reindex(list(zip(part["peer_district"], part["peer_street"], strict=True))).dropna()
        if len(theirs) and not np.isnan(scores[(district, street)]):
            out[(district, street)] = float(scores[(district, street)] - np.median(theirs))
    return out


def strip_points(strip: dict) -> dict[tuple[str, str], float]:
    """(district, street) → y of every point of the strip chart."""
    return {
        (str(d[0]), str(d[1])): float(y) for tr in strip["data"] for d, y in zip(tr["customdata"], tr["y"], strict=True)
    }


def test_peers_switch_turns_the_strip_into_gaps_and_adds_peer_columns(app, app_data, ev, period):
    four = views.default_districts(ev)
    bands, peers = app_data.bands(period), app_data.peers(period)
    off = compare().update(ev, period, four, "", "overall", "own", "zh", bands)
    on = compare().update(ev, period, four, "", "overall", "own", "zh", bands, peers)
    strip_off, strip_on = go.Figure(off[0]), go.Figure(on[0])
    assert strip_off.layout.yaxis.title.text == "得分" and not strip_off.layout.shapes
    assert "近邻" in strip_on.layout.title.text and "分" in strip_on.layout.yaxis.title.text
    assert [(s.y0, s.y1) for s in strip_on.layout.shapes] == [(0, 0)]  # the zero line
    hover = strip_on.data[0].hovertemplate
    assert "得分" in hover and "近邻中位数" in hover and "近邻数" in hover
    expected = expected_gaps(ev, peers, period)
    points = strip_points(on[0])
    assert points and points.keys() <= expected.keys()
    assert all(y == pytest.approx(expected[k]) for k, y in points.items())
    assert len(points) == len(strip_points(off[0]))  # every scored street keeps its point (all have peers here)
    district, street, point_period = on[0]["data"][0]["customdata"][0][:3]
    href = compare().scorecard_href({"points": [{"customdata": on[0]["data"][0]["customdata"][0]}]}, "zh")
    assert href.startswith("/street?") and point_period == period
    assert street in unquote(href) and district in unquote(href)
    # the table gains the peer median and gap beside completeness; the other outputs are the same
    fields_off, fields_on = [c["field"] for c in off[6]], [c["field"] for c in on[6]]
    assert "gap_peers" not in fields_off
    assert fields_on[fields_on.index("completeness") + 1 : fields_on.index("completeness") + 3] == [
        "peer_median",
        "gap_peers",
    ]
    headers = {c["field"]: c["headerName"] for c in on[6]}
    assert headers["peer_median"] == "近邻中位数" and headers["gap_peers"] == "与近邻差"
    rows = on[5]
    assert len(rows) == len(off[5])
    for r in rows:
        if (r["district"], r["street"]) not in expected:  # 未报送 (FORMATS.md §6): no score, so no gap
            assert r["overall"] is None and r["gap_peers"] is None
            continue
        assert r["gap_peers"] == pytest.approx(expected[(r["district"], r["street"])])
        assert r["peer_median"] == pytest.approx(r["overall"] - r["gap_peers"])
    assert on[1:5] == off[1:5]
    assert off[7]["peers"] == "" and on[7]["peers"] == "1"


def test_peer_gaps_follow_the_chosen_function_and_the_street_type_mode(app, app_data, ev, period):
    fn = FUNCTIONS[2]
    peers = app_data.peers(period)
    out = compare().update(ev, period, [], "", fn, "type", "en", app_data.bands(period), peers)
    expected = expected_gaps(ev, peers, period, fn)
    points = strip_points(out[0])
    assert points and all(y == pytest.approx(expected[k]) for k, y in points.items())
    assert go.Figure(out[0]).layout.yaxis.title.text == "Gap to peers (points)"
    headers = {c["field"]: c["headerName"] for c in out[6]}
    assert headers["gap_peers"] == "Gap to peers (Comprehensive management)"
    assert all(
        r["gap_peers"] == pytest.approx(expected[(r["district"], r["street"])])
        for r in out[5]
        if r["gap_peers"] is not None
    )


def test_a_scoped_users_gaps_use_only_peers_in_scope(app, app_data, ev, period):
    district = views.default_districts(ev)[0]
    scoped = appdata.ScopedData(app_data, frozenset({district}))
    mine = scoped.peers(period)
    assert len(mine) and set(mine["peer_district"]) == {district}
    out = compare().update(
        scoped.evaluation, period, [district], "", "overall", "own", "zh", scoped.bands(period), mine
    )
    inside = expected_gaps(ev, mine, period)
    city = expected_gaps(ev, app_data.peers(period), period)
    rows = [r for r in out[5] if r["gap_peers"] is not None]
    assert rows and {r["district"] for r in rows} == {district}
    assert all(r["gap_peers"] == pytest.approx(inside[(r["district"], r["street"])]) for r in rows)
    assert any(r["gap_peers"] != pytest.approx(city[(r["district"], r["street"])]) for r in rows)
    note = str(compare().peers_note(True, True, "zh"))
    assert "8 个街道" in note and "可见区县" in note
    assert compare().peers_note(False, True, "zh") is None
    assert "可见区县" not in str(compare().peers_note(True, False, "zh"))


def test_no_peers_says_so_instead_of_an_empty_axis(app, app_data, ev, period):
    four = views.default_districts(ev)
    none = app_data.peers(period).iloc[0:0]
    strip, *_rest, rows, _cols, query = compare().update(ev, period, four, "", "overall", "own", "zh", None, none)
    fig = go.Figure(strip)
    assert fig.layout.yaxis.visible is False and "近邻" in fig.layout.annotations[0].text
    assert rows and all(r["gap_peers"] is None and r["peer_median"] is None for r in rows)
    assert query["peers"] == "1"


def find(tree, component_id: str | dict):
    """The component with component_id in a layout tree, or None."""
    if getattr(tree, "id", None) == component_id:
        return tree
    children = getattr(tree, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found = find(child, component_id)
            if found is not None:
                return found
    return None


def switch_value(tree, switch: str = "compare-peers-switch") -> bool | None:
    """The value of the peers switch in a layout tree."""
    found = find(tree, switch)
    return None if found is None else found.value


def test_the_page_reads_the_switch_from_the_url(app, period):
    import flask

    from dashboard.auth.web import LOCAL_USER

    with app.server.test_request_context("/"):
        flask.g.street_user = LOCAL_USER  # the user of a server without accounts: sees every district
        assert switch_value(compare().layout(peers="1", period=period)) is True
        assert switch_value(compare().layout(peers="yes")) is False
        assert switch_value(compare().layout()) is False
        assert "8 个街道" in str(compare().layout(peers="1"))  # the note is there from the start


def sheet_rows(payload: dict) -> tuple[list[str], list[dict]]:
    """Header and rows (header → value) of the one sheet of a downloaded .xlsx payload."""
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(payload["content"])))
    assert len(wb.worksheets) == 1
    header, *body = wb.worksheets[0].iter_rows(values_only=True)
    return list(header), [dict(zip(header, r, strict=True)) for r in body]


@pytest.mark.parametrize(
    ("function", "lang", "median", "gap"),
    [
        ("overall", "zh", "近邻中位数", "与近邻差"),
        (FUNCTIONS[1], "en", "Peer median (Public services)", "Gap to peers (Public services)"),
    ],
)
def test_the_download_with_peers_on_has_the_peer_columns_of_the_screen(
    app, app_data, ev, period, function, lang, median, gap
):
    four = views.default_districts(ev)
    bands, peers = app_data.bands(period), app_data.peers(period)
    screen = compare().update(ev, period, four, "", function, "own", lang, bands, peers)
    header, rows = sheet_rows(compare().download(ev, period, four, "", "own", lang, function, bands, peers))
    assert header == [c["headerName"] for c in screen[6]]  # the columns of the table on screen, in its order
    assert header.index(median) == header.index(gap) - 1
    street_col = header[1]
    assert [r[street_col] for r in rows] == [r["street"] for r in screen[5]]
    gaps = peer_gaps(ev, peers, period).set_index(["district", "street"])
    column = "overall" if function == "overall" else function
    checked = 0
    for r in rows:
        if (r[header[0]], r[street_col]) not in gaps.index:  # 未报送: no score, no gap
            assert r[gap] is None
            continue
        want = gaps.loc[(r[header[0]], r[street_col])]
        if np.isnan(want[f"gap_{column}"]):
            assert r[gap] is None
            continue
        assert r[gap] == pytest.approx(want[f"gap_{column}"], abs=0.005)
        assert r[median] == pytest.approx(want[f"peer_median_{column}"], abs=0.005)
        checked += 1
    assert checked > len(rows) / 2
    # switch off: the four whole districts download metrics' comparison workbook, without peer columns
    off = openpyxl.load_workbook(
        io.BytesIO(base64.b64decode(compare().download(ev, period, four, "", "own", lang, function, bands)["content"]))
    )
    extra = ("未报送", "Not submitted", "口径对比", "Views")
    assert len([w for w in off.worksheets if w.title not in extra]) == len(four) + 1
    assert not any(v in (median, gap) for ws in off.worksheets for row in ws.iter_rows(values_only=True) for v in row)


def street():
    """The scorecard page module as Dash loaded it for the app."""
    return sys.modules["dashboard.pages.street"]


def test_the_scorecard_reads_the_switch_from_the_url_and_keeps_it_in_the_query(app, app_data, ev, period):
    import flask

    from dashboard.auth.web import LOCAL_USER

    row = ev.scores_for(period).iloc[0]
    where = {"street": row["street"], "district": row["district"], "period": period}
    store_id = {"type": "page-query", "page": "street"}
    with app.server.test_request_context("/"):
        flask.g.street_user = LOCAL_USER
        on, off = street().layout(peers="1", **where), street().layout(**where)
        assert switch_value(on, "street-peers-switch") is True
        assert switch_value(street().layout(peers="yes", **where), "street-peers-switch") is False
        assert switch_value(off, "street-peers-switch") is False
        assert find(on, store_id).data["peers"] == "1" and find(off, store_id).data["peers"] == ""
    # the switch writes peers into the page query (the URL), keeping the rest of it
    query = find(on, store_id).data
    assert street().with_peers({**query, "peers": ""}, True) == query
    assert street().with_peers(query, False) == {**query, "peers": ""}
    # what the restored switch shows: the street first, then its peers
    value = f"{row['district']}|{row['street']}"
    rows, _cols, hidden, _notes = street().peers_view(app_data, value, period, "zh")
    assert not hidden and rows[0]["street"] == row["street"] and len(rows) > 1
