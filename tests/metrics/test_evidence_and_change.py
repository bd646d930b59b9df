"""Points lost to unreported items, the evidence mix (metrics.evidence) and the change decomposition
(metrics.change_parts)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_test_data import dataset, item, row
from test_properties import datasets

from loaders.schema import PERFORMANCE
from metrics import evaluate
from metrics.change_parts import PARTS, change_parts, decompose
from metrics.config import FUNCTIONS
from metrics.evidence import evidence_mix, evidence_text
from metrics.keys import KEY

SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _filled(ds, ev):
    """The dataset with a completion of 1 reported for every unreported included item."""
    missing = ev.items.loc[ev.items["category"].astype("string").eq("missing").to_numpy(dtype=bool, na_value=False)]
    if missing.empty:
        return ds
    extra = pd.DataFrame(
        {
            "district": missing["district"].astype("string").to_numpy(),
            "street": missing["street"].astype("string").to_numpy(),
            "period": missing["period"].astype("string").to_numpy(),
            "item_code": missing["item_code"].astype("string").to_numpy(),
            "completion": 1.0,
        }
    )
    perf = PERFORMANCE.conform(pd.concat([ds.performance, PERFORMANCE.conform(extra)], ignore_index=True))
    return replace(ds, performance=perf)


@pytest.mark.slow
@SETTINGS
@given(datasets())
def test_points_lost_equal_the_gain_from_filling_unreported_items_at_full_marks(ds):
    ev = evaluate(ds)
    filled = evaluate(_filled(ds, ev))
    both = ev.scores[[*KEY, "overall", "points_lost_missing"]].merge(
        filled.scores[[*KEY, "overall"]], on=KEY, suffixes=("", "_filled")
    )
    both = both.loc[both["overall"].notna().to_numpy(dtype=bool)]
    np.testing.assert_allclose(
        both["points_lost_missing"].to_numpy(dtype="float64"),
        (both["overall_filled"] - both["overall"]).to_numpy(dtype="float64"),
        atol=1e-9,
    )


def test_evidence_shares_split_the_weight_by_source():
    items = [item("A1", weight=2), item("A2", weight=1), item("A3", weight=1), item("A4", weight=4)]
    perf = [
        row("A1", target=10, actual=5),  # ratio
        row("A2", completion=0.8),  # completion
        row("A3", status="进行中"),  # status only
    ]  # A4 unreported
    ev = evaluate(dataset(items, perf))
    got = evidence_mix(ev.items).iloc[0]
    assert got["share_ratio"] == 0.25 and got["share_completion"] == 0.125 and got["share_status"] == 0.125
    assert got["share_missing"] == 0.5 and got["points_lost_missing"] == 50.0
    assert got["status_share_reported"] == 0.25 and got["evidence_class"] == "measured"
    score = ev.scores.iloc[0]
    assert score["points_lost_missing"] == 50.0  # carried into Evaluation.scores
    assert evidence_text(score) == "未报送 50 % · 目标/完成值 25 % · 按状态折算 12 % · 完成率 12 %"


def test_a_street_reporting_only_statuses_is_classed_status():
    items = [item(f"A{i}") for i in range(4)]
    perf = [row(f"A{i}", status="已完成") for i in range(3)]
    got = evaluate(dataset(items, perf)).scores.iloc[0]
    assert got["share_status"] == 0.75 and got["evidence_class"] == "status"


def _two_years(before: list, after: list, w_before: list, w_after: list, codes_after: list | None = None):
    codes_before = [f"A{i}" for i in range(len(before))]
    codes_after = codes_after or codes_before
    items = [item(c, FUNCTIONS[i % 5], weight=w) for i, (c, w) in enumerate(zip(codes_before, w_before, strict=True))]
    items += [
        item(c, FUNCTIONS[i % 5], weight=w, year=2020)
        for i, (c, w) in enumerate(zip(codes_after, w_after, strict=True))
    ]

    def rows(codes, values, period):
        out = []
        for c, v in zip(codes, values, strict=True):
            if v is not None:
                out.append(row(c, period=period, **({"status": v} if isinstance(v, str) else {"completion": v})))
        return out

    perf = rows(codes_before, before, "2019Q2") + rows(codes_after, after, "2020Q2")
    return evaluate(dataset(items, perf))


value = st.one_of(st.none(), st.floats(0, 1), st.sampled_from(["已完成", "进行中", "未开始"]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.integers(1, 6), st.integers(1, 6), st.integers(0, 6))
def test_change_parts_add_up_to_the_change(data, n_before, n_after, shift):
    before = data.draw(st.lists(value, min_size=n_before, max_size=n_before))
    after = data.draw(st.lists(value, min_size=n_after, max_size=n_after))
    w_before = data.draw(st.lists(st.sampled_from([1.0, 2.0, 3.0]), min_size=n_before, max_size=n_before))
    w_after = data.draw(st.lists(st.sampled_from([1.0, 2.0, 3.0]), min_size=n_after, max_size=n_after))
    codes_after = [f"A{i + shift}" for i in range(n_after)]  # overlapping lists: some items added, some dropped
    ev = _two_years(before, after, w_before, w_after, codes_after)
    parts = change_parts(ev, "武侯区", "玉林街道", "2020Q2", lag=4)
    score = ev.scores.set_index("period")["overall"]
    if parts.empty:  # a period with no score: nothing to split
        assert score.reindex(["2019Q2", "2020Q2"]).isna().any()
        return
    assert list(parts["part"]) == list(PARTS)
    assert abs(parts["points"].sum() - (score["2020Q2"] - score["2019Q2"])) < 1e-9


def test_change_parts_name_what_changed():
    # A0 status 进行中→已完成, A1 reported→unreported, A2 unreported→reported, A3 completion 0.5→0.9 (weight 1→2),
    # A4 dropped, A5 added
    ev = _two_years(
        ["进行中", 0.8, None, 0.5, 1.0],
        ["已完成", None, 0.6, 0.9, 0.7],
        [1, 1, 1, 1, 1],
        [1, 1, 1, 2, 1],
        ["A0", "A1", "A2", "A3", "A5"],
    )
    parts = change_parts(ev, "武侯区", "玉林街道", "2020Q2").set_index("part")
    assert parts.loc["items_added_dropped", "items"] == 2
    assert parts.loc["weights", "items"] == 1
    assert parts.loc["newly_unreported", "points"] < 0 and parts.loc["newly_unreported", "items"] == 1
    assert parts.loc["newly_reported", "points"] > 0 and parts.loc["newly_reported", "items"] == 1
    assert parts.loc["status", "points"] > 0 and parts.loc["status", "items"] == 1
    assert parts.loc["completion", "points"] > 0 and parts.loc["completion", "items"] == 1
    common = ev.scores.set_index("period")["change_year_ago_common"]
    assert np.isnan(common["2019Q2"]) and not np.isnan(common["2020Q2"])  # across a list revision only


def test_decompose_of_identical_states_is_zero():
    ev = _two_years([0.5, "进行中"], [0.5, "进行中"], [1, 2], [1, 2])
    assert (change_parts(ev, "武侯区", "玉林街道", "2020Q2")["points"].abs() < 1e-12).all()
    before = ev.items_for("武侯区", "玉林街道", "2019Q2")
    assert (decompose(before, before)["points"] == 0).all()
