"""街道考核评分表: values against the Evaluation, layout, print setup and the text guard."""

from __future__ import annotations

import re
from itertools import pairwise

import pandas as pd
import pytest
from test_export_common import HOSTILE_STREET, HOSTILE_TEXTS, assert_no_formulas, build_dataset, cell_text, open_xlsx

from metrics import evaluate
from metrics.config import FUNCTIONS
from metrics.export import common, street_scorecard
from metrics.export.labels import function_name, grade_name, text
from metrics.labels import GRADE_EN, STREET_TYPE_EN
from metrics.uncertainty import band_text, for_period

PERIOD = "2019Q2"


@pytest.fixture(scope="module")
def ev():
    return evaluate(build_dataset())


@pytest.fixture(scope="module")
def hostile_ev():
    return evaluate(build_dataset(hostile=True))


def find_row(ws, value: str, col: int = 1, after: int = 0) -> int:
    """The first row below `after` whose cell in col shows value."""
    for r in range(after + 1, ws.max_row + 1):
        if ws.cell(r, col).value == value:
            return r
    raise AssertionError(f"{value!r} not found in column {col}")


def item_table(ws, lang: str = "zh") -> list[list]:
    """The rows of the item table (below the header that ends with 按时), up to the first blank row."""
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 10).value == text("on_time", lang))
    rows = []
    for r in range(head + 1, ws.max_row + 1):
        if ws.cell(r, 1).value is None:
            break
        rows.append([ws.cell(r, col).value for col in range(1, 11)])
    return rows


def score_of(ev, district, street, period=PERIOD):
    s = ev.scores
    return s.loc[s["district"].eq(district) & s["street"].eq(street) & s["period"].eq(period)].iloc[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_header_scores_and_medians_match_the_evaluation(ev, lang: str) -> None:
    district, street = "武侯区", "武侯乙街道"
    ws = open_xlsx(street_scorecard(ev, district, street, PERIOD, lang=lang)).active
    score = score_of(ev, district, street)
    summary = ev.district_summary.set_index(["district", "period"]).loc[(district, PERIOD)]
    assert ws["A1"].value == text("scorecard", lang)
    assert ws.cell(find_row(ws, text("street", lang), col=4), 6).value == street
    assert ws.cell(find_row(ws, text("district", lang)), 3).value == district
    r = find_row(ws, text("overall", lang))
    assert ws.cell(r, 3).value == pytest.approx(score["overall"])
    assert ws.cell(r, 3).number_format == "0.0"
    assert ws.cell(r, 6).value == grade_name(score["grade"], lang)
    r = find_row(ws, text("rank_district", lang))
    assert ws.cell(r, 3).value == text("rank_of", lang, rank=score["rank_district"], n=score["n_district"])
    head = find_row(ws, text("function", lang))
    for i, f in enumerate(FUNCTIONS, start=1):
        assert ws.cell(head + i, 1).value == function_name(f, lang)
        assert ws.cell(head + i, 4).value == pytest.approx(score[f])
        assert ws.cell(head + i, 6).value == pytest.approx(summary[f"median_{f}"])
        assert ws.cell(head + i, 8).value == pytest.approx(score[f] - summary[f"median_{f}"])
    for key in ("items_listed", "items_reported", "items_missing", "removed_indicators", "unlisted_items"):
        r = next(r for r in range(1, ws.max_row + 1) if text(key, lang) in (ws.cell(r, 1).value, ws.cell(r, 4).value))
        col = 3 if ws.cell(r, 1).value == text(key, lang) else 6
        assert ws.cell(r, col).value == score[key]
        assert ws.cell(r, col).data_type == "n"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rank_bands_stand_below_the_ranks(ev, lang: str) -> None:
    district, street = "武侯区", "武侯乙街道"
    ws = open_xlsx(street_scorecard(ev, district, street, PERIOD, lang=lang)).active
    bands = for_period(ev, PERIOD).bands
    me = bands[bands["district"].eq(district) & bands["street"].eq(street)]
    r = find_row(ws, text("band_district", lang))
    assert r == find_row(ws, text("rank_district", lang)) + 1
    assert ws.cell(r, 3).value == band_text(me, "district").iloc[0]
    assert ws.cell(r, 4).value == text("band_city", lang)
    assert ws.cell(r, 6).value == band_text(me, "city").iloc[0]
    given = bands.assign(rank_city_p05=2, rank_city_p95=7)  # the city's bands, as the dashboard passes them
    ws = open_xlsx(street_scorecard(ev, district, street, PERIOD, lang=lang, bands=given)).active
    assert ws.cell(find_row(ws, text("band_district", lang)), 6).value == "2–7"


def test_item_table_is_the_included_items_with_their_completion(ev) -> None:
    district, street = "龙泉驿区", "龙泉丙街道"
    ws = open_xlsx(street_scorecard(ev, district, street, PERIOD)).active
    items = ev.items_for(district, street, PERIOD)
    included = items.loc[items["included"]]
    rows = item_table(ws)
    assert [r[1] for r in rows] == included["item_code"].astype(str).tolist()
    assert [r[0] for r in rows] == list(range(1, len(included) + 1))
    assert [r[7] for r in rows] == pytest.approx(included["c"].tolist())
    assert [r[4] for r in rows] == pytest.approx(included["weight"].tolist())
    missing = included["category"].eq("missing").tolist()
    assert [r[8] == text("not_reported", "zh") for r in rows] == missing
    # completion is a number shown as a percent with one decimal
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 10).value == text("on_time", "zh"))
    assert ws.cell(head + 1, 8).number_format == "0.0%"
    assert ws.cell(head + 1, 8).data_type == "n"


