"""Several scored lists (issue 15): a declared 事务清单 is scored by the same §4 formula, a district that declares
nothing scores exactly as before, and the coverage between the two lists is shown both ways."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from metrics_test_data import dataset, item, row

from loaders.schema import CROSSWALK
from metrics.common_core import core_scores
from metrics.eval_lists import evaluation_lists, scored_list
from metrics.evaluation import evaluate
from metrics.list_coverage import coverage_gaps, coverage_summary, crosswalk_rows
from metrics.score import compute

QL, WH = "邛崃市", "武侯区"
STREETS = {WH: ["玉林街道", "簇桥街道"], QL: ["临邛街道", "平乐镇"]}


def _items() -> list[dict]:
    out = []
    for d in (WH, QL):
        out += [
            item("D1", "community_development", "社区营造", 2, district=d),
            item("D2", "public_services", "就业服务", 1, district=d),
            item("D3", "community_safety", "矛盾调解", 1, district=d),
            item("D4", "economic_development", "招商引资项目落地", 1, district=d),
        ]
    return out


AFFAIRS = [
    item("S1", "community_development", "社区营造（日常）", 3, district=QL, list_type="affairs"),
    item("S2", "community_development", "社区营造（专项）", 1, district=QL, list_type="affairs"),
    item("S3", "public_services", "就业服务", 2, district=QL, list_type="affairs"),
    item("S9", "community_development", "基层党组织建设", 2, district=QL, list_type="affairs"),
]
PAIRS = [("S1", "D1"), ("S2", "D1"), ("S3", "D2")]


def _perf() -> list[dict]:
    rows = []
    for d, streets in STREETS.items():
        for k, s in enumerate(streets):
            codes = ["D1", "D2", "D3"] + (["S1", "S2", "S3", "S9"] if d == QL else [])
            rows += [row(c, s, district=d, completion=0.5 + 0.1 * k + 0.05 * j) for j, c in enumerate(codes)]
            rows.append(row("S3", s, "2019Q3", district=d, status="已完成"))
    return rows


def _dataset(affairs: list[dict] = (), pairs: list[tuple[str, str]] = ()):
    register = [{"district": d, "street": s, "street_type": "城区街道"} for d, ss in STREETS.items() for s in ss]
    ds = dataset([*_items(), *affairs], _perf(), register=register)
    cw = [{"district": QL, "year": 2019, "affairs_code": a, "duty_code": b} for a, b in pairs]
    ds.crosswalk = CROSSWALK.conform(pd.DataFrame(cw, columns=CROSSWALK.columns)) if cw else CROSSWALK.empty()
    return ds


def test_without_a_declaration_the_scored_list_is_the_duty_list():
    li = _dataset().list_items
    pd.testing.assert_frame_equal(scored_list(li), li.loc[li["list_type"].eq("duty").to_numpy(dtype=bool)])
    assert set(evaluation_lists(li)["scored_list"]) == {"duty"}


def test_a_declaration_changes_nothing_for_the_other_districts():
    before = compute(_dataset()).scores
    after = compute(_dataset(AFFAIRS, PAIRS)).scores
    for district in (WH,):
        a = before[before["district"].eq(district).to_numpy(dtype=bool)].reset_index(drop=True)
        b = after[after["district"].eq(district).to_numpy(dtype=bool)].reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)
    ql_before = before[before["district"].eq(QL).to_numpy(dtype=bool)]
    ql_after = after[after["district"].eq(QL).to_numpy(dtype=bool)]
    assert not ql_before["overall"].reset_index(drop=True).equals(ql_after["overall"].reset_index(drop=True))


def test_the_declared_list_is_scored_by_the_same_formula_as_a_duty_list():
    declared = compute(_dataset(AFFAIRS, PAIRS)).scores
    # The same district with the 事务清单 standing as its duty list: §4 must give identical rows.
    swapped = _dataset()
    li = swapped.list_items
    li = li[~(li["district"].eq(QL).to_numpy(dtype=bool))]
    as_duty = dataset([{**a, "list_type": "duty"} for a in AFFAIRS]).list_items
    swapped.list_items = pd.concat([li, as_duty], ignore_index=True)
    pd.testing.assert_frame_equal(declared, compute(swapped).scores)
    ql = declared[declared["district"].eq(QL).to_numpy(dtype=bool) & declared["period"].eq("2019Q2").to_numpy()]
    # 临邛街道: S1 .65×3, S2 .70×1, S3 .75×2, S9 .80×2 over weight 8 (its D rows are not on the scored list)
    first = ql[ql["street"].eq("临邛街道").to_numpy(dtype=bool)].iloc[0]
    assert round(first["overall"], 6) == round(100 * (0.65 * 3 + 0.70 + 0.75 * 2 + 0.80 * 2) / 8, 6)
    assert first["items_listed"] == 4 and first["unlisted_items"] == 3 and first["removed_indicators"] == 0


def test_the_evaluation_lists_say_which_list_is_scored():
    out = evaluation_lists(_dataset(AFFAIRS, PAIRS).list_items).set_index("district")
    assert out.loc[QL, "scored_list"] == "affairs" and out.loc[QL, "items"] == 4 and out.loc[QL, "duty_items"] == 4
    assert out.loc[WH, "scored_list"] == "duty" and out.loc[WH, "items"] == 4


def test_coverage_both_ways():
    ds = _dataset(AFFAIRS, PAIRS)
    gaps = coverage_gaps(ds)
    never = gaps[gaps["side"].eq("duty_not_evaluated").to_numpy(dtype=bool)]
    assert never["item_code"].tolist() == ["D3", "D4"] and never["removed"].tolist() == [False, True]
    unbacked = gaps[gaps["side"].eq("affairs_without_duty").to_numpy(dtype=bool)]
    assert unbacked["item_code"].tolist() == ["S9"] and set(gaps["district"]) == {QL}
    pairs = crosswalk_rows(ds)
    assert pairs[["affairs_name", "duty_name"]].iloc[0].tolist() == ["社区营造（日常）", "社区营造"]
    summary = coverage_summary(ds, gaps, pairs).iloc[0]
    assert (summary["duty_items"], summary["duty_evaluated"], summary["duty_not_evaluated"]) == (4, 2, 2)
    assert (summary["affairs_items"], summary["affairs_with_duty"], summary["affairs_without_duty"]) == (4, 3, 1)
    assert summary["share_duty_evaluated"] == 0.5 and summary["pairs"] == 3 and summary["pairs_off_list"] == 0


def test_a_pair_naming_a_code_off_the_list_is_counted():
    ds = _dataset(AFFAIRS, [*PAIRS, ("S7", "D2"), ("S9", "D8")])
    pairs = crosswalk_rows(ds)
    off = pairs[~(pairs["affairs_listed"] & pairs["duty_listed"]).to_numpy(dtype=bool)]
    assert off[["affairs_code", "duty_code"]].values.tolist() == [["S7", "D2"], ["S9", "D8"]]
    assert coverage_summary(ds, coverage_gaps(ds), pairs).iloc[0]["pairs_off_list"] == 2


def test_the_evaluation_carries_the_coverage_with_a_district_column():
    ev = evaluate(_dataset(AFFAIRS, PAIRS))
    for name in ("evaluation_lists", "list_crosswalk", "coverage_gaps", "coverage_summary"):
        frame = getattr(ev, name)
        assert "district" in frame.columns and not frame.empty, name
    assert set(ev.coverage_gaps["district"]) == {QL}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["S1", "S2", "S3", "S9"]), st.sampled_from(["D1", "D2", "D3", "D4"]))))
def test_the_gaps_are_exactly_what_the_crosswalk_leaves_out(pairs):
    ds = _dataset(AFFAIRS, pairs)
    gaps = coverage_gaps(ds)
    never = set(gaps.loc[gaps["side"].eq("duty_not_evaluated").to_numpy(dtype=bool), "item_code"])
    unbacked = set(gaps.loc[gaps["side"].eq("affairs_without_duty").to_numpy(dtype=bool), "item_code"])
    assert never == {"D1", "D2", "D3", "D4"} - {d for _, d in pairs}
    assert unbacked == {"S1", "S2", "S3", "S9"} - {a for a, _ in pairs}
    s = coverage_summary(ds, gaps, crosswalk_rows(ds)).iloc[0]
    assert s["duty_evaluated"] + s["duty_not_evaluated"] == s["duty_items"] == 4
    assert s["affairs_with_duty"] + s["affairs_without_duty"] == s["affairs_items"] == 4


def test_the_common_core_of_a_declaring_district_goes_through_its_crosswalk():
    core = pd.DataFrame(
        [{"common_code": "C001", "common_name": "社区营造", "district": d, "item_code": "D1"} for d in (WH, QL)]
    )
    scores = core_scores(_dataset(AFFAIRS, PAIRS), core)
    mine = scores[scores["street"].eq("临邛街道").to_numpy(dtype=bool) & scores["period"].eq("2019Q2").to_numpy()]
    # S1 (.65, weight 3) and S2 (.70, weight 1) evaluate the core duty D1; S3 and S9 do not
    assert round(mine["overall_core"].iloc[0], 6) == round(100 * (0.65 * 3 + 0.70) / 4, 6)
    plain = core_scores(_dataset(), core)
    wh = [s[s["district"].eq(WH).to_numpy(dtype=bool)].reset_index(drop=True) for s in (scores, plain)]
    pd.testing.assert_frame_equal(
        wh[0][["street", "period", "overall_core"]], wh[1][["street", "period", "overall_core"]]
    )
