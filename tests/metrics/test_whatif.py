"""What-if function weights: a ranking beside the official one; official scores never change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_test_data import dataset, item, row

from metrics import evaluate
from metrics.config import FUNCTIONS
from metrics.whatif import WHATIF_COLUMNS, list_function_weights, whatif_ranking

STREETS = ("甲街道", "乙街道", "丙街道", "丁街道")
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def ev():
    items = [item(f"A{i}", FUNCTIONS[i % 5], weight=1 + i % 3) for i in range(10)]
    perf = [row(f"A{i}", s, completion=((i * 7 + j * 3) % 11) / 10) for j, s in enumerate(STREETS) for i in range(10)]
    perf += [row("A0", "甲街道", period="2019Q3", completion=0.5)]
    return evaluate(dataset(items, perf, streets=STREETS))


weights = st.fixed_dictionaries({f: st.floats(0, 10, allow_nan=False) for f in FUNCTIONS}).filter(
    lambda w: sum(w.values()) > 0
)


@SETTINGS
@given(weights)
def test_whatif_leaves_official_scores_untouched(ev, w):
    before = ev.scores.copy(deep=True)
    out = whatif_ranking(ev.scores, w)
    pd.testing.assert_frame_equal(before, ev.scores)
    assert list(out.columns) == WHATIF_COLUMNS
    merged = out.merge(ev.scores, on=["district", "street", "period"], suffixes=("", "_official"))
    np.testing.assert_array_equal(merged["overall"], merged["overall_official"])
    assert (merged["rank_official"] == merged["rank_city"]).all()
    assert (out["rank_change"] == out["rank_official"] - out["whatif_rank"]).all()


def test_one_function_alone_ranks_by_that_function(ev):
    out = whatif_ranking(ev.scores_for("2019Q2"), {"community_safety": 1.0})
    expect = ev.scores_for("2019Q2").set_index("street")["community_safety"]
    np.testing.assert_allclose(out.set_index("street")["whatif_score"].loc[expect.index], expect)
    assert out["whatif_score"].is_monotonic_decreasing


def test_list_weights_reproduce_the_official_score_for_one_list(ev):
    w = list_function_weights(ev, "2019Q2")
    assert abs(sum(w.values()) - 1) < 1e-12
    out = whatif_ranking(ev.scores_for("2019Q2"), w)
    np.testing.assert_allclose(out["whatif_score"], out["overall"], atol=1e-9)
    assert (out["rank_change"] == 0).all()


def test_district_scope_and_scaling(ev):
    a = whatif_ranking(ev.scores, {f: 1.0 for f in FUNCTIONS}, scope="district")
    b = whatif_ranking(ev.scores, {f: 3.0 for f in FUNCTIONS}, scope="district")
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize(
    "bad", [{}, {f: 0.0 for f in FUNCTIONS}, {"community_safety": -1.0}, {"招商引资": 1.0}, {"public_services": np.nan}]
)
def test_bad_weights_refused(ev, bad):
    with pytest.raises(ValueError):
        whatif_ranking(ev.scores, bad)
