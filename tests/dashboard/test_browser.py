"""An evaluation officer at work in headless Chromium, on the real app and a real SQLite store.

Each test ends with no browser console errors. Screenshots of every page go to tmp/screenshots/
(or $STREETS_SCREENSHOTS).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import openpyxl
import pytest
from builders import write_report
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def choose(officer, dropdown_id: str, label: str) -> None:
    """Open a Dash 4 dropdown and pick the option whose text is label."""
    page = officer.page
    page.click(f"#{dropdown_id}")
    page.locator(".dash-dropdown-option", has_text=label).first.click()
    page.keyboard.press("Escape")
    officer.settle()


def query_of(url: str) -> dict[str, str]:
    return {k: unquote(v[0]) for k, v in parse_qs(urlparse(url).query).items()}


def no_console_errors(officer) -> None:
    assert officer.errors == [], "\n".join(officer.errors)


def expect_graph_title(page, text: str) -> None:
    """Wait until a chart's title shows text (SVG text has no innerText: attached, not visible)."""
    expect(page.locator(".js-plotly-plot .gtitle", has_text=text).first).to_be_attached()


def test_overview_filters_go_into_the_url_and_survive_a_reload(officer, live_server):
    ev = live_server.data.evaluation
    officer.open("/")
    expect(officer.page.locator("h1")).to_contain_text("总览")
    latest, older = ev.periods[-1], ev.periods[-2]
    expect_graph_title(officer.page, latest)
    officer.screenshot("overview")
    choose(officer, "filter-period", older)
    officer.page.wait_for_url(re.compile(f".*period={older}.*"))
    assert query_of(officer.page.url)["period"] == older
    expect_graph_title(officer.page, older)
    bookmark = officer.page.url
    officer.page.reload()
    officer.settle()
    assert officer.page.url == bookmark
    expect(officer.page.locator("#filter-period")).to_contain_text(older)
    expect_graph_title(officer.page, older)
    no_console_errors(officer)


def test_ranking_download_opens_in_openpyxl(officer, live_server, tmp_path):
    ev = live_server.data.evaluation
    officer.open("/")
    with officer.page.expect_download() as info:
        officer.page.click("#ranking-download-btn")
    path = Path(tmp_path / info.value.suggested_filename)
    info.value.save_as(path)
    assert path.suffix == ".xlsx"
    ws = openpyxl.load_workbook(path).active
    values = {c for row in ws.iter_rows(values_only=True) for c in row if c is not None}
    assert set(ev.scores_for(ev.periods[-1])["street"]) <= values
    # a street's name in the ranking table opens its scorecard
    first = officer.page.locator(
        "#overview-ranking-table .ag-center-cols-container .ag-row, "
        "#overview-ranking-table .ag-pinned-left-cols-container .ag-row"
    ).first
    expect(first.locator("[col-id=street]")).to_be_visible()
    name = first.locator("[col-id=street]").inner_text()
    first.locator("[col-id=street]").click()
    officer.page.wait_for_url(re.compile(r".*/street\?.*"))
    expect(officer.page.locator("#street-header")).to_contain_text(name)
    no_console_errors(officer)


def test_compare_point_click_opens_that_streets_scorecard(officer, live_server):
    ev = live_server.data.evaluation
    officer.open("/compare")
    officer.page.wait_for_url(re.compile(r".*districts=.*"))  # the view state reaches the URL
    query = query_of(officer.page.url)
    assert query["districts"].split(",")[:2] == ["武侯区", "龙泉驿区"] or len(query["districts"].split(",")) >= 2
    points = officer.page.locator(".boxlayer .point")
    shown = ev.scores_for(ev.periods[-1]).query("district in @query['districts'].split(',')")
    expect(points).to_have_count(len(shown.dropna(subset=["overall"])))
    officer.screenshot("compare")
    points.first.click(force=True)
    officer.page.wait_for_url(re.compile(r".*/street\?.*"))
    q = query_of(officer.page.url)
    expect(officer.page.locator("#street-header")).to_contain_text(q["street"])
    assert q["period"] == ev.periods[-1]
    no_console_errors(officer)


