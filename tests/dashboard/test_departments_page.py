"""The department scorecard page (issue 15, 考核权): its callback as a plain function on the app's Evaluation, and
scoping: a district officer sees only its districts' departments, also through crafted callback requests."""

from __future__ import annotations

import base64
import io
import json
import sys

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from builders import STREETS, as_parsed_files, build_dataset
from test_auth import csrf, dash_post, login, secured_app

from dashboard.constants import Id
from loaders.schema import ADVICE, DEPT_RATINGS

OWN = "武侯区"
DIMS = ("guidance", "responsiveness", "funding", "coordination")


def page():
    """The page module as Dash loaded it for the app (register_page needs the app first)."""
    return sys.modules["dashboard.pages.departments"]


def _rated_dataset():
    """The built dataset with every district's streets rating two departments named after the district (so a leak
    shows by name), and a 建议权 record per district."""
    ds = build_dataset()
    rows, advice = [], []
    for district, streets in STREETS.items():
        for k, (street, _) in enumerate(streets):
            for period in ("2019Q3", "2019Q4"):
                for dept, base in ((f"{district}民政局", 4), (f"{district}城管局", 2)):
                    score = base + (k % 2)
                    rows.append({"district": district, "street": street, "period": period, "department": dept,
                                 "scale": 5, **dict.fromkeys(DIMS, score)})  # fmt: skip
        advice.append({"district": district, "street": streets[0][0], "decision": f"{district}规划", "adopted": "采纳"})
    ds.dept_ratings = DEPT_RATINGS.conform(pd.DataFrame(rows))
    ds.advice = ADVICE.conform(pd.DataFrame(advice))
    return ds


@pytest.fixture(scope="module")
def rated_app(tmp_path_factory):
    return secured_app(tmp_path_factory.mktemp("dept_scope"), as_parsed_files(_rated_dataset()))


@pytest.fixture(scope="module")
def rated_ev(rated_app):
    from dashboard import data as appdata

    return rated_app.server.extensions[appdata.EXTENSION_KEY].evaluation


# ---- the callback as a function


def test_the_page_ranks_a_districts_departments_with_bands(rated_ev) -> None:
    out = page().update(rated_ev, "2019Q4", [OWN], None, "zh")
    fig, rows, cols, options, chosen, title, _facts, dims, trend, sum_rows, _sc, adv_rows, _ac, query = out
    assert [r["department"] for r in rows[:2]] == [f"{OWN}民政局", f"{OWN}城管局"]  # rated ones first
    assert all(r["n_streets"] == 0 and r["rank"] is None for r in rows[2:])  # only assigning tasks: listed, unranked
    assert rows[0]["rank"] == 1 and rows[0]["band"] == "1" and rows[0]["n_streets"] == 4
    assert rows[0]["overall"] == pytest.approx((80 + 100 + 80 + 100) / 4)
    assert {c["field"] for c in cols} >= {"rank", "band", "interval", "unlisted_tasks", "share_delegated_with_funds"}
    assert chosen == f"{OWN}|{OWN}民政局" and OWN + "民政局" in title and query["department"] == chosen
    assert (
        [o["value"] for o in options] == [r["district"] + "|" + r["department"] for r in rows]
        if "district" in rows[0]
        else True
    )
    for figure in (fig, dims, trend):
        go.Figure(figure)  # valid figures
    assert [d["x"] for d in trend["data"][-1:]] == [["2019Q3", "2019Q4"]]
    assert sum_rows[0]["records"] == 1 and adv_rows[0]["decision"] == f"{OWN}规划"


def test_choosing_a_department_shows_its_dimensions_and_english_captions(rated_ev) -> None:
    chosen = f"{OWN}|{OWN}城管局"
    out = page().update(rated_ev, "2019Q4", [OWN], chosen, "en")
    _fig, _rows, cols, _o, value, title, _facts, dims, *_ = out
    assert value == chosen and "Department" in title
    assert list(dims["data"][0]["x"]) == ["Guidance", "Responsiveness", "Funding", "Coordination"]
    assert dims["data"][0]["y"] == pytest.approx([50.0] * 4)  # scores 2 and 3 of 5 → 40 and 60
    assert "Rank band" in [c["headerName"] for c in cols]


