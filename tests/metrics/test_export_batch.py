"""Batch: an index sheet, then one scorecard sheet per street of the period, every one like street_scorecard."""

from __future__ import annotations

import pytest
from test_export_common import HOSTILE_STREET, assert_no_formulas, build_dataset, open_xlsx

from metrics import evaluate
from metrics.export import batch, common, street_scorecard

PERIOD = "2019Q1"


@pytest.fixture(scope="module")
def ev():
    return evaluate(build_dataset(hostile=True))


def sheet_values(ws) -> list[list]:
    # the generated-at cell differs between two exports; everything else must be the same
    return [
        [c.value for c in row if not (isinstance(c.value, str) and c.value[:4] == "2026")] for row in ws.iter_rows()
    ]


def test_index_lists_every_street_and_links_to_its_sheet(ev) -> None:
    wb = open_xlsx(batch(ev, PERIOD))
    index = wb.worksheets[0]
    expected = ev.scores_for(period=PERIOD).sort_values(["district", "street"])
    assert index.title == "目录"
    assert len(wb.sheetnames) == 1 + len(expected)
    head = next(r for r in range(1, index.max_row + 1) if index.cell(r, 1).value == "序号")
    for i, (_, s) in enumerate(expected.iterrows()):
        r = head + 1 + i
        assert index.cell(r, 2).value == s["district"]
        assert index.cell(r, 3).value == s["street"]
        assert index.cell(r, 4).value == pytest.approx(s["overall"])
        target = index.cell(r, 3).hyperlink.location
        sheet = target.rsplit("!", 1)[0].strip("'").replace("''", "'")
        assert sheet == wb.sheetnames[1 + i]
        assert wb[sheet]["A2"].value.startswith(s["street"])
    assert index.print_title_rows == f"${head}:${head}"
    assert index.freeze_panes == f"A{head + 1}"


def test_each_sheet_is_the_street_scorecard(ev) -> None:
    wb = open_xlsx(batch(ev, PERIOD, district="武侯区"))
    streets = ev.scores_for(period=PERIOD, district="武侯区").sort_values("street")["street"].tolist()
    assert len(wb.sheetnames) == 1 + len(streets)
    for street, name in zip(streets, wb.sheetnames[1:], strict=True):
        single = open_xlsx(street_scorecard(ev, "武侯区", street, PERIOD)).active
        assert sheet_values(wb[name]) == sheet_values(single)
        assert wb[name].print_title_rows == single.print_title_rows
        assert int(wb[name].page_setup.paperSize) == 9


def test_sheet_names_valid_unique_and_text_guarded(ev) -> None:
    wb = open_xlsx(batch(ev, PERIOD, lang="en"))
    assert wb.sheetnames[0] == "Index"
    assert len({n.casefold() for n in wb.sheetnames}) == len(wb.sheetnames)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in wb.sheetnames)
    assert common.sheet_name(HOSTILE_STREET, set()) in wb.sheetnames
    assert_no_formulas(wb)
    link = next(c for row in wb.worksheets[0].iter_rows() for c in row if c.value == HOSTILE_STREET)
    assert link.data_type == "s" and link.quotePrefix and link.hyperlink is not None


def test_same_street_name_in_two_districts_gets_the_district_in_its_sheet_name() -> None:
    ds = build_dataset()
    for table in (ds.register, ds.performance, ds.service, ds.unlisted):
        table.loc[table["street"].isin(["武侯甲街道", "彭州甲街道"]), "street"] = "同名街道"
    wb = open_xlsx(batch(evaluate(ds), PERIOD))
    assert {"同名街道（武侯区）", "同名街道（彭州市）"} <= set(wb.sheetnames)