def test_compare_bookmark_with_two_districts_and_street_types(officer, live_server):
    ev = live_server.data.evaluation
    d = [x for x in ("武侯区", "彭州市") if x in ev.districts] or list(ev.districts[:2])
    officer.open(f"/compare?districts={','.join(d)}&mode=type&period={ev.periods[0]}")
    expect(officer.page.locator("#filter-period")).to_contain_text(ev.periods[0])
    expect(officer.page.locator("#filter-mode input[value=type]")).to_be_checked()
    ticks = officer.page.locator(".js-plotly-plot").first.locator(".xtick text")
    expect(ticks.first).to_be_attached()
    names = ticks.all_text_contents()
    assert set(names) <= {"城区街道", "涉农街道", "镇"} and names
    officer.page.click("#filter-mode input[value=own] + label, #filter-mode label:has-text('各区县按本区清单')")
    expect(officer.page).to_have_url(re.compile(r".*mode=own.*"))
    officer.settle()
    no_console_errors(officer)


def test_scorecard_items_sort_filter_and_download(officer, live_server, tmp_path):
    ev = live_server.data.evaluation
    row = ev.scores_for(ev.periods[-1]).sort_values("items_missing").iloc[-1]
    officer.open(f"/street?street={row['street']}&district={row['district']}&period={row['period']}")
    page = officer.page
    expect(page.locator("#street-header")).to_contain_text(row["street"])
    expect(page.locator("#street-flags")).to_contain_text(f"未报送的清单事项（计 0 分）：{int(row['items_missing'])}")
    expect(page.locator("#street-item-table .ag-center-cols-container .ag-row").first).to_be_visible()
    officer.screenshot("street")
    page.locator("#street-item-table .ag-header-cell", has_text="完成率").first.click()
    officer.settle()
    with page.expect_download() as info:
        page.click("#items-download-btn")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    ws = openpyxl.load_workbook(path).active
    assert ws.max_row - 1 == len(ev.items_for(row["district"], row["street"], row["period"]))
    with page.expect_download() as info:
        page.click("#scorecard-download-btn")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    values = {c for ws in openpyxl.load_workbook(path).worksheets for r in ws.iter_rows(values_only=True) for c in r}
    assert row["street"] in " ".join(str(v) for v in values if v is not None)
    no_console_errors(officer)


def test_language_switch_keeps_the_view(officer, live_server):
    ev = live_server.data.evaluation
    officer.open(f"/burden?period={ev.periods[-2]}")
    officer.screenshot("burden")
    officer.page.click("#lang-link")
    officer.page.wait_for_url(re.compile(r".*lang=en.*"))
    expect(officer.page.locator("h1")).to_contain_text("Burden monitor")
    assert query_of(officer.page.url)["period"] == ev.periods[-2]
    expect(officer.page.locator(".navbar")).to_contain_text("Overview")
    officer.settle()
    officer.screenshot("burden_en")
    no_console_errors(officer)


def test_english_mode_names_street_types_grades_and_statuses_in_english(officer, live_server):
    ev = live_server.data.evaluation
    page = officer.page
    officer.open(f"/compare?lang=en&mode=type&period={ev.periods[-1]}")
    types = {"Urban street", "Agriculture-related street", "Town"}
    ticks = page.locator("#compare-strip-fig .xtick text")
    expect(ticks).to_have_count(len(types))
    assert set(ticks.all_text_contents()) == types
    legend = page.locator("#compare-functions-fig .legendtext")
    expect(legend).to_have_count(len(types))
    assert set(legend.all_text_contents()) == types
    cells = officer.grid_column("compare-table", "street_type", formatted=True)
    assert cells and set(cells) <= types
    grades = set(officer.grid_column("compare-table", "grade", formatted=True)) - {"", None}
    assert grades and grades <= {"Excellent", "Good", "Pass", "Fail", "Not submitted"}
    officer.screenshot("compare_en")
    row = ev.scores_for(ev.periods[-1]).dropna(subset=["overall"]).sort_values("items_missing").iloc[-1]
    officer.open(f"/street?street={row['street']}&district={row['district']}&period={row['period']}&lang=en&peers=1")
    expect(page.locator("#street-peers-switch")).to_be_checked()
    peer_types = officer.grid_column("street-peers-table", "street_type", formatted=True)
    assert peer_types and set(peer_types) <= types
    statuses = set(officer.grid_column("street-item-table", "status", formatted=True)) - {"", None}
    assert statuses and statuses <= {"Done", "In progress", "Not started", "Not done"}
    expect(page.locator("#street-header .badge").first).to_be_visible()
    assert re.search(r"[\u4e00-\u9fff]", page.inner_text("#street-header .badge")) is None
    officer.screenshot("street_en")
    no_console_errors(officer)


