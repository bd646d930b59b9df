"""Every export names the 未报送 streets (FORMATS.md §6) on a sheet of their own, and ranks them nowhere."""

from __future__ import annotations

import io

import openpyxl
import pytest
from metrics_test_data import dataset, item, row

from metrics import evaluate
from metrics.export import batch, district_comparison, ranking, street_scorecard


@pytest.fixture(scope="module")
def ev():
    perf = [
        row("A1", completion=0.9),
        row("A1", "簇桥街道", completion=0.6),
        row("A1", "临邛街道", district="邛崃市", completion=0.7),
        row("A1", "文君街道", district="邛崃市", completion=0.8),
    ]
    register = [{"street": s, "street_type": "城区街道"} for s in ("玉林街道", "簇桥街道", "望江路街道")] + [
        {"district": "邛崃市", "street": s, "street_type": "城区街道"} for s in ("临邛街道", "文君街道")
    ]
    items = [item("A1"), item("A1", district="邛崃市")]
    return evaluate(dataset(items, perf, register=register))


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _values(ws) -> list:
    return [v for r in ws.iter_rows(values_only=True) for v in r if v is not None]


def _check(book: openpyxl.Workbook, lang: str = "zh") -> None:
    name = "未报送" if lang == "zh" else "Not submitted"
    assert name in book.sheetnames
    values = _values(book[name])
    line = "未报送 1 个：武侯区 望江路街道" if lang == "zh" else "Not submitted: 1 (武侯区 望江路街道)"
    assert line in values and "望江路街道" in values


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ranking_export_lists_the_late_street_apart(ev, lang):
    book = _book(ranking(ev, "2019Q2", lang=lang))
    _check(book, lang)
    main = book.worksheets[0]
    # the late street may be listed in the table, but never with a rank or a grade
    for r in main.iter_rows(values_only=True):
        if "望江路街道" in r:
            assert not any(v in ("优秀", "良好", "合格", "不合格") for v in r)
            assert not any(isinstance(v, str) and "/" in v and v[0].isdigit() for v in r)  # "3/3"-style ranks


def test_comparison_scorecard_and_batch_exports_list_the_late_street(ev):
    _check(_book(district_comparison(ev, ["武侯区", "邛崃市"], "2019Q2")))
    _check(_book(street_scorecard(ev, "武侯区", "望江路街道", "2019Q2")))
    _check(_book(street_scorecard(ev, "武侯区", "玉林街道", "2019Q2")))
    _check(_book(batch(ev, "2019Q2", district="武侯区")))


def test_no_sheet_when_every_street_reported(ev):
    assert "未报送" not in _book(ranking(ev, "2019Q2", "邛崃市")).sheetnames
