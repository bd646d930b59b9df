"""The 机构设置 sheet of the street scorecard export (issue 15 point 4): the street's 5+X verdict, its offices with
staff and workload, and the list items no office of it carries, as the scorecard page shows them."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.workbook import Workbook

from metrics.evaluation import Evaluation
from metrics.export import common as c
from metrics.labels import FIELD_LABELS, labelled
from metrics.office_labels import OFFICE_TABLE, UNMATCHED_TABLE, caption, code_label, verdict_text

SHEET = {"zh": "机构设置", "en": "Offices"}
KINDS = {
    "office": "text",
    "office_category": "text",
    "item_weight": "num",
    "list_type": "text",
    "item_code": "text",
    "item_name": "text",
    "office_named": "text",
    "office_reason": "text",
}
UNMATCHED = {"zh": "没有对应科室的清单事项（{n} 项）", "en": "List items without an office ({n})"}
NOTE = {
    "zh": "清单事项按责任科室归到科室（五个基本科室认简称，如 综合办），取 {year} 年的三张清单；清单外事项按承办科室"
    "归到科室。5+X：五个基本科室齐全，X 科室个数在规则文件 [offices] 的范围内；"
    "便民服务中心、综合执法队等直属单位不计入 X。",
    "en": "List items are counted to the office their 责任科室 names (the five standard offices also by short forms), "
    "from the {year} lists; unlisted tasks to the office their 承办科室 names. 5+X: all five standard offices and an "
    "X count within the rules file's [offices] range; centres and teams are not X offices.",
}


def _caption(key: str, lang: str) -> str:
    """A column's caption: the shared field names (item code, item name) from metrics.labels, the rest 机构设置's."""
    return c.pick(lang, FIELD_LABELS[key]) if key in ("item_code", "item_name") else caption(key, lang)


def _printed(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """df with its coded values printed in lang."""
    out = df.copy()
    for col in ("office_category", "office_reason"):
        if col in out.columns:
            out[col] = [code_label(col, v, lang) for v in out[col].astype(object)]
    if "list_type" in out.columns:
        out["list_type"] = labelled("list_type", out["list_type"], lang)
    return out


def _of(frame: pd.DataFrame, district: str, street: str) -> pd.DataFrame:
    return frame.loc[(frame["district"].eq(district) & frame["street"].eq(street)).fillna(False).to_numpy(dtype=bool)]


def add_sheet(
    wb: Workbook, styles: c.Styles, ev: Evaluation, district: str, street: str, lang: str, taken: set[str]
) -> bool:
    """Add the street's 机构设置 sheet; False (no sheet) when its district sent none or did not list the street."""
    model = _of(ev.office_model, district, street)
    if model.empty or model.iloc[0]["office_verdict"] == "not_reported":
        return False
    row = model.iloc[0]
    width = len(OFFICE_TABLE)
    ws = wb.add_worksheet(c.sheet_name(SHEET[lang], taken))
    c.set_widths(ws, [18, 14, 10, 10, 10, 12, 12])
    ws.set_row(0, 24)
    c.merge_text(ws, 0, 0, width - 1, f"{SHEET[lang]} · {street}", styles, "title")
    c.merge_text(ws, 1, 0, width - 1, district, styles, "subtitle")
    ws.set_row(2, 30)
    c.merge_text(ws, 2, 0, width - 1, verdict_text(row, ev.config.office_x, lang), styles, "note")
    offices = _printed(_of(ev.offices, district, street), lang)
    next_row = c.write_kind_table(ws, styles, 4, offices, OFFICE_TABLE, _caption, KINDS, lang)
    flagged = _printed(_of(ev.office_items, district, street), lang)
    c.merge_text(ws, next_row, 0, width - 1, UNMATCHED[lang].format(n=len(flagged)), styles, "subtitle")
    next_row = c.write_kind_table(ws, styles, next_row + 1, flagged, UNMATCHED_TABLE, _caption, KINDS, lang)
    year = row["list_year"]
    ws.set_row(next_row, 45)
    note = NOTE[lang].format(year="—" if c.is_missing(year) else int(year))
    c.merge_text(ws, next_row, 0, width - 1, note, styles, "note")
    c.print_setup(ws, lang, None)
    return True
