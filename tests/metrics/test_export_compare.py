"""区县对比: summary figures against district_summary, native charts and their ranges, one sheet per district."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl.utils import range_boundaries
from test_export_common import assert_no_formulas, build_dataset, open_xlsx

from metrics import evaluate
from metrics.config import FUNCTIONS
from metrics.export import common, district_comparison
from metrics.export.labels import function_name, grade_name, text

PERIOD = "2019Q2"
HOSTILE_DISTRICT = "=A1+区"


@pytest.fixture(scope="module")
def ev():
    return evaluate(build_dataset(hostile=True, districts=("武侯区", "龙泉驿区", "彭州市", HOSTILE_DISTRICT)))


def summary_rows(ws) -> dict[str, int]:
    """Caption in column A → row number, for the summary table."""
    return {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_figures_match_district_summary(ev, lang: str) -> None:
    districts = ["龙泉驿区", "武侯区", "彭州市"]
    wb = open_xlsx(district_comparison(ev, districts, PERIOD, lang=lang))
    ws = wb.worksheets[0]
    assert ws.title == text("summary", lang)
    rows = summary_rows(ws)
    header = rows[text("indicator", lang)]
    assert [ws.cell(header, j).value for j in range(2, 5)] == districts
    ds = ev.district_summary.set_index(["district", "period"])
    for j, d in enumerate(districts, start=2):
        expected = ds.loc[(d, PERIOD)]
        assert ws.cell(rows[text("median", lang)], j).value == pytest.approx(expected["median"])
        assert ws.cell(rows[text("n_streets", lang)], j).value == expected["n_streets"]
        for f in FUNCTIONS:
            caption = text("median_of", lang, f=function_name(f, lang))
            assert ws.cell(rows[caption], j).value == pytest.approx(expected[f"median_{f}"])
        for g in ev.grades:
            share = ws.cell(rows[text("share_grade", lang, g=grade_name(g, lang))], j)
            assert share.value == pytest.approx(expected[f"share_{g}"])
            assert share.number_format == "0.0%"


def test_charts_reference_the_summary_ranges(ev) -> None:
    districts = ["武侯区", "彭州市"]
    ws = open_xlsx(district_comparison(ev, districts, PERIOD)).worksheets[0]
    rows = summary_rows(ws)
    charts = ws._charts
    assert [ch.barDir for ch in charts] == ["bar", "col"]
    blocks = [
        [text("median_of", "zh", f=function_name(f, "zh")) for f in FUNCTIONS],
        [text("share_grade", "zh", g=g) for g in ev.grades],
    ]
    for chart, captions in zip(charts, blocks, strict=True):
        assert len(chart.series) == len(districts)
        first, last = rows[captions[0]], rows[captions[-1]]
        assert last - first == len(captions) - 1
        for j, series in enumerate(chart.series, start=2):
            sheet, ref = series.val.numRef.f.split("!")
            assert sheet == ws.title
            assert range_boundaries(ref.replace("$", "")) == (j, first, j, last)
            cat = series.cat.strRef.f.split("!")[1]
            assert range_boundaries(cat.replace("$", "")) == (1, first, 1, last)
            name_ref = series.tx.strRef.f.split("!")[1].replace("$", "")
            assert ws[name_ref].value == districts[j - 2]


def test_one_sheet_per_district_listing_its_streets(ev) -> None:
    districts = ["武侯区", HOSTILE_DISTRICT]
    wb = open_xlsx(district_comparison(ev, districts, PERIOD))
    assert wb.sheetnames[1:-1] == [common.sheet_name(d, set()) for d in districts]
    assert wb.sheetnames[-1] == "口径对比"
    for d, ws in zip(districts, wb.worksheets[1:-1], strict=True):
        expected = ev.scores_for(period=PERIOD, district=d).sort_values("rank_district")
        head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "名次")
        streets = [ws.cell(r, 4).value for r in range(head + 1, head + 1 + len(expected))]
        assert streets == expected["street"].tolist()
        overall = [ws.cell(r, 6).value for r in range(head + 1, head + 1 + len(expected))]
        assert overall == pytest.approx(expected["overall"].tolist())
        assert ws.freeze_panes == f"E{head + 1}"
        assert ws.print_title_rows == f"${head}:${head}"
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"


def test_hostile_district_is_text_everywhere(ev) -> None:
    wb = open_xlsx(district_comparison(ev, ["武侯区", HOSTILE_DISTRICT], PERIOD))
    assert_no_formulas(wb)
    header = wb.worksheets[0].cell(summary_rows(wb.worksheets[0])["指标"], 3)
    assert header.value == HOSTILE_DISTRICT and header.data_type == "s" and header.quotePrefix


def test_comparison_needs_two_to_four_known_districts(ev) -> None:
    with pytest.raises(ValueError, match="2 to 4"):
        district_comparison(ev, ["武侯区"], PERIOD)
    with pytest.raises(ValueError, match="2 to 4"):
        district_comparison(ev, ["武侯区", "武侯区"], PERIOD)
    with pytest.raises(KeyError, match="unknown districts"):
        district_comparison(ev, ["武侯区", "无此区"], PERIOD)
    with pytest.raises(KeyError, match="no scores for period"):
        district_comparison(ev, ["武侯区", "彭州市"], "2031Q4")


def test_the_views_sheet_gives_each_streets_rank_in_the_three_views(ev) -> None:
    districts = ["武侯区", "龙泉驿区"]
    ws = open_xlsx(district_comparison(ev, districts, PERIOD))["口径对比"]
    head = [cell.value for cell in ws[4]]
    assert head[:4] == ["区(市)县", "街道(镇)", "官方得分", "官方排名"] and "共同核心排名" in head
    rows = [dict(zip(head, r, strict=False)) for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]
    views = ev.views[ev.views["period"].eq(PERIOD) & ev.views["district"].isin(districts)]
    assert len(rows) == len(views)
    want = views.set_index(["district", "street"])
    for r in rows:
        w = want.loc[(r["区(市)县"], r["街道(镇)"])]
        assert r["官方排名"] == w["rank_city"]
        assert r["共同核心排名"] == (None if pd.isna(w["rank_city_core"]) else w["rank_city_core"])
    assert "共同核心占清单权重" in ws["A2"].value


def test_the_kept_rank_bands_give_the_same_district_sheets_as_running_the_monte_carlo(ev) -> None:
    from metrics.uncertainty import for_period

    districts = ["武侯区", "彭州市"]
    kept = for_period(ev, PERIOD).bands
    ran, given = (open_xlsx(district_comparison(ev, districts, PERIOD, bands=b)) for b in (None, kept))
    for d in districts:
        cells = [[c.value for c in row] for row in ran[d].iter_rows(min_row=3)]
        assert cells == [[c.value for c in row] for row in given[d].iter_rows(min_row=3)]
        assert any("–" in str(v) or "-" in str(v) for row in cells for v in row)  # the band column is filled
