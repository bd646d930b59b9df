"""进行中 at the low and the high end of its range: the shortcut equals scoring again with that value."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metrics_test_data import dataset, item, row

from metrics.config import load_config
from metrics.evaluation import evaluate
from metrics.score import score_streets
from metrics.status_effect import status_effect_summary

STREETS = ("甲街道", "乙街道", "丙街道")
ENTRY = st.one_of(
    st.none(),
    st.sampled_from(["已完成", "进行中", "未开始", "未完成"]).map(lambda s: {"status": s}),
    st.floats(0, 1.2).map(lambda c: {"completion": c}),
    st.tuples(st.integers(1, 10), st.integers(0, 12)).map(lambda ta: {"target": ta[0], "actual": ta[1]}),
)


@settings(max_examples=5, deadline=None)
@given(st.lists(ENTRY, min_size=12, max_size=12), st.lists(st.integers(1, 5), min_size=4, max_size=4))
def test_the_low_and_high_scores_are_the_scores_with_that_value_of_in_progress(entries, weights) -> None:
    items = [item(c, weight=w) for c, w in zip("ABCD", weights, strict=True)]
    perf = [
        row(code, street=street, **entry)
        for (street, code), entry in zip([(s, c) for s in STREETS for c in "ABCD"], entries, strict=True)
        if entry is not None
    ]
    perf += [row("A", street=s, status="进行中") for s in STREETS if not any(p["street"] == s for p in perf)]
    ds = dataset(items, perf, streets=STREETS)
    config = load_config()
    effect = evaluate(ds, config).status_effect.set_index("street")
    for end in ("low", "high"):
        value = config.uncertainty[f"status_{end}"]
        other = dataclasses.replace(config, status=MappingProxyType({**config.status, "进行中": value}))
        again = score_streets(ds, other).set_index("street")
        for street in effect.index:
            assert effect.loc[street, f"overall_{end}"] == pytest.approx(again.loc[street, "overall"], abs=1e-9)


def test_status_only_streets_fall_further_when_in_progress_counts_less() -> None:
    items = [item(c) for c in "ABCD"]
    perf = [row(c, street="甲街道", status="进行中") for c in "ABCD"]  # status only
    perf += [row(c, street="乙街道", completion=0.52) for c in "ABCD"]  # measured, just above 0.5
    ds = dataset(items, perf, streets=("甲街道", "乙街道"))
    effect = evaluate(ds).status_effect.set_index("street")
    assert effect.loc["甲街道", "rank_city"] == 2 and effect.loc["甲街道", "rank_city_low"] == 2
    assert effect.loc["甲街道", "rank_city_high"] == 1  # at 0.7 the status-only street passes the measured one
    summary = status_effect_summary(evaluate(ds).status_effect).set_index("evidence_class")
    assert summary.loc["status", "median_rank_high"] == 1 and summary.loc["measured", "median_rank_high"] == 2
