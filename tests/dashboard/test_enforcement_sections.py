"""执法情况 (issue 15 point 3) on the street scorecard and the comparison page: the update functions, and a district
officer who sees only its districts' figures, also when a crafted callback request asks for another district."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from builders import PERIODS, STREETS, as_parsed_files, build_dataset
from test_auth import csrf, dash_post, login, secured_app

from dashboard import enforcement_sections as sections
from dashboard.constants import STREET_SEP, Id
from loaders import ParsedFile
from loaders.schema import ENFORCEMENT
from metrics import evaluate

OWN = "武侯区"
PERIOD = PERIODS[-1]
# Every district's team has a size of its own, so a figure that leaks shows by its number.
OFFICERS = {d: 901 + k for k, d in enumerate(STREETS)}


def _dataset():
    """The built dataset with 执法情况 for every street and targets on each district's 执法监管清单."""
    ds = build_dataset()
    li = ds.list_items
    targets = li.loc[li["list_type"].eq("duty")].groupby(["district", "year"]).head(2).copy()
    targets["list_type"] = "enforcement"
    targets["item_code"] = "ZF-" + targets["item_code"]
    targets["on_time_target"], targets["correction_ceiling"] = 0.9, 0.05
    ds.list_items = pd.concat([li, targets], ignore_index=True)
    rows = [
        {"district": d, "street": s, "period": p, "cases": 40 + k, "cases_on_time": 36, "corrections": k % 3,
         "joint_operations": 2, "officers": OFFICERS[d]}
        for d, streets in STREETS.items() for k, (s, _) in enumerate(streets) for p in PERIODS
    ]  # fmt: skip
    ds.enforcement = ENFORCEMENT.conform(pd.DataFrame(rows))
    return ds


def _files(ds) -> list[ParsedFile]:
    df = ds.enforcement
    enforcement = ParsedFile(
        path="e.xlsx", name="built_enforcement.xlsx", sha256="built-enforcement",
        tables={"enforcement": df}, rows_read=len(df), rows_used=len(df),
    )  # fmt: skip
    return [*as_parsed_files(ds), enforcement]


@pytest.fixture(scope="module")
def ds():
    return _dataset()


@pytest.fixture(scope="module")
def app(ds, tmp_path_factory):
    return secured_app(tmp_path_factory.mktemp("enforcement_scope"), _files(ds))


def test_street_update_shows_the_figures_beside_target_and_median(ds) -> None:
    ev = evaluate(ds)
    title, body, rows, columns = sections.street_update(ev, f"{OWN}{STREET_SEP}玉林街道", PERIOD, "zh")
    assert title == f"执法情况（玉林街道 · {PERIOD}）" and "执法监管清单（2020年）" in str(body)
    lines = {r["indicator"]: r for r in rows}
    assert lines["案件数"]["value"] == "40" and lines["执法人员数"]["value"] == "901"
    assert lines["按时办结率"] == {
        "indicator": "按时办结率", "value": "90.0%", "target": "90.0%", "median": "86.8%", "met": "达标",
    }  # fmt: skip
    assert [c["field"] for c in columns] == list(sections.STREET_COLUMNS)
    _, body, rows, _ = sections.street_update(ev, f"{OWN}{STREET_SEP}玉林街道", "2018Q1", "en")
    assert rows == [] and "No enforcement figures" in str(body)


def test_compare_update_lists_the_chosen_districts_streets(ds) -> None:
    ev = evaluate(ds)
    title, _, rows, columns = sections.compare_update(ev, PERIOD, [OWN, "彭州市"], "en")
    assert title == f"Law enforcement ({PERIOD})"
    assert {r["district"] for r in rows} == {OWN, "彭州市"} and len(rows) == len(STREETS[OWN]) + len(STREETS["彭州市"])
    assert {c["headerName"] for c in columns} >= {"Cases", "On-time rate", "Enforcement score"}
    _, body, rows, _ = sections.compare_update(ev, "2018Q1", [OWN], "zh")
    assert rows == [] and "没有执法情况" in str(body)


def _ask(client, app, output, inputs, page) -> str:
    query = {"type": Id.QUERY, "page": page}
    r = dash_post(client, app, output, inputs, [(query, "data", {"lang": "zh"})])
    assert r.status_code == 200, r.text
    return json.dumps(r.get_json(), ensure_ascii=False)


@pytest.mark.parametrize("districts", [[], ["龙泉驿区", "彭州市"], [OWN, "龙泉驿区"]])
def test_a_district_officer_compares_only_its_districts(app, districts) -> None:
    inputs = [(Id.PERIOD, "value", PERIOD), (Id.DISTRICTS, "value", districts)]
    for who in ("wuhou", "city1"):
        client = login(app, who)
        csrf(client)
        text = _ask(client, app, Id.COMPARE_ENF_TITLE, inputs, "compare")
        for district, officers in OFFICERS.items():
            asked = not districts or district in districts
            sees = asked and (who == "city1" or district == OWN)
            assert (f'"enf_officers": {officers}' in text) is sees, (who, district, text[:300])


@pytest.mark.parametrize("district", ["彭州市", OWN])
def test_a_district_officer_s_scorecard_shows_no_other_districts_figures(app, district) -> None:
    street = STREETS[district][0][0]
    inputs = [(Id.STREET, "value", f"{district}{STREET_SEP}{street}"), (Id.PERIOD, "value", PERIOD)]
    for who, can_see in (("wuhou", district == OWN), ("city1", True)):
        client = login(app, who)
        csrf(client)
        text = _ask(client, app, Id.STREET_ENF_TITLE, inputs, "street")
        assert (f'"{OFFICERS[district]}"' in text) is can_see, (who, text[:300])
