"""Every rule of docs/FORMATS.md §4 on a hand-computed example; the arithmetic is written beside each assertion."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from metrics_test_data import dataset, item, one, row

from metrics import load_config, score_streets
from metrics.score import SCORE_COLUMNS, SCORE_EXTRAS, item_detail

KEYWORDS = ["招商引资", "招商", "引资", "协税护税", "协税", "护税", "税收任务"]


def test_columns_are_formats_keys_in_order_then_extras():
    scores = score_streets(dataset([item("A1")], [row("A1", completion=1.0)]))
    assert list(scores.columns) == SCORE_COLUMNS + SCORE_EXTRAS
    assert SCORE_COLUMNS == [
        "district", "street", "period", "overall", "community_development", "public_services",
        "comprehensive_management", "business_environment", "community_safety", "items_listed",
        "items_reported", "items_missing", "removed_indicators", "unlisted_items", "unlisted_tasks", "list_year",
        "submitted",
    ]  # fmt: skip


@pytest.mark.parametrize("category", ["investment_attraction", "tax_assistance", "economic_development"])
def test_removed_by_category(category):
    # A1 (public_services) c = 0.5 counts; E1 in a removed category is done fully but left out.
    # overall = 100 · (1·0.5) / 1 = 50 (with E1 it would be 100 · 1.5 / 2 = 75)
    ds = dataset(
        [item("A1"), item("E1", category, "街道经济工作")], [row("A1", completion=0.5), row("E1", completion=1)]
    )
    s = one(score_streets(ds))
    assert s["overall"] == 50.0
    assert (s["items_listed"], s["items_reported"], s["items_missing"], s["removed_indicators"]) == (1, 1, 0, 1)


@pytest.mark.parametrize("keyword", KEYWORDS)
def test_removed_by_each_name_keyword(keyword):
    # K1 is filed under public_services but its name has the keyword: out. Only A1 (c = 0) counts.
    # overall = 100 · 0 / 1 = 0 (with K1 it would be 100 · 1 / 2 = 50)
    ds = dataset(
        [item("A1"), item("K1", "public_services", f"做好{keyword}相关工作")],
        [row("A1", completion=0.0), row("K1", completion=1.0)],
    )
    s = one(score_streets(ds))
    assert s["overall"] == 0.0
    assert s["public_services"] == 0.0
    assert (s["items_listed"], s["removed_indicators"]) == (1, 1)


def test_business_environment_is_kept():
    # 优化营商环境 is one of the five functions, not investment attraction: B1 c = 0.8 counts.
    # business_environment = 100 · 0.8 / 1 = 80; overall = 100 · (0.8 + 0) / 2 = 40
    ds = dataset(
        [item("B1", "business_environment", "优化营商环境"), item("A1")],
        [row("B1", completion=0.8), row("A1", completion=0.0)],
    )
    s = one(score_streets(ds))
    assert s["business_environment"] == 80.0
    assert s["overall"] == 40.0
    assert (s["items_listed"], s["removed_indicators"]) == (2, 0)


def test_name_with_tax_or_economy_alone_is_kept():
    # 减税降费政策宣传 contains 税, 经济普查 contains 经济: neither is a removed keyword.
    # overall = 100 · (0.6 + 1.0) / 2 = 80
    ds = dataset(
        [item("T1", "public_services", "减税降费政策宣传"), item("T2", "public_services", "经济普查")],
        [row("T1", completion=0.6), row("T2", completion=1.0)],
    )
    s = one(score_streets(ds))
    assert s["overall"] == 80.0
    assert (s["items_listed"], s["removed_indicators"]) == (2, 0)


def test_unlisted_economic_report_row_counts_as_removed_not_unlisted():
    # X1 is not on the list; its report name 招商引资洽谈 makes it a removed indicator.
    # X2 is not on the list and not economic: an unlisted item. Neither is scored: overall = 100 · 0.5 / 1 = 50
    ds = dataset(
        [item("A1")],
        [
            row("A1", completion=0.5),
            row("X1", item_name="招商引资洽谈", completion=1.0),
            row("X2", item_name="临时创卫检查", completion=1.0),
        ],
    )
    s = one(score_streets(ds))
    assert s["overall"] == 50.0
    assert (s["removed_indicators"], s["unlisted_items"]) == (1, 1)


def test_listed_item_is_judged_by_the_list_not_the_report_name():
    # A1 on the list is 社区服务 (kept) even if the report row calls it 招商: score 100 · 1 / 1 = 100.
    ds = dataset([item("A1", name="社区服务")], [row("A1", item_name="招商", completion=1.0)])
    s = one(score_streets(ds))
    assert s["overall"] == 100.0
    assert s["removed_indicators"] == 0


def test_removed_count_is_distinct_codes_on_list_or_in_report():
    # E1 on the list and reported: 1 code; E2 on the list, not reported: 1; X9 economic report row: 1 → 3.
    ds = dataset(
        [item("A1"), item("E1", "investment_attraction"), item("E2", "tax_assistance")],
        [row("A1", completion=1.0), row("E1", completion=1.0), row("X9", item_name="协税护税", completion=1.0)],
    )
    assert one(score_streets(ds))["removed_indicators"] == 3


def test_target_and_actual_give_completion():
    # A1: 150 / 200 = 0.75 (the reported completion 0.1 is ignored when target > 0 and actual are given)
    # A2: target 0 with an actual on a 正向 item → c = 1 (FORMATS.md §6);  A3: actual missing → completion 0.3
    # overall = 100 · (0.75 + 1 + 0.3) / 3 = 68.333…
    ds = dataset(
        [item("A1"), item("A2"), item("A3")],
        [
            row("A1", target=200, actual=150, completion=0.1),
            row("A2", target=0, actual=5, completion=0.4),
            row("A3", target=10, completion=0.3),
        ],
    )
    s = one(score_streets(ds))
    assert s["overall"] == pytest.approx(100 * (0.75 + 1 + 0.3) / 3)
    detail = item_detail(ds).set_index("item_code")
    assert list(detail.loc[["A1", "A2", "A3"], "c"]) == pytest.approx([0.75, 1.0, 0.3])
    assert list(detail.loc[["A1", "A2", "A3"], "c_source"]) == ["ratio", "ratio", "completion"]


def test_completion_fraction_is_used_as_given():
    # The loader turns 85%, 85 and 0.85 into 0.85 (tested through workbooks in test_through_workbooks).
    # overall = 100 · 0.85 = 85
    assert one(score_streets(dataset([item("A1")], [row("A1", completion=0.85)])))["overall"] == pytest.approx(85.0)


def test_status_mapping():
    # No target/actual and no completion: 已完成 1, 进行中 0.5, 未开始 0, 未完成 0
    # overall = 100 · (1 + 0.5 + 0 + 0) / 4 = 37.5
    statuses = ["已完成", "进行中", "未开始", "未完成"]
    ds = dataset([item(f"A{i}") for i in range(4)], [row(f"A{i}", status=s) for i, s in enumerate(statuses)])
    assert one(score_streets(ds))["overall"] == 37.5


def test_completion_takes_precedence_over_status():
    # completion 0.2 is used, not 已完成 (1): overall = 20
    ds = dataset([item("A1")], [row("A1", completion=0.2, status="已完成")])
    assert one(score_streets(ds))["overall"] == pytest.approx(20.0)


def test_values_above_one_count_as_one():
    # A1: 300 / 200 = 1.5 → 1;  A2: completion 1.05 (a cell showing 105%) → 1;  A3: 0.5
    # overall = 100 · (1 + 1 + 0.5) / 3 = 83.333…
    ds = dataset(
        [item("A1"), item("A2"), item("A3")],
        [row("A1", target=200, actual=300), row("A2", completion=1.05), row("A3", completion=0.5)],
    )
    s = one(score_streets(ds))
    assert s["overall"] == pytest.approx(100 * 2.5 / 3)
    detail = item_detail(ds).set_index("item_code")
    assert detail.loc["A2", "completion_reported"] == 1.05  # shown as reported
    assert detail.loc["A2", "c"] == 1.0  # used capped


def test_missing_items_count_zero():
    # 3 items, only A1 reported (c = 1): overall = 100 · 1 / 3 = 33.33…, items_missing = 3 − 1 = 2
    ds = dataset([item("A1"), item("A2"), item("A3")], [row("A1", completion=1.0)])
    s = one(score_streets(ds))
    assert s["overall"] == pytest.approx(100 / 3)
    assert (s["items_listed"], s["items_reported"], s["items_missing"]) == (3, 1, 2)
    cats = item_detail(ds).set_index("item_code")["category"]
    assert list(cats.loc[["A1", "A2", "A3"]]) == ["scored", "missing", "missing"]


def test_weights():
    # A1 weight 3, c = 1; A2 weight absent (= 1), c = 0; A3 weight 0.5, c = 0.5
    # overall = 100 · (3·1 + 1·0 + 0.5·0.5) / (3 + 1 + 0.5) = 100 · 3.25 / 4.5 = 72.22…
    ds = dataset(
        [item("A1", weight=3), item("A2"), item("A3", weight=0.5)],
        [row("A1", completion=1.0), row("A2", completion=0.0), row("A3", completion=0.5)],
    )
    assert one(score_streets(ds))["overall"] == pytest.approx(100 * 3.25 / 4.5)


def test_function_scores_and_empty_function_is_nan_not_zero():
    # community_development: C1 (w 2, c 0.5), C2 (w 1, c 1) → 100 · (1 + 1) / 3 = 66.67
    # public_services: P1 (w 1, c 0.25) → 25;  the other three functions have no items → NaN
    # overall = 100 · (1 + 1 + 0.25) / 4 = 56.25
    ds = dataset(
        [item("C1", "community_development", weight=2), item("C2", "community_development"), item("P1")],
        [row("C1", completion=0.5), row("C2", completion=1.0), row("P1", completion=0.25)],
    )
    s = one(score_streets(ds))
    assert s["community_development"] == pytest.approx(200 / 3)
    assert s["public_services"] == 25.0
    assert s["overall"] == 56.25
    for f in ("comprehensive_management", "business_environment", "community_safety"):
        assert math.isnan(s[f])


def test_function_with_only_removed_items_is_nan():
    # business_environment holds only a 招商 item: removed, so the function has no score (NaN), not 0.
    ds = dataset([item("A1"), item("B1", "business_environment", "招商项目跟踪")], [row("A1", completion=1.0)])
    assert math.isnan(one(score_streets(ds))["business_environment"])


def test_list_year_fallback_flagged():
    # Lists for 2019 and 2021. 2019Q2 → 2019; 2020Q3 → 2019 (fallback); 2021Q1 → 2021; 2018Q4 → no list.
    items = [item("A1", year=2019), item("B1", year=2021)]
    perf = [row("A1", period="2019Q2", completion=1.0), row("A1", period="2020Q3", completion=0.5)]
    perf += [row("B1", period="2021Q1", completion=0.25), row("A1", period="2018Q4", completion=1.0)]
    scores = score_streets(dataset(items, perf))
    got = {p: one(scores, period=p) for p in ("2019Q2", "2020Q3", "2021Q1", "2018Q4")}
    assert (got["2019Q2"]["list_year"], got["2019Q2"]["list_fallback"]) == (2019, False)
    assert (got["2020Q3"]["list_year"], got["2020Q3"]["list_fallback"]) == (2019, True)
    assert got["2020Q3"]["overall"] == 50.0  # scored against the 2019 list: A1 c 0.5
    assert (got["2021Q1"]["list_year"], got["2021Q1"]["list_fallback"]) == (2021, False)
    assert got["2021Q1"]["overall"] == 25.0
    assert got["2018Q4"]["list_year"] is pd.NA and not got["2018Q4"]["list_fallback"]
    assert math.isnan(got["2018Q4"]["overall"]) and got["2018Q4"]["items_listed"] == 0
    assert got["2018Q4"]["unlisted_items"] == 1  # A1 is on no list in force for 2018


def test_unlisted_tasks_count_rows_of_the_street_and_period():
    # 3 清单外事项 rows for 玉林 2019Q2, 1 for 2019Q3, 1 for 簇桥 2019Q2
    tasks = [{"street": "玉林街道", "period": "2019Q2"}] * 3 + [
        {"street": "玉林街道", "period": "2019Q3"},
        {"street": "簇桥街道", "period": "2019Q2"},
    ]
    ds = dataset([item("A1")], [row("A1", completion=1.0)], streets=("玉林街道", "簇桥街道"), unlisted=tasks)
    scores = score_streets(ds)
    assert one(scores)["unlisted_tasks"] == 3
    assert one(scores, period="2019Q3")["unlisted_tasks"] == 1
    assert one(scores, "簇桥街道")["unlisted_tasks"] == 1
    assert one(scores)["overall"] == 100.0  # tasks do not change the score


def test_registered_street_that_sent_nothing_is_not_submitted():
    # 簇桥 is registered and sent nothing for 2019Q2 (which 玉林 reported): 未报送 (FORMATS.md §6), empty score.
    ds = dataset([item("A1"), item("A2")], [row("A1", completion=1.0)], streets=("玉林街道", "簇桥街道"))
    s = one(score_streets(ds), "簇桥街道")
    assert pd.isna(s["overall"]) and pd.isna(s["grade"]) and not s["submitted"]
    assert (s["items_listed"], s["items_reported"], s["items_missing"]) == (2, 0, 2)


def test_only_the_duty_list_is_scored():
    # S1 is on the 便民服务清单: not part of the score; its report row is an unlisted item.
    ds = dataset([item("A1"), item("S1", list_type="service")], [row("A1", completion=1.0), row("S1", completion=0)])
    s = one(score_streets(ds))
    assert (s["overall"], s["items_listed"], s["unlisted_items"]) == (100.0, 1, 1)


def test_removed_listed_item_reported_is_still_out():
    # E1 (招商引资, reported c = 1) is excluded; A1 c = 0 → overall 0
    ds = dataset(
        [item("A1"), item("E1", "investment_attraction")], [row("A1", status="未开始"), row("E1", status="已完成")]
    )
    s = one(score_streets(ds))
    assert (s["overall"], s["items_reported"], s["removed_indicators"]) == (0.0, 1, 1)


@pytest.mark.parametrize(
    ("overall", "grade"),
    [
        (100.0, "优秀"),
        (90.0, "优秀"),
        (89.99, "良好"),
        (80.0, "良好"),
        (60.0, "合格"),
        (59.99, "不合格"),
        (0.0, "不合格"),
    ],
)
def test_grade_bands(overall, grade):
    # one item with completion overall/100 gives that overall score
    ds = dataset([item("A1")], [row("A1", completion=overall / 100)])
    s = one(score_streets(ds))
    assert s["overall"] == pytest.approx(overall)
    assert s["grade"] == grade


def test_no_score_no_grade():
    ds = dataset([item("A1", year=2020)], [row("A1", completion=1.0)])  # 2019Q2 has no list
    assert one(score_streets(ds))["grade"] is pd.NA


@pytest.mark.parametrize("column", ["target", "actual", "completion"])
def test_negative_values_are_refused(column):
    ds = dataset([item("A1")], [row("A1", **{column: -1.0})])
    with pytest.raises(ValueError, match="负数"):
        score_streets(ds)


def test_repeated_item_row_is_refused():
    ds = dataset([item("A1")], [row("A1", completion=1.0), row("A1", completion=0.5)])
    with pytest.raises(ValueError, match="重复"):
        score_streets(ds)


def test_bad_weight_and_unknown_function_and_status_are_refused():
    with pytest.raises(ValueError, match="权重"):
        score_streets(dataset([item("A1", weight=0)], [row("A1", completion=1.0)]))
    with pytest.raises(ValueError, match="职能"):
        score_streets(dataset([item("A1", "tourism")], [row("A1", completion=1.0)]))
    with pytest.raises(ValueError, match="状态"):
        score_streets(dataset([item("A1")], [row("A1", status="差不多")]))
    with pytest.raises(ValueError, match="报告期"):
        score_streets(dataset([item("A1")], [row("A1", period="2019-06", completion=1.0)]))


def test_empty_key_cells_are_refused():
    with pytest.raises(ValueError, match="item_code"):
        score_streets(dataset([item("A1")], [row(None, completion=1.0)]))
    with pytest.raises(ValueError, match="street"):
        score_streets(dataset([item("A1")], [row("A1", street=None, completion=1.0)]))


def test_status_mapping_comes_from_the_config():
    # With 进行中 mapped to 0.8 instead of 0.5: overall = 80
    from metrics.config import parse_config

    raw = tomllib.loads(Path(load_config().source).read_text(encoding="utf-8"))
    raw["status"]["进行中"] = 0.8
    ds = dataset([item("A1")], [row("A1", status="进行中")])
    assert one(score_streets(ds, parse_config(raw)))["overall"] == pytest.approx(80.0)


def test_scores_are_not_rounded_in_the_frame():
    ds = dataset([item("A1"), item("A2"), item("A3")], [row("A1", completion=1.0)])
    assert one(score_streets(ds))["overall"] == 100 / 3  # 33.333…, not 33.33


def test_empty_dataset_gives_an_empty_frame_with_the_columns():
    scores = score_streets(dataset())
    assert scores.empty and list(scores.columns) == SCORE_COLUMNS + SCORE_EXTRAS
    assert list(item_detail(dataset()).columns)[:3] == ["district", "street", "period"]
