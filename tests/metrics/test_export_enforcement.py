"""The 执法情况 sheet of the street scorecard export (issue 15 point 3): openpyxl reads it, LibreOffice prints it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from test_export_common import open_xlsx

from loaders.schema import ENFORCEMENT
from metrics import evaluate
from metrics.export import street_scorecard
from tests.metrics.libreoffice import pdf_text, xlsx_pdf
from tests.metrics.metrics_test_data import D, dataset, item, row

FIGURES = {"cases": 40, "cases_on_time": 36, "corrections": 1, "joint_operations": 3, "officers": 8}
HOSTILE = '=HYPERLINK("http://x")街道'


def _ev(streets=("玉林街道", "簇桥街道"), first_reports=True):
    items = [
        item("A1"),
        item("ZF1", "comprehensive_management", list_type="enforcement", on_time_target=0.95, correction_ceiling=0.05),
    ]
    ds = dataset(items=items, perf=[row("A1", street=s, completion=0.9) for s in streets], streets=streets)
    figures = [{"district": D, "street": s, "period": "2019Q2", **FIGURES} for s in streets[:1] if first_reports]
    figures += [{"district": D, "street": s, "period": "2019Q2", **FIGURES, "cases": 60} for s in streets[1:]]
    return evaluate(replace(ds, enforcement=ENFORCEMENT.conform(pd.DataFrame(figures))))


def _sheet_rows(data: bytes, name: str) -> list[tuple]:
    wb = open_xlsx(data)
    assert name in wb.sheetnames, wb.sheetnames
    return [tuple(c for c in r) for r in wb[name].iter_rows(values_only=True)]


def test_the_scorecard_export_carries_the_street_s_enforcement_sheet() -> None:
    rows = _sheet_rows(street_scorecard(_ev(), D, "玉林街道", "2019Q2"), "执法情况")
    assert rows[0][0] == "执法情况 · 玉林街道 · 2019Q2"
    assert rows[3] == ("指标", "本街道", "清单目标", "区(市)县中位数", "是否达标")
    lines = {r[0]: r for r in rows[4:] if r[0]}
    assert lines["案件数"][1] == "40" and lines["案件数"][3] == "50"  # the median of 40 and 60
    assert lines["按时办结率"][1:] == ("90.0%", "95.0%", "75.0%", "未达标")
    assert lines["纠错率"][1:] == ("2.5%", "5.0%", "2.1%", "达标")
    assert lines["执法得分"][1] == f"{100 * (0.9 / 0.95 + 1) / 2:.1f}"
    assert any("执法监管清单（2019年）" in str(r[0]) for r in rows)


def test_in_english_and_none_when_the_street_reported_no_enforcement() -> None:
    ev = _ev()
    rows = _sheet_rows(street_scorecard(ev, D, "玉林街道", "2019Q2", lang="en"), "Enforcement")
    assert rows[3] == ("Indicator", "This street", "List target", "District median", "Target met")
    silent = _ev(first_reports=False)
    assert "执法情况" not in open_xlsx(street_scorecard(silent, D, "玉林街道", "2019Q2")).sheetnames
    assert "执法情况" in open_xlsx(street_scorecard(silent, D, "簇桥街道", "2019Q2")).sheetnames


def test_a_formula_like_street_name_is_written_as_text() -> None:
    wb = open_xlsx(street_scorecard(_ev((HOSTILE, "簇桥街道")), D, HOSTILE, "2019Q2"))
    cells = [c for r in wb["执法情况"].iter_rows() for c in r if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert f"执法情况 · {HOSTILE} · 2019Q2" in {c.value for c in cells}


@pytest.mark.libreoffice
def test_libreoffice_prints_the_enforcement_sheet(tmp_path: Path) -> None:
    text = pdf_text(xlsx_pdf(street_scorecard(_ev(), D, "玉林街道", "2019Q2"), tmp_path, "card"))
    assert "执法情况 · 玉林街道 · 2019Q2" in text and "按时办结率" in text and "未达标" in text
