"""The CSV written from a kept frame's buffers without pandas (output_plain.frame_csv) is to_csv's, byte for byte."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_test_data import dataset, item, row

from metrics.evaluation import evaluate
from metrics.frames_codec import encode_frame
from metrics.output import to_csv
from metrics.output_plain import SCORE_LIKE, frame_csv

TEXT = st.one_of(
    st.none(),
    st.sampled_from(
        ["武侯区", "玉林街道", "", " ", "=SUM(A1)", "+1", "-2", "@x", '含"引号"', "a,b", "一\n二", "\t制表", "'"]
    ),
    st.text(max_size=6),
)
FLOAT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-200, max_value=200),
    st.sampled_from([0.125, 0.005, 2.675, -0.0, 1e-05, 1e16, 85.335, 99.995, 0.00005]),
)


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    """Frames of the column kinds frame_csv writes, named as score-like (2 decimals) and rate (4) columns."""
    n = draw(st.integers(0, 8))
    column = st.lists
    data = {
        "district": pd.array(
            draw(column(st.sampled_from(["武侯区", "=区", None]), min_size=n, max_size=n)), dtype="string"
        ),
        "period": pd.array(draw(column(st.sampled_from(["2019Q1", "2019Q2"]), min_size=n, max_size=n)), dtype="str"),
        "street": np.array(draw(column(TEXT, min_size=n, max_size=n)), dtype=object),
        "overall": np.array(draw(column(FLOAT, min_size=n, max_size=n)), dtype="float64"),
        "on_time_rate": np.array(draw(column(FLOAT, min_size=n, max_size=n)), dtype="float64"),
        "items_listed": np.array(draw(column(st.integers(-(2**63), 2**63 - 1), min_size=n, max_size=n)), dtype="int64"),
        "n_small": np.array(draw(column(st.integers(0, 255), min_size=n, max_size=n)), dtype="uint8"),
        "submitted": np.array(draw(column(st.booleans(), min_size=n, max_size=n)), dtype=bool),
        "rank_city": pd.array(
            draw(column(st.one_of(st.none(), st.integers(1, 300)), min_size=n, max_size=n)), dtype="Int64"
        ),
        "flag": pd.array(draw(column(st.one_of(st.none(), st.booleans()), min_size=n, max_size=n)), dtype="boolean"),
        "=header": np.zeros(n, dtype="int64"),
    }
    return pd.DataFrame(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    frames(),
    st.sampled_from([{}, {"period": "2019Q2"}, {"district": "武侯区", "period": "2019Q1"}, {"district": "无"}]),
)
def test_frame_csv_writes_what_to_csv_writes(df: pd.DataFrame, where: dict[str, str]):
    assert "overall" in SCORE_LIKE and "on_time_rate" not in SCORE_LIKE  # both roundings are exercised
    chosen = np.ones(len(df), dtype=bool)
    for name, value in where.items():
        chosen &= df[name].eq(value).to_numpy(dtype=bool, na_value=False)
    text, rows = frame_csv(encode_frame(df), where)
    assert rows == int(chosen.sum())
    assert text == to_csv(df.loc[chosen])


def test_frame_csv_writes_the_scores_of_an_evaluation_as_to_csv_does():
    items = [item(f"A{i}", function=f) for i, f in enumerate(["public_services", "community_safety"])]
    perf = [
        row(f"A{i}", street=s, period=p, completion=0.3 + 0.17 * i + 0.011 * j)
        for j, s in enumerate(("玉林街道", "簇桥街道", "红牌楼街道"))
        for p in ("2019Q1", "2019Q2")
        for i in range(2)
    ]
    scores = evaluate(dataset(items, perf, streets=("玉林街道", "簇桥街道", "红牌楼街道"))).scores
    assert frame_csv(encode_frame(scores))[0] == to_csv(scores)
    for period in ("2019Q1", "2019Q2"):
        chosen = scores.loc[scores["period"].eq(period).to_numpy(dtype=bool, na_value=False)]
        assert frame_csv(encode_frame(scores), {"period": period})[0] == to_csv(chosen)


@pytest.mark.parametrize(
    "column",
    [
        pd.array([1.5, None], dtype="Float64"),
        pd.Categorical(["a", "b"]),
        pd.to_datetime(["2019-01-02", None]),
        np.array(["x", 2], dtype=object),
        np.array([1.5, 2.5], dtype="float32"),
    ],
)
def test_frame_csv_declines_the_kinds_it_does_not_write(column):
    assert frame_csv(encode_frame(pd.DataFrame({"overall": [1.0, 2.0], "other": column}))) is None
