"""Nearest-context peers: never the street itself, same type first, nearest by standardised context."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_test_data import dataset, item, row

from metrics import evaluate
from metrics.peers import (
    CONTEXT_COLUMNS,
    GAP_SCORES,
    PEER_COLUMNS,
    PEER_GAP_COLUMNS,
    PEER_SCORE_COLUMNS,
    _standardised,
    context,
    distances,
    gaps_from_scores,
    nearest_peers,
    peer_gaps,
    peer_scores,
    peers_from_context,
)
from metrics.uncertainty import Settings, rank_bands

TYPES = ["城区街道", "涉农街道", "镇", None]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def contexts(draw, sparse: bool = False) -> pd.DataFrame:
    """A period's context; sparse: population may be missing too, so some pairs share no feature."""
    n = draw(st.integers(2, 25))
    maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731
    population = [draw(maybe(st.integers(1_000, 200_000)) if sparse else st.integers(1_000, 200_000)) for _ in range(n)]
    return pd.DataFrame(
        {
            "district": [f"区{draw(st.integers(0, 2))}" for _ in range(n)],
            "street": [f"街道{i}" for i in range(n)],
            "period": "2019Q2",
            "street_type": pd.array([draw(st.sampled_from(TYPES)) for _ in range(n)], dtype="string"),
            # population always known (as items_listed was): every pair has a feature in common
            "population": pd.array(population, dtype="Int64"),
            "area": [draw(maybe(st.floats(1, 150))) for _ in range(n)],
            "communities": [draw(maybe(st.integers(3, 30))) for _ in range(n)],
            "agri_share": [draw(maybe(st.floats(0, 0.8))) for _ in range(n)],
            "firms": [draw(maybe(st.integers(100, 20_000))) for _ in range(n)],
            "cases": [draw(maybe(st.floats(0, 5_000))) for _ in range(n)],
        }
    )[CONTEXT_COLUMNS]


@SETTINGS
@given(contexts(), st.integers(5, 10))
def test_peers_exclude_self_and_prefer_same_type(ctx, k):
    peers = peers_from_context(ctx, k)
    assert list(peers.columns) == PEER_COLUMNS
    assert not (peers["street"] == peers["peer_street"]).any()
    types = dict(zip(ctx["street"], ctx["street_type"].astype(object), strict=True))
    for street, part in peers.groupby("street"):
        assert len(part) <= min(k, len(ctx) - 1)
        assert part["peer_rank"].tolist() == list(range(1, len(part) + 1))
        same = part["same_type"].to_numpy(dtype=bool)
        assert not np.any(same[1:] & ~same[:-1])  # same type first, never after a different one
        mine = types[street]
        if mine is not None and not pd.isna(mine):
            n_same = sum(1 for s, t in types.items() if s != street and t is not None and not pd.isna(t) and t == mine)
            assert same.sum() == min(n_same, len(part))
        for flag, block in part.groupby("same_type"):
            assert block["distance"].is_monotonic_increasing, flag


def all_pairs_peers(ctx: pd.DataFrame, k: int, among: np.ndarray | None = None) -> pd.DataFrame:
    """The plain definition: every pair's distance, each row sorted (itself last, same type first, nearest,
    register order), pairs without a common feature and outside `among` dropped, then the first k."""
    z = _standardised(ctx)
    dist = distances(z)
    types = ctx["street_type"].astype("string").to_numpy(dtype=object, na_value=None)
    known = np.array([t is not None for t in types])
    same = (types[:, None] == types[None, :]) & known[:, None] & known[None, :]
    n = len(ctx)
    order = np.lexsort((dist, ~same, np.eye(n, dtype=bool)), axis=1)
    inside = np.ones(n, dtype=bool) if among is None else among
    out = []
    for a in np.flatnonzero(inside):
        mine = [b for b in order[a] if b != a and inside[b] and np.isfinite(dist[a, b])][:k]
        out += [
            (ctx["street"].iloc[a], r + 1, ctx["street"].iloc[b], dist[a, b], same[a, b]) for r, b in enumerate(mine)
        ]
    return pd.DataFrame(out, columns=["street", "peer_rank", "peer_street", "distance", "same_type"])


@SETTINGS
@given(contexts(sparse=True), st.integers(1, 30), st.data())
def test_the_block_search_equals_sorting_every_pair(ctx, k, data):
    among = np.array(data.draw(st.lists(st.booleans(), min_size=len(ctx), max_size=len(ctx))))
    for mask in (None, among):
        got = peers_from_context(ctx, k, mask)[["street", "peer_rank", "peer_street", "distance", "same_type"]]
        want = all_pairs_peers(ctx, k, mask)
        if mask is not None and mask.sum() < 2:
            assert got.empty
            continue
        assert got["street"].tolist() == want["street"].tolist()
        assert got["peer_street"].tolist() == want["peer_street"].tolist()
        assert got["peer_rank"].tolist() == want["peer_rank"].tolist()
        assert got["same_type"].astype(bool).tolist() == want["same_type"].astype(bool).tolist()
        assert np.array_equal(got["distance"].to_numpy(dtype=float), want["distance"].to_numpy(dtype=float))


