"""The 口径对比 sheet of the comparison export: each street's city rank under the official, common-core and
within-district standardised views, with the shifts (metrics.views), and the core's coverage of each list."""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.workbook import Workbook

from metrics.common_core import coverage_text
from metrics.evaluation import Evaluation
from metrics.export import common as c

SHEET = {"zh": "口径对比", "en": "Views"}
HEADS = {
    "zh": (
        "区(市)县",
        "街道(镇)",
        "官方得分",
        "官方排名",
        "共同核心得分",
        "共同核心排名",
        "变动",
        "区内百分位",
        "标准化排名",
        "变动",
    ),
    "en": (
        "District",
        "Street",
        "Official score",
        "Official rank",
        "Common-core score",
        "Common-core rank",
        "Shift",
        "Percentile in district",
        "Standardised rank",
        "Shift",
    ),
}
COLUMNS = (
    ("district", "td"),
    ("street", "td"),
    ("overall", "td_score"),
    ("rank_city", "td_int"),
    ("overall_core", "td_score"),
    ("rank_city_core", "td_int"),
    ("shift_core", "td_int"),
    ("percentile_district", "td_score"),
    ("rank_city_z", "td_int"),
    ("shift_z", "td_int"),
)
NOTE = {
    "zh": "变动 = 官方排名 − 该口径排名（正数：换成该口径后名次上升）。"
    "共同核心：各区清单中相同的事项（data/common_core.csv）；共同核心占清单权重：{shares}。",
    "en": "Shift = official rank − rank in that view (positive: the street moves up). Common core: the items every "
    "district's list shares (data/common_core.csv); its share of each list's weight: {shares}.",
}


def add_sheet(
    wb: Workbook, styles: c.Styles, ev: Evaluation, period: str, districts: Sequence[str], lang: str, taken: set[str]
) -> None:
    """Add the 口径对比 sheet (named apart from the taken names) for the period's streets of districts, best
    official rank first."""
    v = ev.views
    rows = v[v["period"].eq(period).to_numpy(dtype=bool) & v["district"].isin(list(districts)).to_numpy(dtype=bool)]
    rows = rows.sort_values(["rank_city", "district", "street"])
    ws = wb.add_worksheet(c.sheet_name(SHEET[lang], taken))
    ws.set_column(0, 1, 16)
    ws.set_column(2, len(COLUMNS) - 1, 12)
    shares = coverage_text(ev.core_coverage, districts, period, sep=", ")
    c.merge_text(ws, 0, 0, len(COLUMNS) - 1, f"{SHEET[lang]} · {period}", styles, "title")
    c.merge_text(ws, 1, 0, len(COLUMNS) - 1, NOTE[lang].format(shares=shares or "—"), styles, "note")
    for col, head in enumerate(HEADS[lang]):
        c.write_text(ws, 3, col, head, styles, "th")
    for r, (_, row) in enumerate(rows.iterrows(), start=4):
        for col, (key, kind) in enumerate(COLUMNS):
            write = c.write_text if kind == "td" else c.write_number
            write(ws, r, col, row[key], styles, kind)
    ws.freeze_panes(4, 2)