def test_sections_list_missing_removed_and_unlisted_items(ev) -> None:
    district, street = "彭州市", "彭州丙街道"
    ws = open_xlsx(street_scorecard(ev, district, street, PERIOD)).active
    items = ev.items_for(district, street, PERIOD)
    values = [cell.value for row in ws.iter_rows() for cell in row]
    bounds = [find_row(ws, text(k, "zh")) for k in ("sec_missing", "sec_removed", "sec_unlisted", "sec_items")]
    for (start, stop), category in zip(pairwise(bounds), ["missing", "removed", "unlisted"], strict=True):
        codes = [ws.cell(r, 2).value for r in range(start, stop) if isinstance(ws.cell(r, 1).value, int)]
        expected = items.loc[items["category"].eq(category), "item_code"].astype(str).tolist()
        assert codes == expected, category
    assert "E01" in values and "X99" in values  # the removed indicator and the off-list row are shown


def test_signature_lines_and_cjk_font(ev) -> None:
    ws = open_xlsx(street_scorecard(ev, "武侯区", "武侯甲街道", PERIOD)).active
    labels = [c.value for row in ws.iter_rows(min_row=ws.max_row - 2) for c in row if c.value]
    assert labels == ["评价人：", "审核人：", "日期："]
    last = ws.max_row
    assert ws.cell(last, 3).border.bottom.style == "thin"  # the line to sign on
    assert ws["A1"].font.name == common.FONT
    assert all(c.font.name == common.FONT for row in ws.iter_rows() for c in row if c.value is not None)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_print_setup_and_frozen_panes(ev, lang: str) -> None:
    ws = open_xlsx(street_scorecard(ev, "武侯区", "武侯甲街道", PERIOD, lang=lang)).active
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1  # 1 is the OOXML default, which xlsxwriter leaves out
    assert ws.page_setup.fitToHeight == 0
    item_head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 10).value == text("on_time", lang))
    assert ws.print_title_rows == f"${item_head}:${item_head}"  # the item table's header on every page
    assert ws.freeze_panes == "A3"
    assert "&P" in ws.oddFooter.center.text
    assert "武侯甲街道" in ws.oddHeader.left.text and PERIOD in ws.oddHeader.left.text


def test_hostile_street_and_item_names_stay_text(hostile_ev) -> None:
    wb = open_xlsx(street_scorecard(hostile_ev, "武侯区", HOSTILE_STREET, PERIOD))
    ws = wb.active
    assert_no_formulas(wb)
    cells = {cell_text(c.value): c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells[HOSTILE_STREET].data_type == "s" and cells[HOSTILE_STREET].quotePrefix
    reported_names = set(hostile_ev.items_for("武侯区", HOSTILE_STREET, PERIOD)["item_name"].astype(str))
    for hostile in HOSTILE_TEXTS:
        if hostile in reported_names:
            assert cells[hostile].data_type == "s"
            assert cells[hostile].quotePrefix
    # numbers stay numbers
    assert ws.cell(find_row(ws, "总分"), 3).data_type == "n"
    assert ws.title == common.sheet_name(HOSTILE_STREET, set())


def test_unknown_street_or_period_is_a_key_error(ev) -> None:
    with pytest.raises(KeyError, match="no score"):
        street_scorecard(ev, "武侯区", "不存在街道", PERIOD)
    with pytest.raises(KeyError):
        street_scorecard(ev, "武侯区", "武侯甲街道", "2030Q1")
    with pytest.raises(ValueError, match="unsupported language"):
        street_scorecard(ev, "武侯区", "武侯甲街道", PERIOD, lang="fr")


def test_long_item_names_get_taller_rows(ev) -> None:
    ds = build_dataset()
    ds.list_items.loc[ds.list_items["item_code"].eq("D01"), "item_name"] = "很长的事项名称" * 12
    ev_long = evaluate(ds)
    ws = open_xlsx(street_scorecard(ev_long, "武侯区", "武侯甲街道", PERIOD)).active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == "很长的事项名称" * 12)
    assert ws.row_dimensions[row].height and ws.row_dimensions[row].height > 30
    assert ws.cell(row, 3).alignment.wrap_text


