"""排名表: sorted like the Evaluation's ranks, grades coloured by conditional formats, print setup."""

from __future__ import annotations

import pytest
from test_export_common import HOSTILE_STREET, assert_no_formulas, build_dataset, open_xlsx

from metrics import evaluate
from metrics.config import FUNCTIONS
from metrics.export import ranking
from metrics.export.labels import grade_name, text
from metrics.uncertainty import band_text, for_period

PERIOD = "2019Q2"


@pytest.fixture(scope="module")
def ev():
    return evaluate(build_dataset(hostile=True))


def table(ws, lang: str = "zh") -> tuple[int, list[list]]:
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == text("rank", lang))
    rows = []
    for r in range(head + 1, ws.max_row + 1):
        if ws.cell(r, 4).value is None:
            break
        rows.append([ws.cell(r, col).value for col in range(1, ws.max_column + 1)])
    return head, rows


@pytest.mark.parametrize(("district", "rank", "lang"), [(None, "rank_city", "zh"), ("武侯区", "rank_district", "en")])
def test_rows_follow_the_evaluation_ranks(ev, district, rank: str, lang: str) -> None:
    ws = open_xlsx(ranking(ev, PERIOD, district=district, lang=lang)).active
    expected = ev.scores_for(period=PERIOD, district=district).sort_values([rank, "district", "street"])
    _, rows = table(ws, lang)
    assert [r[3] for r in rows] == expected["street"].tolist()
    assert [r[0] for r in rows] == expected[rank].tolist()
    assert [r[5] for r in rows] == pytest.approx(expected["overall"].tolist())
    assert [r[6] for r in rows] == [grade_name(g, lang) for g in expected["grade"]]
    types = {"城区街道": "Urban street", "涉农街道": "Agriculture-related street", "镇": "Town"}
    shown = [types[t] if lang == "en" else t for t in expected["street_type"]]
    assert [r[4] for r in rows] == shown  # the street type in the language of the workbook
    for k, f in enumerate(FUNCTIONS, start=7):
        assert [r[k] for r in rows] == pytest.approx(expected[f].tolist())
    overall = [r[5] for r in rows]
    assert overall == sorted(overall, reverse=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_grades_are_coloured_by_conditional_formats(ev, lang: str) -> None:
    ws = open_xlsx(ranking(ev, PERIOD, lang=lang)).active
    head, rows = table(ws, lang)
    grade_range = f"G{head + 1}:G{head + len(rows)}"
    rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    assert grade_range in rules
    formulas = [rule.formula[0] for rule in rules[grade_range]]
    assert formulas == [f'"{grade_name(g, lang)}"' for g in ev.grades]
    assert all(rule.type == "cellIs" and rule.operator == "equal" for rule in rules[grade_range])
    fills = {rule.dxf.fill.bgColor.rgb for rule in rules[grade_range]}
    assert len(fills) == len(ev.grades)  # each grade its own colour
    assert any(rule.type == "dataBar" for cf in ws.conditional_formatting for rule in cf.rules)


def test_print_setup_freeze_and_text_guard(ev) -> None:
    wb = open_xlsx(ranking(ev, PERIOD))
    ws = wb.active
    head, rows = table(ws)
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth or 1) == 1
    assert ws.print_title_rows == f"${head}:${head}"
    assert ws.freeze_panes == f"E{head + 1}"
    assert ws.auto_filter.ref.startswith(f"A{head}:")
    assert_no_formulas(wb)
    hostile = next(
        ws.cell(r, 4) for r in range(head + 1, head + 1 + len(rows)) if ws.cell(r, 4).value == HOSTILE_STREET
    )
    assert hostile.data_type == "s" and hostile.quotePrefix
    assert all(isinstance(r[5], float) for r in rows)


@pytest.mark.parametrize(("district", "scope"), [(None, "city"), ("武侯区", "district")])
def test_the_rank_band_stands_beside_the_rank(ev, district, scope: str) -> None:
    ws = open_xlsx(ranking(ev, PERIOD, district=district)).active
    head, rows = table(ws)
    assert ws.cell(head, 2).value == text("band", "zh")
    bands = for_period(ev, PERIOD).bands
    expected = dict(zip(bands["street"], band_text(bands, scope), strict=True))
    assert rows and all((r[1] or "") == expected.get(r[3], "") for r in rows)
    assert any(r[1] for r in rows)
    # the city's bands passed in (as the dashboard does for a scoped user) are the ones written
    other = bands.assign(rank_city_p05=1, rank_city_p95=99, rank_district_p05=1, rank_district_p95=99)
    _, rows = table(open_xlsx(ranking(ev, PERIOD, district=district, bands=other)).active)
    assert {r[1] for r in rows if r[0] is not None} == {"1–99"}


def test_unknown_district_is_a_key_error(ev) -> None:
    with pytest.raises(KeyError, match="unknown district"):
        ranking(ev, PERIOD, district="无此区")
