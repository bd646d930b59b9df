"""The list page's coverage section (issue 15, several scored lists): the callback shows the metrics' gaps both
ways for a district with a 事务清单, says so for a district without one, and a district officer sees only its own
districts' crosswalk rows, also when a crafted callback request asks for another district."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from builders import STREETS, as_parsed_files, build_dataset
from test_auth import PASSWORD, csrf, dash_post, login

from dashboard import coverage_section
from dashboard.app import create_app
from dashboard.auth.accounts import Accounts
from dashboard.constants import Id
from loaders.findings import ParsedFile
from loaders.schema import CROSSWALK, LIST_ITEMS
from loaders.store import Store
from metrics.evaluation import evaluate

OWN, OTHER, PLAIN = "武侯区", "邛崃市", "龙泉驿区"
DECLARING = (OWN, OTHER)


def declared_dataset():
    """The built dataset with a 2019 事务清单 and 清单对照 for 武侯区 and 邛崃市, every name carrying its district:
    the duties' codes are kept but for the last three duties (never evaluated), plus one 事务 with no duty."""
    ds = build_dataset()
    li = ds.list_items
    affairs, pairs = [], []
    for district in DECLARING:
        duty = li[li["district"].eq(district).to_numpy(dtype=bool) & li["year"].eq(2019).to_numpy(dtype=bool)]
        duty = duty[duty["function"].ne("investment_attraction").to_numpy(dtype=bool)]
        kept = duty.iloc[:-3]
        rows = kept.assign(list_type="affairs", item_name=[f"{district}事务{k}" for k in range(len(kept))])
        extra = kept.iloc[:1].assign(item_code=f"{district[:2]}-SW9", item_name=f"{district}党建事务")
        affairs += [rows, extra.assign(list_type="affairs")]
        pairs += [{"district": district, "year": 2019, "affairs_code": c, "duty_code": c} for c in kept["item_code"]]
    ds.list_items = LIST_ITEMS.conform(pd.concat([li, *affairs], ignore_index=True))
    ds.crosswalk = CROSSWALK.conform(pd.DataFrame(pairs))
    return ds


@pytest.fixture(scope="module")
def ev():
    return evaluate(declared_dataset())


def test_the_section_shows_both_gaps_of_a_declaring_district(ev):
    title, body, duty_rows, _dc, affairs_rows, _ac, pair_rows, pair_cols = coverage_section.update(
        ev, OTHER, "2019-2020", "zh"
    )
    assert title == f"考核清单对照（{OTHER} · 2019）"
    gaps = ev.coverage_gaps.query("district == @OTHER and year == 2019")
    never = gaps[gaps["side"].eq("duty_not_evaluated").to_numpy(dtype=bool)]
    assert [r["item_code"] for r in duty_rows] == never["item_code"].tolist() and len(duty_rows) == 4
    assert any(r["gap_removed"] == "是" for r in duty_rows)  # the 招商引资 duty: never scored anyway
    assert [r["item_name"] for r in affairs_rows] == [f"{OTHER}党建事务"]
    assert len(pair_rows) == len(ev.list_crosswalk.query("district == @OTHER"))
    assert [c["headerName"] for c in pair_cols] == ["事务编码", "事务名称", "清单编码", "职责事项"]
    text = json.dumps(body.to_plotly_json(), ensure_ascii=False, default=str)
    assert "未纳入考核的职责" in text and "无职责依据的事务" in text


def test_the_section_speaks_english(ev):
    title, *_rest, pair_cols = coverage_section.update(ev, OTHER, None, "en")
    assert title.startswith("Evaluation list against the duty list") and pair_cols[0]["headerName"] == "Affair code"


def test_a_district_without_a_declaration_gets_the_empty_state(ev):
    _title, body, duty_rows, _dc, affairs_rows, _ac, pair_rows, _pc = coverage_section.update(ev, PLAIN, None, "zh")
    assert duty_rows == affairs_rows == pair_rows == []
    assert "未声明事务清单" in json.dumps(body.to_plotly_json(), ensure_ascii=False, default=str)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('coverage_scope') / 's.sqlite'}"
    store = Store(url)
    ds = declared_dataset()
    for parsed in as_parsed_files(ds):
        store.ingest(parsed, user="test")
    crosswalk = ParsedFile("cw.xlsx", "built_crosswalk.xlsx", "built-crosswalk", tables={"crosswalk": ds.crosswalk})
    store.ingest(crosswalk, user="test")
    accounts = Accounts(store.engine)
    accounts.add("wuhou", PASSWORD, "district", [OWN])
    accounts.add("city1", PASSWORD, "city", [])
    store.close()
    return create_app(url, seed=False)


def _ask(client, app, district: str) -> str:
    query = {"type": Id.QUERY, "page": "lists"}
    inputs = [(Id.DISTRICT, "value", district), (Id.YEAR_FROM, "value", "2019-2020")]
    r = dash_post(client, app, Id.COVERAGE_TITLE, inputs, [(query, "data", {"lang": "zh"})])
    assert r.status_code == 200, r.text
    return json.dumps(r.get_json(), ensure_ascii=False)


@pytest.mark.parametrize("district", [OTHER, OWN])
def test_a_district_officer_sees_only_its_districts_crosswalk(app, district):
    for who, can_see in (("wuhou", district == OWN), ("city1", True)):
        client = login(app, who)
        csrf(client)
        text = _ask(client, app, district)
        assert (f"{district}事务" in text) is can_see, (who, text[:300])
        assert (f"{district}党建事务" in text) is can_see
        others = [d for d in STREETS if d != OWN]
        if who == "wuhou":
            assert not [d for d in others if f"{d}事务" in text or f"{d}党建" in text], text[:300]