def test_list_changes_and_not_found_pages(officer, live_server):
    officer.open("/lists")
    expect(officer.page.locator("h1")).to_contain_text("清单变化")
    expect(officer.page.locator(".js-plotly-plot")).to_have_count(1)
    officer.screenshot("lists")
    officer.open("/no-such-page")
    expect(officer.page.locator("body")).to_contain_text("页面不存在")
    officer.screenshot("not_found")
    no_console_errors(officer)


def test_upload_bad_then_good_workbook(writer, writer_server, tmp_path):
    officer, data = writer, writer_server.data
    ev = data.evaluation
    scores = ev.scores_for(ev.periods[-1])
    row = scores[scores["overall"].notna()].iloc[0]  # a street that reported (a 未报送 one has no score to revise)
    codes = ev.items_for(row["district"], row["street"], row["period"])
    listed = codes[codes["category"].astype(str).isin(["scored", "missing"])]["item_code"].astype(str).tolist()[:5]
    bad = write_report(tmp_path / "坏报表.xlsx", row["district"], "没有这个街道", row["period"], [(listed[0], -5)])
    good = write_report(
        tmp_path / "好报表.xlsx", row["district"], row["street"], row["period"], [(code, "100%") for code in listed]
    )
    before = data.store.fingerprint()
    officer.open("/data")
    page = officer.page
    page.set_input_files("#data-upload input[type=file]", str(bad))
    result = page.locator("#data-check-result")
    expect(result).to_contain_text("有错误，不能入库")
    expect(result).to_contain_text(re.compile(r"坏报表\.xlsx › 履职情况!?[A-Z]*\d*"))
    expect(page.locator("#data-confirm")).to_be_disabled()
    officer.settle()
    officer.screenshot("data_check")
    assert data.store.fingerprint() == before
    page.set_input_files("#data-upload input[type=file]", str(good))
    expect(page.locator(".check-card.check-ok")).to_be_visible()
    expect(page.locator("#data-confirm")).to_be_enabled()
    officer.settle()
    # before the confirm: what the file replaces and the street's score old → new, the store untouched
    preview = page.locator(".upload-preview")
    expect(preview.locator(".preview-replaced")).to_contain_text(row["street"])
    changed = preview.locator(".preview-changes tr", has_text=row["street"])
    expect(changed).to_contain_text(f"{row['overall']:.1f} → ")
    shown_new = re.search(rf"{row['overall']:.1f} → (\d+\.\d)", changed.inner_text()).group(1)
    officer.screenshot("data_preview")
    assert data.store.fingerprint() == before
    page.click("#data-confirm")
    expect(page.locator(".ingest-result")).to_contain_text("好报表.xlsx")
    officer.settle()
    assert data.store.fingerprint() != before
    data.wait_current()  # the new data's results, computed by the results process
    stored = data.evaluation.scores_for(row["period"])
    stored = stored[(stored["district"] == row["district"]) & (stored["street"] == row["street"])].iloc[0]
    assert f"{stored['overall']:.1f}" == shown_new  # the confirm stored what the preview showed
    expect(page.locator("#data-history-table .ag-row", has_text="好报表.xlsx").first).to_be_attached()
    # the report it replaced stays in history, marked as superseded by the new file
    expect(page.locator("#data-superseded-table .ag-row", has_text="好报表.xlsx").first).to_be_attached()
    officer.screenshot("data")
    no_console_errors(officer)
