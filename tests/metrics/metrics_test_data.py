"""Build canonical Datasets for metric tests straight from rows (schema.Table.conform), with test defaults."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from loaders.schema import LIST_ITEMS, PERFORMANCE, REGISTER, SERVICE, UNLISTED, Dataset
from metrics.config import FUNCTIONS

D = "武侯区"
SCORE_COLS = ["overall", *FUNCTIONS]


def _frame(table, rows: Iterable[dict], defaults: dict) -> pd.DataFrame:
    rows = [defaults | r for r in rows]
    if not rows:
        return table.empty()
    return table.conform(pd.DataFrame(rows))


def item(code: str, function: str = "public_services", name: str | None = None, weight=None, **kw) -> dict:
    """One list item (duty list of 武侯区 2019 unless given)."""
    return {"item_code": code, "function": function, "item_name": name or f"事项{code}", "weight": weight, **kw}


def row(code: str, street: str = "玉林街道", period: str = "2019Q2", **kw) -> dict:
    """One performance report row."""
    return {"street": street, "period": period, "item_code": code, **kw}


def dataset(
    items: Iterable[dict] = (),
    perf: Iterable[dict] = (),
    streets: Iterable[str] = ("玉林街道",),
    service: Iterable[dict] = (),
    unlisted: Iterable[dict] = (),
    register: Iterable[dict] | None = None,
) -> Dataset:
    """A Dataset of one district (武侯区) unless rows say otherwise."""
    reg_rows = register if register is not None else [{"street": s, "street_type": "城区街道"} for s in streets]
    return Dataset(
        register=_frame(REGISTER, reg_rows, {"district": D}),
        list_items=_frame(LIST_ITEMS, items, {"district": D, "year": 2019, "list_type": "duty"}),
        performance=_frame(PERFORMANCE, perf, {"district": D}),
        service=_frame(SERVICE, service, {"district": D}),
        unlisted=_frame(UNLISTED, unlisted, {"district": D, "task_name": "临时任务"}),
    )


def one(scores: pd.DataFrame, street: str = "玉林街道", period: str = "2019Q2") -> pd.Series:
    """The score row of one street and period (exactly one must exist)."""
    hit = scores.loc[
        scores["street"].eq(street).to_numpy(dtype=bool) & scores["period"].eq(period).to_numpy(dtype=bool)
    ]
    assert len(hit) == 1, f"expected one row for {street} {period}, got {len(hit)}"
    return hit.iloc[0]


def close(a: float, b: float) -> bool:
    """Equal to 1e-9, NaN equal to NaN."""
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return abs(a - b) < 1e-9


def same_scores(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """The two score frames hold exactly the same scores for the same keys (NaN = NaN)."""
    key = ["district", "street", "period"]
    left = a.set_index(key)[SCORE_COLS].sort_index()
    right = b.set_index(key)[SCORE_COLS].sort_index()
    if not left.index.equals(right.index):
        return False
    x, y = left.to_numpy(dtype="float64"), right.to_numpy(dtype="float64")
    return bool(np.array_equal(x, y, equal_nan=True))