def test_ties_keep_register_order_across_blocks(monkeypatch):
    import metrics.peers as peers_module

    n = 40
    ctx = pd.DataFrame(
        {
            "district": "区",
            "street": [f"街道{i}" for i in range(n)],
            "period": "2019Q2",
            "street_type": pd.array(["镇"] * n, dtype="string"),
            "population": pd.array([30_000 + 1_000 * (i % 3) for i in range(n)], dtype="Int64"),
        }
    ).reindex(columns=CONTEXT_COLUMNS)
    whole = peers_from_context(ctx, 8)
    monkeypatch.setattr(peers_module, "BLOCK_CELLS", 1)  # one street a block
    assert peers_from_context(ctx, 8).equals(whole)
    assert whole.equals(
        whole.assign(**all_pairs_peers(ctx, 8)[["peer_rank", "peer_street", "distance"]].reset_index(drop=True))
    )


def test_nearest_by_context_within_type():
    ctx = pd.DataFrame(
        {
            "district": "区",
            "street": ["甲", "乙", "丙", "丁", "戊"],
            "period": "2019Q2",
            "street_type": pd.array(["镇", "镇", "镇", "镇", "城区街道"], dtype="string"),
            "population": pd.array([30_000, 31_000, 90_000, 29_000, 30_000], dtype="Int64"),
            "items_listed": [100, 100, 100, 100, 100],
            "cases": [500.0, 520.0, 3000.0, np.nan, 500.0],
        }
    )
    peers = peers_from_context(ctx, 5)
    mine = peers.loc[peers["street"].eq("甲").to_numpy(dtype=bool)]
    assert mine["peer_street"].tolist() == ["乙", "丁", "丙", "戊"]  # 戊 matches exactly, but is not a 镇
    assert mine["distance"].iloc[-1] == 0.0


def test_through_an_evaluation_with_peer_scores_and_bands():
    streets = [f"{i}号街道" for i in range(7)]
    register = [
        {"street": s, "street_type": "镇" if i % 2 else "城区街道", "population": 20_000 + 5_000 * i}
        for i, s in enumerate(streets)
    ]
    items = [item(f"A{i}", weight=1 + i) for i in range(4)]
    perf = [row(f"A{i}", s, completion=(j + i) / 12) for j, s in enumerate(streets) for i in range(4)]
    service = [{"street": s, "period": "2019Q2", "cases": 100 * (j + 1)} for j, s in enumerate(streets)]
    ds = dataset(items, perf, streets=streets, service=service, register=register)
    ev = evaluate(ds)
    ctx = context(ev, ds.register, "2019Q2")
    assert len(ctx) == 7 and ctx["population"].notna().all()
    peers = nearest_peers(ev, ds.register, k=5)
    assert len(peers) == 7 * 5
    bands = rank_bands(ev, settings=Settings(n=40))
    group = peer_scores(ev, peers, "武侯区", "0号街道", "2019Q2", bands)
    assert list(group.columns[: len(PEER_SCORE_COLUMNS)]) == PEER_SCORE_COLUMNS
    assert group["is_self"].tolist() == [True] + [False] * 5
    assert group["street"].iloc[0] == "0号街道"
    assert group["street_type"].iloc[1:4].eq("城区街道").all()  # the 3 other 城区街道 come first
    assert group["overall"].notna().all() and group["rank_city_p05"].notna().all()


def score_frame(values: dict[str, float], period: str = "2019Q2") -> pd.DataFrame:
    """Score rows of one district, each street's overall and five function scores equal to its value."""
    streets = list(values)
    frame = pd.DataFrame(
        {
            "district": pd.array(["区"] * len(streets), dtype="string"),
            "street": pd.array(streets, dtype="string"),
            "period": period,
        }
    )
    for s in GAP_SCORES:
        frame[s] = [values[x] for x in streets]
    return frame


def all_peers(streets: list[str], period: str = "2019Q2") -> pd.DataFrame:
    """Every other street as a peer of each street."""
    pairs = [(a, b) for a in streets for b in streets if a != b]
    return pd.DataFrame(
        {
            "district": "区",
            "street": [a for a, _ in pairs],
            "period": period,
            "peer_rank": 1,
            "peer_district": "区",
            "peer_street": [b for _, b in pairs],
            "distance": 0.0,
            "same_type": True,
        }
    )[PEER_COLUMNS]


def test_identical_streets_have_no_gap_to_their_peers():
    values = dict.fromkeys(["甲", "乙", "丙", "丁"], 71.5)
    gaps = gaps_from_scores(score_frame(values), all_peers(list(values)), "2019Q2")
    assert list(gaps.columns) == PEER_GAP_COLUMNS
    assert gaps["n_peers"].eq(3).all()
    for s in GAP_SCORES:
        assert gaps[f"gap_{s}"].eq(0.0).all() and gaps[f"peer_median_{s}"].eq(71.5).all()


