"""Excel downloads: the formatted workbooks of metrics.export, and plain .xlsx of the tables on screen."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import pandas as pd
from dash import dcc

from dashboard.auth.web import audit
from dashboard.i18n import column, shown, t
from dashboard.tables import ITEM_FIELDS, compare_fields, item_view, peer_header
from metrics import export
from metrics.export.common import sheet_name
from metrics.export.formula import write_table_xlsx

# Characters a file name may not hold on Windows, macOS or Linux (a street named "a/b" must still download).
_BAD_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def file_name(name: str) -> str:
    """name safe as a download's file name: no path separators, wildcards or control characters."""
    return _BAD_FILE_CHARS.sub("_", name).lstrip(".") or "download.xlsx"


def _send(content: bytes, name: str) -> dict:
    # Every export leaves an audit entry with the file it produced.
    name = file_name(name)
    audit("export", name, "ok")
    return dcc.send_bytes(content, name)


def xlsx_bytes(df: pd.DataFrame, sheet: str) -> bytes:
    """df as one sheet of an .xlsx workbook, text written as text (formulas defused), header frozen."""
    buf = io.BytesIO()
    # a street's name may hold / ? * [ ] : which no sheet name may
    write_table_xlsx(df, buf, sheet_name(sheet, set()))
    return buf.getvalue()


def translated(df: pd.DataFrame, columns: Sequence[str], lang: str) -> pd.DataFrame:
    """The chosen columns with translated headers."""
    return df.loc[:, list(columns)].rename(columns={c: column(c, lang) for c in columns})


def compare_xlsx(df: pd.DataFrame, period: str | None, lang: str, peer_of: str | None = None) -> dict:
    """The comparison table on screen as 区县对比_<period>.xlsx; peer_of: its peer median and gap are shown."""
    cols = compare_fields(peer_of)
    peer_cols = ("peer_median", "gap_peers")
    headers = {c: peer_header(c, lang, peer_of) if c in peer_cols else column(c, lang) for c in cols}
    out = shown(df.reindex(columns=cols), lang).rename(columns=headers).round(2)
    name = ("区县对比" if lang == "zh" else "district_comparison") + f"_{period or ''}.xlsx"
    return _send(xlsx_bytes(out, t("compare", lang)), name)


def items_xlsx(items: pd.DataFrame, street: str, period: str, lang: str) -> dict:
    """One street's item table as <street>_<period>_事项.xlsx."""
    cols = list(ITEM_FIELDS)
    out = item_view(items.reindex(columns=cols), lang).rename(columns={"c": "completion"})
    cols[cols.index("c")] = "completion"
    out = translated(out, cols, lang)
    name = f"{street}_{period}_" + ("事项" if lang == "zh" else "items") + ".xlsx"
    return _send(xlsx_bytes(out, street), name)


def ranking_workbook(
    ev: object,
    period: str,
    districts: list[str] | None,
    lang: str,
    bands: pd.DataFrame | None = None,
    kept: bytes | None = None,
) -> dict:
    """排名表 from metrics.export: the city, or the one district chosen; bands: AppData.bands (city ranks).

    kept: the city's workbook as the results process wrote it (AppData.kept_ranking), sent when the city is asked for.
    """
    district = ranking_district(districts)
    name = (
        "排名表" if lang == "zh" else "ranking"
    ) + f"_{district or ('全市' if lang == 'zh' else 'city')}_{period}.xlsx"
    if district is None and kept is not None:
        return _send(kept, name)
    return _send(export.ranking(ev, period, district, lang, bands=bands), name)


def ranking_district(districts: list[str] | None) -> str | None:
    """The district whose ranking is downloaded: the one chosen, else None (the city)."""
    return districts[0] if districts and len(districts) == 1 else None


def comparison_workbook(
    ev: object, districts: list[str], period: str, lang: str, bands: pd.DataFrame | None = None
) -> dict:
    """区县对比 from metrics.export (2–4 districts, native charts); bands: AppData.bands (city ranks)."""
    name = ("区县对比" if lang == "zh" else "district_comparison") + f"_{period}.xlsx"
    return _send(export.district_comparison(ev, districts, period, lang, bands=bands), name)


def scorecard_workbook(
    ev: object, district: str, street: str, period: str, lang: str, bands: pd.DataFrame | None = None
) -> dict:
    """街道考核评分表 from metrics.export, ready to print and sign; bands: AppData.bands (city ranks)."""
    name = f"{street}_{period}_" + ("考核评分表" if lang == "zh" else "scorecard") + ".xlsx"
    return _send(export.street_scorecard(ev, district, street, period, lang, bands=bands), name)


def department_workbook(ev: object, period: str, districts: list[str], lang: str) -> dict:
    """部门评价排名 from metrics.export (issue 15): the one district chosen, or every district the user sees."""
    district = districts[0] if len(districts) == 1 else None
    where = district or ("全部" if lang == "zh" else "all")
    name = ("部门评价排名" if lang == "zh" else "department_ranking") + f"_{where}_{period}.xlsx"
    return _send(export.department_ranking(ev, period, district, lang), name)
