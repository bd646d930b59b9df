"""Rounding and serialising frames for output (CSV, JSON, xlsx): scores to 2 decimals, rates to 4, on output only."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from metrics.export.formula import defused, write_table_xlsx
from metrics.output_plain import decimals  # the rounding rule: metrics/output_plain.py


def rounded(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with score-like columns rounded to 2 decimals and other float columns (rates) to 4."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col].dtype):
            out[col] = out[col].round(decimals(col))
    return out


def _plain(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def to_records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values (NaN/NA → None), rounded, keys in column order."""
    out = rounded(df).astype(object)
    return [{k: _plain(v) for k, v in zip(out.columns, row, strict=True)} for row in out.itertuples(index=False)]


def to_json(df: pd.DataFrame) -> str:
    """JSON array of rows (UTF-8 text, Chinese kept readable)."""
    return json.dumps(to_records(df), ensure_ascii=False, indent=1)


def to_csv(df: pd.DataFrame) -> str:
    """CSV text, rounded; empty cells for missing values; text that would start a formula defused."""
    buf = io.StringIO()
    defused(rounded(df)).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def write_xlsx(df: pd.DataFrame, path: str | Path, sheet: str = "街道得分") -> None:
    """A plain one-sheet workbook, rounded (printable scorecards are metrics/export*)."""
    write_table_xlsx(rounded(df), path, sheet, freeze=(1, 3))
