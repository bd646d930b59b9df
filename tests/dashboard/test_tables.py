"""The grid rows of dashboard.tables: the same JSON-ready rows as the plain per-row conversion gives."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dashboard import tables


def per_row(df: pd.DataFrame, columns: list[str]) -> list[dict]:
    """The conversion records() replaced: the whole frame as objects, then row by row."""
    out = df.loc[:, columns].astype(object)
    out = out.where(out.notna().to_numpy(), None)
    return [
        {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()} for row in out.to_dict("records")
    ]


def every_kind(n: int, seed: int) -> pd.DataFrame:
    """n rows of every column kind the Evaluation's frames hold, with missing values in each."""
    rng = np.random.default_rng(seed)
    gaps = rng.random(n) < 0.3
    floats = np.where(gaps, np.nan, rng.normal(50, 20, n))
    ints = rng.integers(-5, 500, n)
    texts = np.array([f"街道{i}" for i in rng.integers(0, 9, n)], dtype=object)
    return pd.DataFrame(
        {
            "f": floats,
            "i": ints,
            "i16": ints.astype("int16"),
            "b": rng.random(n) < 0.5,
            "I": pd.array(np.where(gaps, None, ints), dtype="Int64"),
            "B": pd.array(np.where(gaps, None, rng.random(n) < 0.5), dtype="boolean"),
            "s": pd.array(np.where(gaps, None, texts), dtype="string"),
            "o": np.where(gaps, None, texts),
            "mixed": pd.Series([np.int64(3), np.float64(2.5), "a", None, np.nan] * (n // 5 + 1))[:n].to_numpy(),
            "c": pd.Categorical(np.where(gaps, None, texts)),
            "t": pd.to_datetime(np.where(gaps, None, "2019-03-31")),
        },
        index=rng.permutation(n) + 100,  # not a range: rows follow the frame's order, not its labels
    )


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
@pytest.mark.parametrize("seed", range(5))
def test_records_equal_the_per_row_conversion_for_every_column_kind(seed: int, storage: str):
    if storage == "pyarrow":
        pytest.importorskip("pyarrow")  # the runtime requirements have none; the dev ones do
    with pd.option_context("mode.string_storage", storage):
        df = every_kind(40, seed)
    assert df["s"].dtype.storage == storage
    for columns in (list(df.columns), ["s", "f"], ["mixed"]):
        got, expected = tables.records(df, columns), per_row(df, columns)
        assert got == expected
        for a, b in zip(got, expected, strict=True):
            assert [type(v) for v in a.values()] == [type(v) for v in b.values()]
            assert list(a) == list(b)
    assert json.dumps(tables.records(df.drop(columns="t"), ["f", "i", "B", "s", "mixed"]))  # JSON-ready


def test_records_of_no_rows_or_no_columns():
    df = every_kind(5, 0)
    assert tables.records(df.iloc[0:0], ["f", "s"]) == []
    assert tables.records(df, []) == [{}] * 5