def test_unlisted_tasks_are_listed_when_given(hostile_ev) -> None:
    ds = build_dataset(hostile=True)
    ds.unlisted["assigned_date"] = pd.Timestamp("2019-05-06")
    street = "武侯丙街道"
    wb = open_xlsx(street_scorecard(hostile_ev, "武侯区", street, PERIOD, tasks=ds.unlisted))
    ws = wb.active
    mine = ds.unlisted.loc[ds.unlisted["street"].eq(street) & ds.unlisted["period"].eq(PERIOD)]
    assert len(mine) == 2
    head = find_row(ws, "交办部门", col=5)
    rows = [[ws.cell(r, col) for col in range(1, 12)] for r in range(head + 1, head + 1 + len(mine))]
    assert [r[1].value for r in rows] == mine["task_name"].tolist()
    assert [r[4].value for r in rows] == mine["assigning_department"].tolist()
    assert all(r[4].data_type == "s" and r[4].quotePrefix for r in rows)  # "=cmd|' /C calc'!A0" stays text
    assert all(r[6].is_date and r[6].value.date().isoformat() == "2019-05-06" for r in rows)
    assert [r[10].value for r in rows] == mine["workdays"].tolist()
    assert_no_formulas(wb)
    # without the rows only the counts are printed
    plain = open_xlsx(street_scorecard(hostile_ev, "武侯区", street, PERIOD)).active
    assert "交办部门" not in [c.value for row in plain.iter_rows() for c in row]


def test_page_header_escapes_ampersands(ev) -> None:
    ds = build_dataset()
    old, district = ds.register.loc[0, "street"], ds.register.loc[0, "district"]
    for table in (ds.register, ds.performance, ds.service, ds.unlisted):
        table.loc[table["street"].eq(old), "street"] = "A&B街道"
    ws = open_xlsx(street_scorecard(evaluate(ds), district, "A&B街道", PERIOD)).active
    # & starts a control code in a page header; && prints one &
    assert ws.oddHeader.left.text.startswith("A&&B街道 · ")


def test_district_without_a_list_prints_not_scored() -> None:
    ds = build_dataset()
    ds.list_items = ds.list_items.loc[ds.list_items["district"].ne("彭州市")].reset_index(drop=True)
    ws = open_xlsx(street_scorecard(evaluate(ds), "彭州市", "彭州甲街道", PERIOD)).active
    r = find_row(ws, "总分")
    assert ws.cell(r, 3).value == "未评分"
    assert ws.cell(find_row(ws, "清单年度", col=4), 6).value == "无职责任务清单"
    assert item_table(ws)[0][0] == "无"


CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def test_english_scorecards_print_street_types_grades_and_statuses_in_english(ev) -> None:
    scored = ev.scores_for(PERIOD).dropna(subset=["overall"])
    shown_types, shown_grades = set(), set()
    for street_type in ("城区街道", "涉农街道", "镇"):  # one street of each type
        s = scored[scored["street_type"].eq(street_type)].iloc[0]
        en = open_xlsx(street_scorecard(ev, s["district"], s["street"], PERIOD, lang="en")).active
        zh = open_xlsx(street_scorecard(ev, s["district"], s["street"], PERIOD, lang="zh")).active
        type_en = en.cell(find_row(en, text("street_type", "en")), 3).value
        grade_en = en.cell(find_row(en, text("overall", "en")), 6).value
        assert type_en == STREET_TYPE_EN[street_type] and not CJK.search(type_en)
        assert grade_en == GRADE_EN[s["grade"]] and not CJK.search(grade_en)
        # Chinese stays Chinese: the codes themselves
        assert zh.cell(find_row(zh, text("street_type", "zh")), 3).value == street_type
        assert zh.cell(find_row(zh, text("overall", "zh")), 6).value == s["grade"]
        statuses = [row[8] for row in item_table(en, "en") if row[8]]
        assert statuses and not any(CJK.search(v) for v in statuses)
        shown_types.add(type_en)
        shown_grades.add(grade_en)
    assert shown_types == {"Urban street", "Agriculture-related street", "Town"}
