"""A district officer sees only its districts' departments in the burden page's 事权财权匹配 and 准入 ledger
and 大项 scores (issue 15), also when a crafted callback request asks for another district."""

from __future__ import annotations

import json

import pytest
from builders import STREETS, as_parsed_files, build_dataset
from test_auth import csrf, dash_post, login, secured_app

from dashboard.constants import Id

OWN = "武侯区"


def _with_district_departments():
    """The built dataset with every department named after its district (so a leak shows by name) and the
    ledger columns filled."""
    ds = build_dataset()
    li, un = ds.list_items, ds.unlisted
    li["source_department"] = (li["district"] + li["source_department"]).where(li["source_department"].notna())
    li["funds_amount"] = li["funds_matched"].map({True: 10.0, False: 0.0})
    li["major_item"] = li["district"] + "大项" + (li.index % 3).astype(str)
    un["assigning_department"] = un["district"] + un["assigning_department"]
    un["returned"] = ~un["access_approved"].astype(bool)
    un["funds_amount"] = un["funds_matched"].astype(bool).map({True: 2.0, False: 0.0})
    un["access_ref"] = un["access_approved"].map({True: "府准〔2019〕1号", False: None})
    return ds


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return secured_app(tmp_path_factory.mktemp("funding_scope"), as_parsed_files(_with_district_departments()))


def _ask(client, app, districts: list[str]) -> str:
    query = {"type": Id.QUERY, "page": "burden"}
    r = dash_post(
        client,
        app,
        Id.FUND_MATCH_TITLE,
        [(Id.PERIOD, "value", "2019Q4"), (Id.DISTRICTS, "value", districts)],
        [(query, "data", {"lang": "zh"})],
    )
    assert r.status_code == 200, r.text
    return json.dumps(r.get_json(), ensure_ascii=False)


@pytest.mark.parametrize("districts", [[], ["龙泉驿区", "彭州市"], [OWN, "龙泉驿区"]])
def test_a_district_officer_sees_only_its_departments(app, districts):
    client = login(app, "wuhou")
    csrf(client)
    text = _ask(client, app, districts)
    others = [d for d in STREETS if d != OWN]
    assert not [d for d in others if d in text], text[:500]
    if OWN in districts or not districts:
        assert f"{OWN}区住建局" in text and f"{OWN}区民政局" in text


def test_a_city_officer_sees_every_districts_departments(app):
    client = login(app, "city1")
    csrf(client)
    text = _ask(client, app, [])
    assert all(f"{d}区住建局" in text for d in STREETS)


def _majors(client, app, output: str, inputs: list, page: str) -> str:
    query = {"type": Id.QUERY, "page": page}
    r = dash_post(client, app, output, inputs, [(query, "data", {"lang": "zh"})])
    assert r.status_code == 200, r.text
    return json.dumps(r.get_json(), ensure_ascii=False)


@pytest.mark.parametrize("district", ["龙泉驿区", OWN])
def test_major_item_sections_stay_in_scope(app, district):
    street = STREETS[district][0][0]
    asks = [
        (
            Id.STREET_MAJOR_TITLE,
            [(Id.STREET, "value", f"{district}|{street}"), (Id.PERIOD, "value", "2019Q4")],
            "street",
        ),
        (Id.LISTS_MAJOR_TITLE, [(Id.DISTRICT, "value", district), (Id.YEAR_FROM, "value", "2019-2020")], "lists"),
    ]
    for who, can_see in (("wuhou", district == OWN), ("city1", True)):
        client = login(app, who)
        csrf(client)
        for output, inputs, page in asks:
            text = _majors(client, app, output, inputs, page)
            assert (f"{district}大项" in text) is can_see, (who, output, text[:300])
