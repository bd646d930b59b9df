"""A district officer sees only its districts' offices (机构设置, issue 15 point 4) on the street scorecard and the
comparison page's 5+X overview, also when a crafted callback request asks for another district's street."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest
from builders import STREETS, as_parsed_files, build_dataset
from test_auth import PASSWORD, csrf, dash_post, login

from dashboard.app import create_app
from dashboard.auth.accounts import Accounts
from dashboard.constants import STREET_SEP, Id
from loaders.schema import OFFICES
from loaders.store import Store

OWN = "武侯区"
FIVE = {"综合办公室": "general", "党群办公室": "party", "社区发展办公室": "development"}
FIVE |= {"社区治理办公室": "governance", "民生服务办公室": "livelihood"}


def _offices():
    """Every street's five standard offices and one X office named after its district (a leak shows by name)."""
    rows = []
    for district, streets in STREETS.items():
        for street, _ in streets:
            rows += [
                {"district": district, "street": street, "office": n, "category": "standard", "standard_office": k}
                for n, k in FIVE.items()
            ]
            rows.append({"district": district, "street": street, "office": f"{district}特色办公室", "category": "x"})
    return OFFICES.conform(pd.DataFrame(rows).assign(posts=5.0, staff=4.0))


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('office_scope') / 's.sqlite'}"
    store = Store(url)
    for parsed in as_parsed_files(replace(build_dataset(), offices=_offices())):
        store.ingest(parsed, user="test")
    accounts = Accounts(store.engine)
    accounts.add("wuhou", PASSWORD, "district", [OWN])
    accounts.add("city1", PASSWORD, "city", [])
    store.close()
    return create_app(url, seed=False)


def _street(client, app, district: str, street: str) -> str:
    query = {"type": Id.QUERY, "page": "street"}
    value = f"{district}{STREET_SEP}{street}"
    r = dash_post(client, app, Id.STREET_OFF_TITLE, [(Id.STREET, "value", value)], [(query, "data", {"lang": "zh"})])
    assert r.status_code == 200, r.text
    return json.dumps(r.get_json(), ensure_ascii=False)


def _compare(client, app, districts: list[str]) -> str:
    query = {"type": Id.QUERY, "page": "compare"}
    r = dash_post(
        client, app, Id.COMPARE_OFF_TITLE, [(Id.DISTRICTS, "value", districts)], [(query, "data", {"lang": "zh"})]
    )
    assert r.status_code == 200, r.text
    return json.dumps(r.get_json(), ensure_ascii=False)


def test_a_district_officer_sees_its_own_street_s_offices(app):
    client = login(app, "wuhou")
    csrf(client)
    text = _street(client, app, OWN, "玉林街道")
    assert f"{OWN}特色办公室" in text and "符合 5+X" in text


@pytest.mark.parametrize("district", [d for d in STREETS if d != OWN])
def test_a_crafted_request_for_another_district_s_street_shows_no_offices(app, district):
    client = login(app, "wuhou")
    csrf(client)
    text = _street(client, app, district, STREETS[district][0][0])
    assert f"{district}特色办公室" not in text and "综合办公室" not in text
    assert "尚未报送机构设置" in text


@pytest.mark.parametrize("districts", [[], ["龙泉驿区", "彭州市"], [OWN, "邛崃市"]])
def test_the_5x_overview_lists_only_the_officer_s_districts(app, districts):
    client = login(app, "wuhou")
    csrf(client)
    text = _compare(client, app, districts)
    assert not [d for d in STREETS if d != OWN and d in text], text[:500]


def test_a_city_officer_sees_every_district_s_5x_compliance(app):
    client = login(app, "city1")
    csrf(client)
    text = _compare(client, app, [])
    assert all(d in text for d in STREETS)
    assert "龙泉驿区特色办公室" in _street(client, app, "龙泉驿区", "十陵街道")


# ---- the update functions themselves


@pytest.fixture(scope="module")
def ev():
    from metrics import evaluate

    offices = _offices()
    keep = ~(offices["street"].eq("华兴街道") & offices["office"].eq("民生服务办公室"))  # 华兴 is not 5+X
    return evaluate(replace(build_dataset(), offices=offices.loc[keep.to_numpy(dtype=bool)]))


def test_the_street_update_gives_verdict_figure_offices_and_flags(ev):
    from dashboard import office_sections as sections

    title, body, figure, rows, cols, _, flagged, ucols = sections.street_update(ev, f"{OWN}{STREET_SEP}华兴街道", "zh")
    assert title == "机构设置（华兴街道）" and "缺少 民生服务办公室" in str(body.to_plotly_json())
    assert [r["off_office"] for r in rows] == [*list(FIVE)[:4], f"{OWN}特色办公室"]
    assert [c["headerName"] for c in cols][:2] == ["科室", "科室类别"]
    assert "单位：项" in figure["layout"]["title"]["subtitle"]["text"]
    assert [t["name"] for t in figure["data"]] == ["清单事项数", "清单外事项数"]
    assert all(r["off_office_reason"] in ("清单未写责任科室", "街道没有这个科室") for r in flagged)
    assert ucols[0]["headerName"] == "清单"


def test_english_and_the_empty_states(ev):
    from dashboard import office_sections as sections

    title, body, *_ = sections.street_update(ev, f"{OWN}{STREET_SEP}华兴街道", "en")
    assert title == "Offices (华兴街道)" and "A standard office is missing" in str(body.to_plotly_json())
    none = sections.street_update(ev, f"{OWN}{STREET_SEP}无名街道", "en")
    assert "has not sent" in str(none[1].to_plotly_json()) and none[3] == []
    title, note, rows, cols = sections.compare_update(ev, [OWN], "en")
    assert "0–3 X offices" in str(note.to_plotly_json())
    assert title == "5+X compliance per district" and rows[0]["off_not_following"] == "华兴街道"
    assert cols[0]["headerName"] == "District"
