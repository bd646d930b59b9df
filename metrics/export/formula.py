"""The one guard against formula injection for every workbook and CSV the project writes."""

from __future__ import annotations

import pandas as pd

from metrics.formula_guard import FORMULA_START as FORMULA_START  # the guard itself: metrics/formula_guard.py
from metrics.formula_guard import defuse as defuse
from metrics.formula_guard import needs_quote as needs_quote

# xlsxwriter otherwise turns "=…" strings into formulas, "123" into numbers and "https://…" into live links.
PLAIN_XLSX = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def defused(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of df whose text cells and headers are defused, whatever the column's dtype (object, str, string,
    category): pandas 3 reads text as StringDtype, which a test on `dtype == object` alone would miss."""
    out = df.rename(columns=defuse)
    for i, dtype in enumerate(out.dtypes):
        if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype):
            continue
        if isinstance(dtype, pd.BooleanDtype) or pd.api.types.is_bool_dtype(dtype):
            continue
        col = out.iloc[:, i]
        out.isetitem(i, col.astype(object).map(defuse).where(col.notna(), None))
    return out


def write_table_xlsx(df: pd.DataFrame, target: object, sheet: str, freeze: tuple[int, int] = (1, 0)) -> None:
    """df as a plain one-sheet .xlsx at target (a path or buffer): text defused and written as text, header frozen.

    Every table the project writes as a workbook goes through here (downloads, `metrics score`, 催报名单), so
    none can forget the guard; the formatted exports write cell by cell through metrics.export.common.
    """
    out = defused(df)
    for col in out.columns:  # xlsxwriter writes no pd.NA: nullable booleans as plain values or empty cells
        if isinstance(out[col].dtype, pd.BooleanDtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    with pd.ExcelWriter(target, engine="xlsxwriter", engine_kwargs={"options": PLAIN_XLSX}) as xw:
        out.to_excel(xw, sheet_name=sheet, index=False, freeze_panes=freeze)
        ws = xw.sheets[sheet]
        for i, c in enumerate(out.columns):
            ws.set_column(i, i, max(8, min(40, len(str(c)) * 2 + 2)))
