"""The 部门评价排名 export (issue 15, 考核权): read back with openpyxl, and converted by LibreOffice."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from metrics_test_data import D, dataset
from test_export_common import assert_no_formulas, open_xlsx

from loaders.schema import ADVICE, DEPT_RATINGS
from metrics import evaluate
from metrics.export import department_ranking
from tests.metrics.libreoffice import pdf_text, xlsx_pdf

HOSTILE = '=HYPERLINK("http://x","区城管局")'
STREETS = ("玉林街道", "红牌楼街道", "簇桥街道")


def _rating(street: str, dept: str, x: float, period: str = "2019Q2", district: str = D) -> dict:
    return {"district": district, "street": street, "period": period, "department": dept, "scale": 5,
            "guidance": x, "responsiveness": x, "funding": x, "coordination": x}  # fmt: skip


@pytest.fixture(scope="module")
def ev():
    rows = [_rating(s, "区民政局", x) for s, x in zip(STREETS, (5, 5, 4), strict=True)]
    rows += [_rating(s, HOSTILE, x) for s, x in zip(STREETS, (2, 3, 2), strict=True)]
    rows += [_rating("玉林街道", "区住建局", 4)]  # one street only: too few ratings
    rows += [_rating("白鹿镇", "市民政局", 3, district="彭州市")]
    perf = [{"street": s, "period": "2019Q2", "item_code": "A1", "completion": 1} for s in STREETS]
    register = [{"street": s, "street_type": "城区街道"} for s in STREETS]
    register += [{"district": "彭州市", "street": "白鹿镇", "street_type": "镇"}]
    tasks = [{"street": "玉林街道", "period": "2019Q2", "assigning_department": HOSTILE, "access_approved": False}]
    ds = dataset([{"item_code": "A1", "function": "public_services", "item_name": "甲"}], perf, unlisted=tasks,
                 register=register)  # fmt: skip
    ds.dept_ratings = DEPT_RATINGS.conform(pd.DataFrame(rows))
    ds.advice = ADVICE.conform(
        pd.DataFrame(
            [
                {"district": D, "street": "玉林街道", "decision": "国土空间规划", "consulted_date": "2019-05-06",
                 "opinion": "=1+1", "adopted": "部分采纳"},
                {"district": "彭州市", "street": "白鹿镇", "decision": "彭州规划", "adopted": "采纳"},
            ]
        ).assign(consulted_date=lambda d: pd.to_datetime(d["consulted_date"]))
    )  # fmt: skip
    return evaluate(ds)


def _rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]


def test_the_ranking_lists_a_districts_departments_best_first_with_bands(ev) -> None:
    wb = open_xlsx(department_ranking(ev, "2019Q2", D))
    assert wb.sheetnames == ["部门评价排名", "建议权"]
    rows = _rows(wb["部门评价排名"])
    header = rows.index(next(r for r in rows if r[0] == "名次"))
    body = rows[header + 1 :]
    assert [r[2] for r in body] == ["区民政局", HOSTILE, "区住建局"]
    assert (body[0][0], body[0][1], body[0][3]) == (1, "1", 3)
    assert body[0][4] == pytest.approx((100 + 100 + 80) / 3)
    assert body[2][0] is None and "不足 3 个" in body[2][5]  # too few ratings: no rank, said so
    assert not any("彭州" in str(v) or "市民政局" in str(v) for r in rows for v in r)  # one district asked
    advice = _rows(wb["建议权"])
    assert any(r[:2] == ("玉林街道", "国土空间规划") and r[4] == "部分采纳" for r in advice)
    assert_no_formulas(wb)


def test_every_district_and_english_captions(ev) -> None:
    wb = open_xlsx(department_ranking(ev, "2019Q2", lang="en"))
    assert wb.sheetnames == ["Department ranking", "Advice on major plans"]
    text = [v for r in _rows(wb["Department ranking"]) for v in r if isinstance(v, str)]
    assert "彭州市" in text and "市民政局" in text and "Rank band" in text and "fewer than 3 rating streets" in text
    advice = [v for r in _rows(wb["Advice on major plans"]) for v in r]
    assert "Partly adopted" in advice and "Adopted" in advice


def test_an_unknown_period_or_district_is_refused(ev) -> None:
    with pytest.raises(KeyError):
        department_ranking(ev, "2030Q1")
    with pytest.raises(KeyError):
        department_ranking(ev, "2019Q2", "无此区")


@pytest.mark.libreoffice
def test_libreoffice_converts_the_ranking_to_a4_landscape_pdf(ev, tmp_path: Path) -> None:
    pdf = xlsx_pdf(department_ranking(ev, "2019Q2"), tmp_path, "departments")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    width, height = (float(x) for x in size.split(":")[1].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    text = pdf_text(pdf)
    assert "部门评价排名" in text and "区民政局" in text and "=HYPERLINK" in text and "=1+1" in text  # shown as text


def test_the_cli_writes_the_department_ranking_from_workbooks(tmp_path: Path, monkeypatch) -> None:
    from metrics.__main__ import main

    samples = Path(__file__).resolve().parents[2] / "data" / "samples"
    files = [
        *samples.glob("00_街道名册.xlsx"),
        *samples.glob("10_清单_龙泉驿区_2019年.xlsx"),
        *samples.glob("20_履职报表_2019Q2_龙泉驿区_*.xlsx"),
        *samples.glob("30_部门评价_2019Q2_龙泉驿区.xlsx"),
    ]
    if len(files) < 4:
        pytest.skip("sample workbooks missing (python data/generate.py)")
    monkeypatch.chdir(tmp_path)
    assert main(["export", "departments", *map(str, files), "--period", "2019Q2", "--district", "龙泉驿区"]) == 0
    written = list(tmp_path.glob("*.xlsx"))
    assert [p.name for p in written] == ["部门评价排名_龙泉驿区_2019Q2.xlsx"]
    wb = open_xlsx(written[0].read_bytes())
    cells = [v for r in wb["部门评价排名"].iter_rows(values_only=True) for v in r]
    assert "区民政局" in cells and 1 in cells