def test_a_street_better_than_all_its_peers_on_every_item_has_a_positive_gap():
    streets = [f"{i}号街道" for i in range(6)]
    items = [item(f"A{i}", function=f, weight=1 + i) for i, f in enumerate(GAP_SCORES[1:] * 2)]
    # 0号 completes every item fully; the others 20–60 %
    perf = [
        row(it["item_code"], s, completion=1.0 if j == 0 else 0.2 + 0.1 * (j - 1))
        for j, s in enumerate(streets)
        for it in items
    ]
    register = [{"street": s, "street_type": "镇", "population": 30_000 + 1_000 * j} for j, s in enumerate(streets)]
    ds = dataset(items, perf, streets=streets, register=register)
    ev = evaluate(ds)
    peers = nearest_peers(ev, ds.register, "2019Q2", k=5)
    gaps = peer_gaps(ev, peers, "2019Q2").set_index("street")
    best = gaps.loc["0号街道"]
    assert best["n_peers"] == 5
    assert all(best[f"gap_{s}"] > 0 for s in GAP_SCORES)
    scores = ev.scores_for("2019Q2").set_index("street")
    assert best["gap_overall"] == pytest.approx(100.0 - scores.drop(index="0号街道")["overall"].median())
    assert (gaps.drop(index="0号街道")["gap_overall"] < best["gap_overall"]).all()


def test_no_peers_leaves_the_gap_unknown_not_zero():
    values = {"甲": 80.0, "乙": 60.0, "丙": np.nan}
    scores = score_frame(values)
    gaps = gaps_from_scores(scores, pd.DataFrame(columns=PEER_COLUMNS), "2019Q2")
    assert gaps["street"].tolist() == ["甲", "乙"]  # unscored streets have no row
    assert gaps["n_peers"].eq(0).all() and gaps["gap_overall"].isna().all()
    # a peer with no score is no peer; a street whose only peer is unscored has none either
    gaps = gaps_from_scores(scores, all_peers(["甲", "丙"]), "2019Q2").set_index("street")
    assert gaps.loc["甲", "n_peers"] == 0 and np.isnan(gaps.loc["甲", "gap_overall"])
    assert gaps_from_scores(scores, all_peers(list(values)), "2020Q1").empty  # another period


@st.composite
def scored_peers(draw) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = draw(st.integers(1, 12))
    values = {f"街道{i}": draw(st.floats(0, 100)) for i in range(n)}
    scores = score_frame(values)
    for s in GAP_SCORES[1:]:  # function scores may be missing (no item of that function)
        scores[s] = [draw(st.one_of(st.none(), st.floats(0, 100))) for _ in range(n)]
    scores[GAP_SCORES[1:]] = scores[GAP_SCORES[1:]].astype("float64")
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40, unique=True))
    links = pd.DataFrame(
        {
            "district": "区",
            "street": [f"街道{a}" for a, b in pairs if a != b],
            "period": "2019Q2",
            "peer_rank": 1,
            "peer_district": "区",
            "peer_street": [f"街道{b}" for a, b in pairs if a != b],
            "distance": 0.0,
            "same_type": True,
        },
        columns=PEER_COLUMNS,
    )
    return scores, links


@SETTINGS
@given(scored_peers(), st.floats(-50, 50))
def test_gap_is_the_score_minus_the_median_of_the_peers_scores(data, shift):
    scores, links = data
    gaps = gaps_from_scores(scores, links, "2019Q2").set_index("street")
    by_street = scores.set_index("street")
    for street, mine in by_street.iterrows():
        theirs = by_street.loc[links.loc[links["street"].eq(street), "peer_street"]]
        assert gaps.loc[street, "n_peers"] == len(theirs)
        for s in GAP_SCORES:
            known = theirs[s].dropna()
            if known.empty or np.isnan(mine[s]):
                assert np.isnan(gaps.loc[street, f"gap_{s}"])
                continue
            assert gaps.loc[street, f"peer_median_{s}"] == pytest.approx(float(np.median(known)))
            assert known.min() - 1e-9 <= gaps.loc[street, f"peer_median_{s}"] <= known.max() + 1e-9
            assert gaps.loc[street, f"gap_{s}"] == pytest.approx(mine[s] - np.median(known))
    # shifting every score by the same amount leaves every gap as it was
    moved = gaps_from_scores(scores.assign(**{s: scores[s] + shift for s in GAP_SCORES}), links, "2019Q2")
    gap_cols = [f"gap_{s}" for s in GAP_SCORES]
    assert np.allclose(
        moved[gap_cols].to_numpy(dtype="float64"),
        gaps.reset_index()[gap_cols].to_numpy(dtype="float64"),
        equal_nan=True,
        atol=1e-9,
    )
