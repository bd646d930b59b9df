"""The ranking export's 考核清单对照 sheet (issue 15, several scored lists), read back with openpyxl and converted
by LibreOffice."""

from __future__ import annotations

import pytest
from test_export_common import assert_no_formulas, open_xlsx
from test_list_coverage import AFFAIRS, PAIRS, QL, WH, _dataset

from metrics import evaluate
from metrics.export import ranking
from tests.metrics.libreoffice import pdf_text, xlsx_pdf

HOSTILE = '=HYPERLINK("http://x","党建")'
PERIOD = "2019Q2"
SHEET = "考核清单对照"


@pytest.fixture(scope="module")
def ev():
    affairs = [*AFFAIRS[:-1], {**AFFAIRS[-1], "item_name": HOSTILE}]
    return evaluate(_dataset(affairs, PAIRS))


def _rows(ws) -> list[tuple]:
    return [tuple(v for v in row if v is not None) for row in ws.iter_rows(values_only=True)]


def test_the_sheet_counts_both_gaps_and_lists_them(ev):
    wb = open_xlsx(ranking(ev, PERIOD))
    assert SHEET in wb.sheetnames
    rows = _rows(wb[SHEET])
    assert rows[0] == (f"{SHEET}（2019）",)
    summary = rows[rows.index(next(r for r in rows if r[:2] == ("区(市)县", "年度"))) + 1]
    assert summary[:5] == (QL, 2019, 4, 2, 2) and summary[5] == pytest.approx(0.5)
    listed = [r for r in rows if len(r) > 2 and r[0] == QL and r[1] in ("未纳入考核的职责", "无职责依据的事务")]
    assert [(r[1], r[2]) for r in listed] == [
        ("无职责依据的事务", "S9"),
        ("未纳入考核的职责", "D3"),
        ("未纳入考核的职责", "D4"),
    ]
    assert listed[0][3] == HOSTILE and listed[-1][-1] == "是"  # the 招商引资 duty: never scored anyway
    assert_no_formulas(wb)


def test_the_sheet_is_left_out_where_no_district_in_scope_declared(ev):
    assert SHEET not in open_xlsx(ranking(ev, PERIOD, district=WH)).sheetnames
    assert SHEET in open_xlsx(ranking(ev, PERIOD, district=QL)).sheetnames


def test_the_sheet_in_english(ev):
    wb = open_xlsx(ranking(ev, PERIOD, lang="en"))
    rows = _rows(wb["Evaluation list"])
    assert rows[3][:5] == ("District", "Year", "Duties", "Evaluated", "Duties never evaluated")


@pytest.mark.libreoffice
def test_libreoffice_opens_the_sheet(ev, tmp_path):
    text = pdf_text(xlsx_pdf(ranking(ev, PERIOD, district=QL), tmp_path, "ranking"))
    assert SHEET in text and "未纳入考核的职责" in text and "无职责依据的事务" in text and HOSTILE in text
