"""Nearest-context peers: never the street itself, same type first, nearest by standardised context."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_test_data import dataset, item, row

from metrics import evaluate
from metrics.peers import (
    CONTEXT_COLUMNS,
    PEER_COLUMNS,
    PEER_SCORE_COLUMNS,
    context,
    nearest_peers,
    peer_scores,
    peers_from_context,
)
from metrics.uncertainty import Settings, rank_bands

TYPES = ["城区街道", "涉农街道", "镇", None]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def contexts(draw) -> pd.DataFrame:
    n = draw(st.integers(2, 25))
    maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731
    return pd.DataFrame(
        {
            "district": [f"区{draw(st.integers(0, 2))}" for _ in range(n)],
            "street": [f"街道{i}" for i in range(n)],
            "period": "2019Q2",
            "street_type": pd.array([draw(st.sampled_from(TYPES)) for _ in range(n)], dtype="string"),
            "population": pd.array([draw(maybe(st.integers(1_000, 200_000))) for _ in range(n)], dtype="Int64"),
            "items_listed": [draw(st.integers(50, 160)) for _ in range(n)],
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