def test_a_department_of_another_district_asked_for_falls_back_to_one_shown(rated_ev) -> None:
    out = page().update(rated_ev, "2019Q4", [OWN], "龙泉驿区|龙泉驿区民政局", "zh")
    assert out[4].startswith(OWN + "|") and "龙泉驿区" not in json.dumps(out[1], ensure_ascii=False)


def test_the_download_is_the_department_ranking_workbook(rated_ev) -> None:
    sent = page().download(rated_ev, "2019Q4", [OWN], "zh")
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    assert sent["filename"] == f"部门评价排名_{OWN}_2019Q4.xlsx" and wb.sheetnames == ["部门评价排名", "建议权"]
    cells = [v for r in wb["部门评价排名"].iter_rows(values_only=True) for v in r if v is not None]
    assert f"{OWN}民政局" in cells and not any("龙泉驿" in str(v) for v in cells)


def test_the_sample_page_shows_longquanyis_ratings(ev) -> None:
    if "龙泉驿区" not in set(ev.departments.loc[ev.departments["n_streets"].gt(0), "district"]):
        pytest.skip("the session store holds the built dataset (no department ratings)")
    period = ev.periods[-1]
    out = page().update(ev, period, ["龙泉驿区"], None, "zh")
    rows = out[1]
    assert rows[0]["rank"] == 1 and sum(r["rank"] is not None for r in rows) >= 5
    assert any("不足" in (r["interval"] or "") for r in rows)  # a department rated by too few streets, said so


# ---- scoping through crafted requests


def _ask(client, app, districts: list[str], department: str | None) -> str:
    query = {"type": Id.QUERY, "page": "departments"}
    r = dash_post(
        client,
        app,
        Id.DEPT_RANK_FIG,
        [(Id.PERIOD, "value", "2019Q4"), (Id.DISTRICTS, "value", districts), (Id.DEPT_SELECT, "value", department)],
        [(query, "data", {"lang": "zh"})],
    )
    assert r.status_code == 200, r.text
    return json.dumps(r.get_json(), ensure_ascii=False)


@pytest.mark.parametrize(
    ("districts", "department"),
    [([], None), (["龙泉驿区", "彭州市"], "龙泉驿区|龙泉驿区民政局"), ([OWN, "龙泉驿区"], "彭州市|彭州市城管局")],
)
def test_a_district_officer_sees_only_its_departments(rated_app, districts, department):
    client = login(rated_app, "wuhou")
    csrf(client)
    text = _ask(client, rated_app, districts, department)
    others = [d for d in STREETS if d != OWN]
    assert not [d for d in others if d in text], text[:500]
    if OWN in districts or not districts:
        assert f"{OWN}民政局" in text and f"{OWN}规划" in text


def test_a_city_officer_sees_every_districts_departments(rated_app):
    client = login(rated_app, "city1")
    csrf(client)
    text = _ask(client, rated_app, [], None)
    assert all(f"{d}民政局" in text and f"{d}规划" in text for d in STREETS)


def test_a_crafted_download_of_another_district_holds_only_the_officers_own(rated_app):
    client = login(rated_app, "wuhou")
    csrf(client)
    r = dash_post(
        client,
        rated_app,
        f"{Id.DEPT_DOWNLOAD}.data",
        [(Id.DEPT_DOWNLOAD_BTN, "n_clicks", 1)],
        [
            (Id.PERIOD, "value", "2019Q4"),
            (Id.DISTRICTS, "value", ["龙泉驿区"]),
            ({"type": Id.QUERY, "page": "departments"}, "data", {"lang": "zh"}),
        ],
    )
    assert r.status_code == 200, r.text
    sent = r.get_json()["response"][Id.DEPT_DOWNLOAD]["data"]
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    cells = [str(v) for ws in wb for r in ws.iter_rows(values_only=True) for v in r if v is not None]
    assert f"{OWN}民政局" in cells and not [v for v in cells if any(d in v for d in STREETS if d != OWN)]
