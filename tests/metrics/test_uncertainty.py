"""Rank uncertainty (Monte Carlo bands) and sensitivity shares: invariants on small built datasets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_test_data import dataset, item, row
from test_properties import datasets

from metrics import evaluate
from metrics.config import FUNCTIONS, load_config
from metrics.sensitivity import SENSITIVITY_COLUMNS, sensitivity, sensitivity_indices, variance_shares
from metrics.uncertainty import (
    BAND_COLUMNS,
    Settings,
    band_text,
    build_matrices,
    for_period,
    not_clearly_different,
    overlap_pairs,
    rank_bands,
    rank_min,
    scenario_scores,
    simulate,
)

SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAST = Settings(n=80)
STATUS_ROWS = [None, "已完成", "进行中", "未开始"]


def _items(n: int, weights: list[float] | None = None) -> list[dict]:
    weights = weights or [1.0 + (i % 3) for i in range(n)]
    return [item(f"A{i:02d}", FUNCTIONS[i % len(FUNCTIONS)], weight=weights[i]) for i in range(n)]


def _street_rows(street: str, values: list[float | str | None]) -> list[dict]:
    """One report row per item: a float is a completion, a string a status, None leaves the item unreported."""
    out = []
    for i, v in enumerate(values):
        if v is None:
            continue
        out.append(row(f"A{i:02d}", street, status=v) if isinstance(v, str) else row(f"A{i:02d}", street, completion=v))
    return out


def _evaluation(streets: dict[str, list]):
    n = len(next(iter(streets.values())))
    perf = [r for name, values in streets.items() for r in _street_rows(name, values)]
    return evaluate(dataset(_items(n), perf, streets=tuple(streets)))


def _band(bands: pd.DataFrame, street: str) -> pd.Series:
    return bands.loc[bands["street"].eq(street).to_numpy(dtype=bool)].iloc[0]


def test_identical_streets_have_identical_bands_that_overlap():
    twin = [0.9, "进行中", 0.4, None, "已完成", 0.7, 0.2, "进行中"]
    ev = _evaluation(
        {
            "甲街道": twin,
            "乙街道": list(twin),
            "丙街道": [0.5, 0.95, "进行中", 1.0, 0.1, None, 0.6, 0.3],
            "丁街道": [0.3, 0.6, 0.8, "未开始", 0.9, 0.5, None, 0.9],
        }
    )
    bands = rank_bands(ev, "2019Q2", FAST)
    a, b = _band(bands, "甲街道"), _band(bands, "乙街道")
    for col in ("rank_city_p05", "rank_city_median", "rank_city_p95", "score_p05", "score_p95"):
        assert a[col] == b[col]
    sim = simulate(ev, "2019Q2", FAST)
    ia, ib = (sim.streets["street"].tolist().index(s) for s in ("甲街道", "乙街道"))
    assert np.array_equal(sim.rank_city[:, ia], sim.rank_city[:, ib])  # tied in every scenario
    pairs = overlap_pairs(bands)
    assert ((pairs["street"] == "甲街道") & (pairs["other_street"] == "乙街道")).any()
    assert a["n_overlap_city"] >= 1


@st.composite
def dominated(draw):
    """A list of items, several streets, and one street strictly better on every item."""
    n_items = draw(st.integers(3, 10))
    n_others = draw(st.integers(1, 5))
    others = [[draw(st.floats(0.0, 0.9)) for _ in range(n_items)] for _ in range(n_others)]
    best = [max(o[i] for o in others) + draw(st.floats(0.05, 0.1)) for i in range(n_items)]
    weights = [draw(st.sampled_from([0.5, 1.0, 2.0, 5.0])) for _ in range(n_items)]
    return weights, best, others


@pytest.mark.slow
@SETTINGS
@given(dominated())
def test_street_better_on_every_item_ranks_strictly_above_all(case):
    weights, best, others = case
    streets = {"优街道": best} | {f"街道{i}": values for i, values in enumerate(others)}
    perf = [r for name, values in streets.items() for r in _street_rows(name, values)]
    ev = evaluate(dataset(_items(len(best), weights), perf, streets=tuple(streets)))
    bands = rank_bands(ev, "2019Q2", Settings(n=40))
    top = _band(bands, "优街道")
    rest = bands.loc[bands["street"].ne("优街道").to_numpy(dtype=bool)]
    assert top["rank_city_p95"] == 1
    assert top["rank_city_p95"] < rest["rank_city_p05"].min()
    assert top["n_overlap_city"] == 0


def test_fixed_seed_gives_identical_bands_and_another_seed_runs():
    ev = _evaluation(
        {
            "甲街道": [0.9, "进行中", 0.4, 0.8, "已完成", 0.7],
            "乙街道": [0.8, 0.5, "进行中", 0.9, 0.85, 0.6],
            "丙街道": ["进行中", 0.7, 0.6, 0.75, 0.8, 0.65],
        }
    )
    first = rank_bands(ev, settings=FAST)
    again = rank_bands(ev, settings=FAST)
    pd.testing.assert_frame_equal(first, again)
    sim_a, sim_b = simulate(ev, "2019Q2", FAST), simulate(ev, "2019Q2", Settings(n=80, seed=1))
    assert not np.array_equal(sim_a.status_value, sim_b.status_value)
    assert list(first.columns) == BAND_COLUMNS


def test_official_scenario_reproduces_official_scores():
    ev = _evaluation(
        {
            "甲街道": [0.9, "进行中", 0.4, None, "已完成", 1.4, 0.2, "未开始"],
            "乙街道": [None, None, 0.5, 0.5, "进行中", 0.3, 0.9, 0.1],
        }
    )
    items = ev.items.loc[ev.items["period"].eq("2019Q2").to_numpy(dtype=bool)]
    m = build_matrices(items, load_config().varied_status)
    got = scenario_scores(m, m.weight[None], np.array([0.5]), np.array([False]))[0]
    official = m.streets.merge(ev.scores_for("2019Q2"), on=["district", "street"], how="left")["overall"]
    np.testing.assert_allclose(got, official.to_numpy(dtype="float64"), rtol=0, atol=1e-9)


def test_leaving_items_unreported_is_never_rewarded_under_the_official_missing_rule():
    full = [0.6, 0.7, 0.8, 0.5, "进行中", 0.9]
    gaps = [0.6, None, 0.8, None, "进行中", 0.9]
    ev = _evaluation({"甲街道": full, "乙街道": gaps})
    sim = simulate(ev, "2019Q2", FAST)
    names = sim.streets["street"].tolist()
    zero = ~sim.missing_mean
    assert zero.any() and sim.missing_mean.any()  # both treatments are drawn
    assert np.all(sim.scores[zero, names.index("乙街道")] <= sim.scores[zero, names.index("甲街道")])
    # the own-mean treatment scores 乙 on its reported items only, which are better than 甲's average
    assert np.all(sim.scores[~zero, names.index("乙街道")] > sim.scores[~zero, names.index("甲街道")])
    official_only = simulate(ev, "2019Q2", Settings(n=80, p_missing_mean=0.0))
    assert not official_only.missing_mean.any()
    bands = rank_bands(ev, "2019Q2", FAST)
    assert _band(bands, "乙街道")["completeness"] < 1.0  # completeness travels with the band


def test_removed_indicators_stay_out_of_every_scenario():
    items = [*_items(4), item("E1", "investment_attraction", weight=50)]
    perf = [*_street_rows("甲街道", [0.5, 0.5, 0.5, 0.5]), row("E1", "甲街道", completion=1.0)]
    perf += _street_rows("乙街道", [0.6, 0.6, 0.6, 0.6])
    ev = evaluate(dataset(items, perf, streets=("甲街道", "乙街道")))
    bands = rank_bands(ev, "2019Q2", FAST)
    assert _band(bands, "乙街道")["rank_city_p95"] == 1  # 招商引资 done in full does not lift 甲街道


@given(st.lists(st.integers(0, 10_000).map(lambda x: x / 100), min_size=1, max_size=8), st.integers(1, 3))
def test_rank_min_matches_pandas(values, n_groups):
    # scores closer than 1e-9 count as tied, so compare on scores written to 2 decimals
    scores = np.array([values, values[::-1]])
    groups = np.arange(len(values)) % n_groups
    got = rank_min(scores, groups)
    for s in range(2):
        expect = pd.Series(scores[s]).groupby(groups).rank(ascending=False, method="min").to_numpy()
        np.testing.assert_array_equal(got[s], expect)


def test_rank_min_leaves_missing_scores_unranked():
    got = rank_min(np.array([[50.0, np.nan, 70.0]]), np.zeros(3, dtype="int64"))
    np.testing.assert_array_equal(got, [[2.0, np.nan, 1.0]])


@SETTINGS
@given(
    st.integers(10, 80),
    st.integers(2, 6),
    st.floats(0, 5),
    st.floats(0, 5),
    st.integers(0, 2**31),
)
def test_variance_shares_are_in_unit_interval_and_sum_at_most_one(n, k, a, b, seed):
    rng = np.random.default_rng(seed)
    f1 = rng.random(n) < 0.5
    f2 = rng.uniform(0.3, 0.7, n)
    y = a * f1[:, None] + b * f2[:, None] * rng.random(k) + rng.normal(size=(n, k))
    shares = variance_shares(y, {"weight_scheme": f1, "status_mapping": f2})
    assert all(0.0 <= v <= 1.0 for v in shares.values())
    assert sum(shares.values()) <= 1.0 + 1e-9


def test_a_factor_that_alone_moves_the_ranks_explains_them():
    rng = np.random.default_rng(3)
    f1 = rng.random(400) < 0.5
    other = rng.random(400) < 0.5
    y = np.where(f1[:, None], [1.0, 2.0], [2.0, 1.0])
    shares = variance_shares(y, {"weight_scheme": f1, "aggregation": other})
    assert shares["weight_scheme"] > 0.99
    assert shares["aggregation"] < 0.01


def test_sensitivity_frame_per_period():
    ev = _evaluation(
        {
            "甲街道": [0.9, "进行中", 0.4, 0.8, "已完成", 0.7],
            "乙街道": [0.8, 0.5, "进行中", 0.9, 0.85, 0.6],
            "丙街道": ["进行中", 0.7, 0.6, 0.75, "进行中", 0.65],
        }
    )
    out = sensitivity(ev, settings=FAST)
    assert list(out.columns) == SENSITIVITY_COLUMNS
    assert set(out["period"]) == set(ev.periods)
    for _, part in out.groupby("period"):
        assert part["share"].between(0, 1).all()
        assert part["share"].sum() <= 1.0 + 1e-9
    assert not out["label_en"].str.contains(r"[\u4e00-\u9fff]").any()  # the English names are English


def test_evaluation_is_not_changed():
    ev = _evaluation({"甲街道": [0.9, "进行中", 0.4], "乙街道": [0.8, 0.5, "进行中"]})
    scores, items = ev.scores.copy(deep=True), ev.items.copy(deep=True)
    rank_bands(ev, settings=FAST)
    sensitivity(ev, settings=FAST)
    pd.testing.assert_frame_equal(scores, ev.scores)
    pd.testing.assert_frame_equal(items, ev.items)


@pytest.mark.parametrize("n_streets", [1, 2])
def test_tiny_periods(n_streets):
    streets = {f"街道{i}": [0.5, 0.6] for i in range(n_streets)}
    bands = rank_bands(_evaluation(streets), settings=FAST)
    assert (bands["rank_city_p05"] == 1).all()
    assert (bands["rank_city_p95"] == 1).all()


def test_for_period_is_cached_per_evaluation():
    ev = _evaluation({"甲街道": [0.9, "进行中", 0.4], "乙街道": [0.8, 0.5, "进行中"]})
    first = for_period(ev, "2019Q2", FAST)
    assert for_period(ev, "2019Q2", FAST) is first
    pd.testing.assert_frame_equal(first.bands, rank_bands(ev, "2019Q2", FAST))
    assert first.sensitivity["share"].between(0, 1).all()
    other = _evaluation({"甲街道": [0.9, "进行中", 0.4], "乙街道": [0.8, 0.5, "进行中"]})
    assert for_period(other, "2019Q2", FAST) is not first


@pytest.mark.slow
@SETTINGS
@given(datasets())
def test_official_scenario_reproduces_official_scores_on_generated_data(ds):
    ev = evaluate(ds)
    for period in ev.periods:
        sent = ev.scores.loc[ev.scores["submitted"].to_numpy(dtype=bool), ["district", "street", "period"]]
        items = ev.items.astype({"district": str, "street": str, "period": str}).merge(sent.astype(str))
        m = build_matrices(
            items.loc[items["period"].eq(period).to_numpy(dtype=bool)], load_config().varied_status
        )  # 未报送: in no scenario
        got = scenario_scores(m, m.weight[None], np.array([ev.config.status["进行中"]]), np.array([False]))[0]
        official = m.streets.merge(ev.scores_for(period), on=["district", "street"], how="left")["overall"]
        np.testing.assert_allclose(got, official.to_numpy(dtype="float64"), rtol=0, atol=1e-9)
        bands = rank_bands(ev, period, Settings(n=20))
        assert set(bands["street"]) == set(ev.scores_for(period).dropna(subset=["overall"])["street"])
        assert (bands["rank_city_p05"] <= bands["rank_city_median"]).all()
        assert (bands["rank_city_median"] <= bands["rank_city_p95"]).all()
        assert (bands["rank_city_p95"] <= bands["n_city"]).all()


def test_overlap_counts_use_the_matching_bands():
    ev = _evaluation(
        {
            "甲街道": [0.9, 0.9, 0.9, 0.9],
            "乙街道": [0.5, "进行中", 0.5, "进行中"],
            "丙街道": ["进行中", 0.5, "进行中", 0.5],
        }
    )
    bands = rank_bands(ev, "2019Q2", FAST)
    assert (bands["n_overlap_district"] <= bands["n_overlap_city"]).all()  # one district: the same bands
    assert (bands["n_overlap_district"] == bands["n_overlap_city"]).all()
    assert _band(bands, "甲街道")["n_overlap_city"] == 0
    assert _band(bands, "乙街道")["n_overlap_city"] == 1


def test_band_text_and_not_clearly_different():
    ev = _evaluation(
        {
            "甲街道": [0.9, 0.9, 0.9, 0.9],
            "乙街道": [0.5, "进行中", 0.5, "进行中"],
            "丙街道": ["进行中", 0.5, "进行中", 0.5],
        }
    )
    bands = rank_bands(ev, "2019Q2", FAST)
    text = dict(zip(bands["street"], band_text(bands), strict=True))
    assert text["甲街道"] == "1"
    lo, hi = _band(bands, "乙街道")[["rank_city_p05", "rank_city_p95"]]
    assert text["乙街道"] == (f"{lo}–{hi}" if lo != hi else f"{lo}")
    assert not_clearly_different(bands, "武侯区", "甲街道").empty
    assert not_clearly_different(bands, "武侯区", "乙街道")["street"].tolist() == ["丙街道"]
    assert not_clearly_different(bands, "武侯区", "无此街道").empty


def test_sensitivity_indices_first_and_total_order_with_intervals():
    rng = np.random.default_rng(5)
    n = 400
    a = rng.random(n) < 0.5
    b = rng.random(n) < 0.5
    a2, b2 = rng.random(n) < 0.5, rng.random(n) < 0.5

    def model(x, z):  # ranks of two streets: x swaps them, z only through the interaction with x
        return np.where((x & z)[:, None], [1.0, 2.0], [2.0, 1.0])

    y = model(a, b)
    out = sensitivity_indices(y, {"a": a, "b": b}, {"a": model(a2, b), "b": model(a, b2)}, bootstrap=100)
    got = out.set_index("factor")
    assert ((got[["first_order", "total_order"]] >= 0) & (got[["first_order", "total_order"]] <= 1)).all().all()
    assert got.loc["a", "total_order"] > got.loc["a", "first_order"]  # a acts partly through the interaction
    for kind in ("first", "total"):
        assert (got[f"{kind}_low"] <= got[f"{kind}_order"] + 1e-9).all()
        assert (got[f"{kind}_order"] <= got[f"{kind}_high"] + 1e-9).all()
    none = sensitivity_indices(y, {"c": rng.random(n) < 0.5}, {"c": y}, bootstrap=50).iloc[0]
    assert none["total_order"] == 0.0 and none["first_order"] < 0.02


def test_sensitivity_names_the_missing_data_treatment_with_its_share():
    ev = _evaluation(
        {
            "甲街道": [0.9, None, None, 0.95, "已完成", 0.9],
            "乙街道": [0.8, 0.7, 0.75, 0.8, 0.85, 0.8],
            "丙街道": ["进行中", 0.7, 0.6, 0.75, "进行中", 0.65],
        }
    )
    out = sensitivity(ev, "2019Q2", Settings(n=200, bootstrap=50)).set_index("factor")
    assert "missing_treatment" in out.index
    assert out.loc["missing_treatment", "first_order"] > 0.3  # 甲 leads only when its gaps count at its own mean
    assert out.loc["missing_treatment", "total_order"] >= out.loc["missing_treatment", "first_order"] - 0.05
    assert np.isnan(out.loc["weight_noise", "first_order"]) and out.loc["weight_noise", "total_order"] >= 0
    assert abs(out["share"].sum() - 1.0) < 1e-9
