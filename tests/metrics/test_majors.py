"""大项 drill-down (issue 15): a score per major item, consistent with the §4 overall score."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metrics_test_data import dataset, item, row

from metrics import evaluate


def test_each_major_item_is_scored_over_its_own_items() -> None:
    items = [
        item("A1", major_item="社区营造", weight=2),
        item("A2", major_item="社区营造", weight=1),
        item("B1", "community_safety", major_item="安全生产", weight=1),
        item("C1", "community_safety"),  # no 大项: in the overall score, in no 大项
        item("E1", "investment_attraction", major_item="招商", weight=5),  # removed: in no score
    ]
    perf = [row("A1", completion=1), row("A2", completion=0.4), row("E1", completion=1)]  # B1 missing: 0
    ev = evaluate(dataset(items, perf, streets=("玉林街道", "簇桥街道")))
    ms = ev.major_scores.set_index(["street", "major_item"])
    assert ms.loc[("玉林街道", "社区营造"), "score"] == pytest.approx(100 * (2 * 1 + 1 * 0.4) / 3)
    assert (ms.loc[("玉林街道", "社区营造"), "items"], ms.loc[("玉林街道", "社区营造"), "weight"]) == (2, 3.0)
    assert ms.loc[("玉林街道", "安全生产"), "score"] == 0
    assert "招商" not in ms.index.get_level_values("major_item")
    assert "簇桥街道" not in ms.index.get_level_values("street")  # 未报送: no score, no 大项 scores
    md = ev.major_district.set_index("major_item")
    assert md.loc["社区营造", "streets"] == 1 and md.loc["社区营造", "median"] == pytest.approx(80.0)


def test_a_list_without_major_items_gives_no_rows() -> None:
    ev = evaluate(dataset([item("A1")], [row("A1", completion=1)]))
    assert ev.major_scores.empty and ev.major_district.empty


@settings(max_examples=12, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["甲", "乙", "丙"]), st.integers(1, 5), st.one_of(st.none(), st.floats(0, 1.5))),
        min_size=1,
        max_size=12,
    )
)
def test_major_scores_weighted_by_their_weights_give_the_overall(rows) -> None:
    items = [item(f"A{k}", major_item=m, weight=w) for k, (m, w, _) in enumerate(rows)]
    perf = [row(f"A{k}", completion=c) for k, (_, _, c) in enumerate(rows) if c is not None]
    if not perf:
        perf = [row("A0", status="未开始")]
    ev = evaluate(dataset(items, perf))
    ms = ev.major_scores
    overall = ev.scores["overall"].iloc[0]
    pooled = (ms["score"] * ms["weight"]).sum() / ms["weight"].sum()
    assert math.isclose(pooled, overall, abs_tol=1e-9)
    assert ms["score"].between(0, 100).all()
