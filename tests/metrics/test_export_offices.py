"""The 机构设置 sheet of the street scorecard export (issue 15 point 4): openpyxl reads it, LibreOffice prints it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from test_export_common import open_xlsx

from loaders.schema import OFFICES
from metrics import evaluate
from metrics.export import street_scorecard
from tests.metrics.libreoffice import pdf_text, xlsx_pdf
from tests.metrics.metrics_test_data import D, dataset, item, row

HOSTILE = '=HYPERLINK("http://x")办公室'
STANDARD = {
    "综合办公室": "general",
    "党群办公室": "party",
    "社区发展办公室": "development",
    "社区治理办公室": "governance",
}


def _ev(extra: str = "乡村振兴办公室", streets=("玉林街道", "簇桥街道")):
    items = [item("A1", office="综合办"), item("A2", office="城市管理科", weight=2), item("A3", office=extra)]
    ds = dataset(items=items, perf=[row("A1", street=s, completion=0.9) for s in streets], streets=streets)
    offices = [
        {"district": D, "street": streets[0], "office": n, "category": "standard", "standard_office": k}
        | {"posts": 6, "staff": 5}
        for n, k in STANDARD.items()
    ]  # no 民生服务办公室: not 5+X
    offices.append({"district": D, "street": streets[0], "office": extra, "category": "x", "posts": 3, "staff": 3})
    return evaluate(replace(ds, offices=OFFICES.conform(pd.DataFrame(offices))))


def _rows(data: bytes, name: str) -> list[tuple]:
    wb = open_xlsx(data)
    assert name in wb.sheetnames, wb.sheetnames
    return [tuple(r) for r in wb[name].iter_rows(values_only=True)]


def test_the_scorecard_export_carries_the_street_s_offices_sheet() -> None:
    rows = _rows(street_scorecard(_ev(), D, "玉林街道", "2019Q2"), "机构设置")
    assert rows[0][0] == "机构设置 · 玉林街道" and rows[1][0] == D
    assert rows[2][0].startswith("缺少基本科室") and "缺少 民生服务办公室" in rows[2][0]
    assert rows[4] == ("科室", "科室类别", "编制人数", "在岗人数", "清单事项数", "事项权重合计", "清单外事项数")
    offices = {r[0]: r for r in rows[5:10]}
    assert offices["综合办公室"] == ("综合办公室", "基本科室", 6, 5, 1, 1, 0)
    assert offices["乡村振兴办公室"][1:5] == ("X 科室", 3, 3, 1)
    at = next(k for k, r in enumerate(rows) if r[0] and str(r[0]).startswith("没有对应科室的清单事项"))
    assert rows[at][0] == "没有对应科室的清单事项（1 项）"
    assert rows[at + 1][:5] == ("清单", "事项编号", "事项名称", "清单所写责任科室", "原因")
    assert rows[at + 2][:5] == ("职责任务清单", "A2", "事项A2", "城市管理科", "街道没有这个科室")
    assert any("5+X" in str(r[0]) for r in rows[at + 3 :])


def test_in_english_and_none_where_the_street_has_no_offices() -> None:
    ev = _ev()
    rows = _rows(street_scorecard(ev, D, "玉林街道", "2019Q2", lang="en"), "Offices")
    assert rows[2][0].startswith("A standard office is missing")
    assert rows[4][:2] == ("Office", "Kind")
    assert "机构设置" not in open_xlsx(street_scorecard(ev, D, "簇桥街道", "2019Q2")).sheetnames


def test_a_formula_like_office_name_is_written_as_text() -> None:
    wb = open_xlsx(street_scorecard(_ev(extra=HOSTILE), D, "玉林街道", "2019Q2"))
    cells = [c for r in wb["机构设置"].iter_rows() for c in r if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert HOSTILE in {c.value for c in cells}


@pytest.mark.libreoffice
def test_libreoffice_prints_the_offices_sheet(tmp_path: Path) -> None:
    text = pdf_text(xlsx_pdf(street_scorecard(_ev(), D, "玉林街道", "2019Q2"), tmp_path, "card"))
    assert "机构设置 · 玉林街道" in text and "缺少基本科室" in text and "城市管理科" in text
