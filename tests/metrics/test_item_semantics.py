"""FORMATS.md §6 (direction, target 0, 适用类型, 未报送) on hand-computed examples, and invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metrics_test_data import dataset, item, one, row

from metrics import evaluate, score_streets
from metrics.completion import ratio_completion
from metrics.score import item_detail


def c_of(ds, code: str, street: str = "玉林街道") -> float:
    d = item_detail(ds)
    hit = d.loc[d["item_code"].eq(code).to_numpy(dtype=bool) & d["street"].eq(street).to_numpy(dtype=bool)]
    assert len(hit) == 1
    return float(hit["c"].iloc[0])


# ---- direction


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        (10, 5, 1.0),  # fewer accidents than allowed: done
        (10, 10, 1.0),  # exactly at the target: done
        (10, 20, 0.5),  # twice the allowed number: 10 / 20
        (4, 5, 0.8),  # 4 / 5
        (0, 0, 1.0),  # target 0 and none happened
        (0, 3, 0.0),  # target 0 and some happened
    ],
)
def test_reverse_item_completion(target, actual, expected):
    ds = dataset([item("R1", direction="反向")], [row("R1", target=target, actual=actual)])
    assert c_of(ds, "R1") == pytest.approx(expected)
    assert one(score_streets(ds))["overall"] == pytest.approx(100 * expected)


def test_reverse_and_forward_items_together():
    # F1 正向 8/10 = 0.8 (weight 1); R1 反向 target 6, actual 8 → 6/8 = 0.75 (weight 3)
    # overall = 100 · (1·0.8 + 3·0.75) / 4 = 76.25
    ds = dataset(
        [item("F1"), item("R1", "community_safety", "安全事故数", weight=3, direction="反向")],
        [row("F1", target=10, actual=8), row("R1", target=6, actual=8)],
    )
    s = one(score_streets(ds))
    assert s["overall"] == pytest.approx(76.25)
    assert s["community_safety"] == pytest.approx(75.0)
    assert s["public_services"] == pytest.approx(80.0)


def test_reverse_item_without_target_and_actual_reads_completion_and_status_as_in_section_4():
    # R1 反向 but only a completion 0.6 → 0.6; R2 反向 with status 进行中 → 0.5; overall = 100 · 1.1 / 2 = 55
    ds = dataset(
        [item("R1", direction="反向"), item("R2", direction="反向")],
        [row("R1", completion=0.6), row("R2", status="进行中")],
    )
    assert one(score_streets(ds))["overall"] == pytest.approx(55.0)


def test_forward_target_zero_with_an_actual_is_done():
    # F1 正向, target 0, actual 0 → reported, c = 1; F2 正向 target 0 actual 7 → 1; F3 missing → 0
    # overall = 100 · 2 / 3
    ds = dataset([item("F1"), item("F2"), item("F3")], [row("F1", target=0, actual=0), row("F2", target=0, actual=7)])
    s = one(score_streets(ds))
    assert s["overall"] == pytest.approx(200 / 3)
    assert (s["items_listed"], s["items_reported"], s["items_missing"]) == (3, 2, 1)


# ---- applicability


def test_inapplicable_item_is_left_out_of_the_street_entirely():
    # N1 applies to 涉农街道、镇 only. 玉林 (城区街道): A1 only, 100 · 0.4 = 40, one item listed.
    # 金花桥 (涉农街道): A1 0.4 and N1 1.0 → 100 · 1.4 / 2 = 70, two items listed.
    ds = dataset(
        [item("A1"), item("N1", "community_development", "耕地保护", applies_to="涉农街道、镇")],
        [row("A1", completion=0.4), row("A1", "金花桥街道", completion=0.4), row("N1", "金花桥街道", completion=1)],
        register=[
            {"street": "玉林街道", "street_type": "城区街道"},
            {"street": "金花桥街道", "street_type": "涉农街道"},
        ],
    )
    scores = score_streets(ds)
    urban, rural = one(scores), one(scores, "金花桥街道")
    assert urban["overall"] == pytest.approx(40.0)
    assert (urban["items_listed"], urban["items_missing"], urban["unlisted_items"]) == (1, 0, 0)
    assert pd.isna(urban["community_development"])  # no applicable item in that function: no score, not 0
    assert rural["overall"] == pytest.approx(70.0)
    assert (rural["items_listed"], rural["items_reported"]) == (2, 2)
    assert "N1" not in set(item_detail(ds).query("street == '玉林街道'")["item_code"].astype(str))


def test_inapplicable_item_reported_anyway_is_off_the_list():
    # 玉林 reports N1 though it does not apply: as if not on its list → an unlisted item, not scored.
    ds = dataset(
        [item("A1"), item("N1", applies_to="镇")],
        [row("A1", completion=0.5), row("N1", completion=1.0)],
    )
    s = one(score_streets(ds))
    assert (s["overall"], s["items_listed"], s["unlisted_items"]) == (50.0, 1, 1)


def test_unknown_street_type_keeps_every_item():
    ds = dataset(
        [item("A1"), item("N1", applies_to="镇")],
        [row("A1", completion=1.0)],
        register=[{"street": "玉林街道", "street_type": None}],
    )
    s = one(score_streets(ds))
    assert (s["overall"], s["items_listed"]) == (50.0, 2)


# ---- 未报送


def _late_district():
    # 玉林 90, 簇桥 60 reported 2019Q2; 望江路 sent nothing that quarter but reported 2019Q3.
    items = [item("A1")]
    perf = [
        row("A1", completion=0.9),
        row("A1", "簇桥街道", completion=0.6),
        row("A1", "望江路街道", "2019Q3", completion=0.7),
        row("A1", "玉林街道", "2019Q3", completion=0.8),
    ]
    return dataset(items, perf, streets=("玉林街道", "簇桥街道", "望江路街道"))


def test_unsubmitted_street_has_empty_scores_and_no_grade_rank_or_statistic():
    ev = evaluate(_late_district())
    late = one(ev.scores, "望江路街道")
    assert not late["submitted"] and late["items_reported"] == 0
    assert pd.isna(late["overall"]) and pd.isna(late["grade"])
    assert pd.isna(late["rank_district"]) and pd.isna(late["rank_city"]) and pd.isna(late["percentile_city"])
    assert one(ev.scores)["submitted"] and one(ev.scores)["n_district"] == 2  # 2 ranked, not 3
    summary = ev.district_summary.set_index("period").loc["2019Q2"]
    # median of 90 and 60 = 75 (with a 0 for 望江路 it would be 60); grade shares over the 2 reported
    assert (summary["median"], summary["min"], summary["n_scored"]) == (75.0, 60.0, 2)
    assert summary["n_unsubmitted"] == 1
    shares = [summary[f"share_{g}"] for g in ev.grades]
    assert sum(shares) == pytest.approx(1.0)
    # 2019Q3: 簇桥 is the late one now, 望江路 scores 70
    q3 = ev.scores_for("2019Q3").set_index("street")
    assert q3.loc["望江路街道", "overall"] == pytest.approx(70.0) and not q3.loc["簇桥街道", "submitted"]


def test_unsubmitted_listing_names_the_streets():
    from metrics.submission import unsubmitted, unsubmitted_text

    ev = evaluate(_late_district())
    late = unsubmitted(ev.scores, "2019Q2")
    assert list(late["street"]) == ["望江路街道"]
    assert unsubmitted_text(ev.scores, "2019Q2") == "未报送 1 个：武侯区 望江路街道"
    assert unsubmitted_text(ev.scores, "2019Q2", lang="en") == "Not submitted: 1 (武侯区 望江路街道)"
    assert unsubmitted_text(ev.scores.iloc[:0], "2019Q2") == ""


def test_ratio_rule_directly():
    target = np.array([10, 10, 0, 0, 0, 4.0])
    actual = np.array([5, 20, 0, 3, 3, 5.0])
    reverse = np.array([True, True, True, True, False, False])
    assert list(ratio_completion(target, actual, reverse)) == pytest.approx([1, 0.5, 1, 0, 1, 1.25])


# ---- invariants

amounts = st.floats(0, 1000, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(target=amounts, actual=amounts, more=st.floats(0, 100, allow_nan=False))
def test_reverse_completion_is_in_range_and_never_rewards_more(target, actual, more):
    # c of a 反向 item is in [0, 1], and doing worse (a larger actual) never raises it
    rev = np.array([True])
    c = ratio_completion(np.array([target]), np.array([actual]), rev)[0]
    worse = ratio_completion(np.array([target]), np.array([actual + more]), rev)[0]
    assert 0.0 <= c <= 1.0 and worse <= c + 1e-12
    if actual <= target:
        assert c == 1.0


@pytest.mark.slow
@settings(max_examples=10, deadline=None)
@given(
    values=st.lists(st.floats(0, 1, allow_nan=False), min_size=3, max_size=3),
    late=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_a_late_street_changes_nothing_about_the_others(values, late):
    # removing or adding a silent street leaves the other streets' scores, ranks and the district median as if
    # it were not in the register at all
    names = ["甲街道", "乙街道", "丙街道"]
    if all(late):
        late = [False, *late[1:]]
    perf = [row("A1", n, completion=v) for n, v, x in zip(names, values, late, strict=True) if not x]
    with_late = evaluate(dataset([item("A1")], perf, streets=names))
    without = evaluate(dataset([item("A1")], perf, streets=[n for n, x in zip(names, late, strict=True) if not x]))
    cols = ["street", "overall", "grade", "rank_district", "n_district"]
    sent = with_late.scores.loc[with_late.scores["submitted"].to_numpy(dtype=bool), cols].reset_index(drop=True)
    pd.testing.assert_frame_equal(sent, without.scores[cols].reset_index(drop=True))
    a, b = with_late.district_summary.iloc[0], without.district_summary.iloc[0]
    assert a["median"] == pytest.approx(b["median"]) and a["n_scored"] == b["n_scored"]
    assert a["n_unsubmitted"] == sum(late)
    assert with_late.scores["overall"].isna().sum() == sum(late)
