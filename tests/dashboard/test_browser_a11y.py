"""Accessible, printable, readable pages: axe-core (bundled by axe-playwright-python) finds no serious or critical
violation on any page in Chinese or English; every chart has its table one click away; the keyboard reaches every
control; the tab title, <html lang> and the grids' own texts follow the language; printing hides the navigation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PAGES = (
    "/",
    "/compare",
    "/street",
    "/burden",
    "/departments",
    "/lists",
    "/whatif",
    "/submissions",
    "/data",
    "/no-such-page",
)
AXE = Axe()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_axe_violation(officer, path: str, lang: str) -> None:
    officer.open(path + ("?lang=en" if lang == "en" else ""))
    expect(officer.page.locator("main")).not_to_be_empty()  # the page is filled (open waited for Dash to be idle)
    expect(officer.page.locator("html[data-a11y-pending]")).to_have_count(0)  # a11y.js caught up with the render
    violations = AXE.run(officer.page).response["violations"]
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []
    assert officer.page.evaluate("document.documentElement.lang") == ("en" if lang == "en" else "zh-CN")


def test_every_chart_has_its_table_one_click_away(officer) -> None:
    officer.open("/compare")
    page = officer.page
    charts = page.locator(".js-plotly-plot")
    assert charts.count() >= 3
    for i in range(charts.count()):
        assert charts.nth(i).get_attribute("role") == "figure" and charts.nth(i).get_attribute("aria-label")
    card = page.locator(".card", has=page.locator(".js-plotly-plot")).first
    card.locator(".chart-table-toggle").click()
    table = card.locator(".chart-table table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first).to_be_visible()
    expect(card.locator(".chart-table-toggle")).to_have_attribute("aria-expanded", "true")
    card.locator(".chart-table-toggle").click()
    expect(card.locator(".chart-table")).to_be_hidden()


@pytest.mark.parametrize("path", ["/whatif", "/data", "/submissions"])
def test_the_keyboard_reaches_every_control(officer, path: str) -> None:
    officer.open(path)
    page = officer.page
    # Controls outside the grids (a grid is one tab stop; its cells move with the arrow keys).
    page.wait_for_selector("main button, main [role=slider]")
    # Controls outside the grids (a grid is one tab stop; its cells move with the arrow keys). A Dash dropdown is
    # its button: the focus proxy beside it hands the focus on to it.
    wanted = page.evaluate(
        """() => Array.from(document.querySelectorAll(
             'main button, main a[href], main input:not([type=file]):not([type=hidden]), main [role=slider]'))
           .filter(e => e.getClientRects().length > 0 && !e.closest('.ag-root-wrapper') && !e.disabled
                        && !e.classList.contains('dash-dropdown-focus-target'))
           .map((e, i) => { e.dataset.kb = String(i); return String(i); })"""
    )
    assert wanted
    reached = set()
    page.locator("body").focus()
    for _ in range(len(wanted) * 3 + 80):
        page.keyboard.press("Tab")
        mark = page.evaluate("document.activeElement && document.activeElement.dataset.kb")
        if mark is not None:
            reached.add(mark)
        if reached >= set(wanted):
            break
    assert set(wanted) - reached == set()


def test_title_and_grid_texts_follow_the_language(officer) -> None:
    officer.open("/submissions?lang=en")
    page = officer.page
    page.wait_for_function("document.title.startsWith('Submissions')")
    assert "Street Duty Scorecard" in page.title()
    officer.open("/submissions")
    page.wait_for_function("document.title.startsWith('报送情况')")
    no_rows = page.evaluate("dash_ag_grid.getApi('submissions-table').getGridOption('localeText').noRowsToShow")
    assert no_rows == "没有数据"
    officer.screenshot("submissions")


def test_print_hides_the_navigation(officer) -> None:
    officer.open("/")
    page = officer.page
    expect(page.locator(".navbar")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".navbar")).to_be_hidden()
    expect(page.locator(".chart-table-toggle").first).to_be_hidden()
    page.emulate_media(media="screen")


A4_WIDTH_PX = 703  # 210 mm less the print stylesheet's 2 × 12 mm margins, at CSS's 96 px per inch

GRIDS_AS_PRINTED = """() => Array.from(document.querySelectorAll('.ag-theme-alpine[id]')).map(el => {
  const api = window.dash_ag_grid.getApi(el.id);
  const table = el.nextElementSibling;
  const ok = table && table.classList.contains('print-table');
  let rows = 0;
  api.forEachNodeAfterFilterAndSort(() => rows++);
  return {
    id: el.id,
    columns: api.getAllDisplayedColumns().map(c => api.getDisplayNameForColumn(c, 'header')),
    printed: ok ? Array.from(table.tHead.rows[0].cells).map(c => c.textContent) : null,
    rows: rows,
    printedRows: ok ? table.tBodies[0].rows.length : null,
    overflow: ok ? table.scrollWidth - table.parentElement.clientWidth : null,
    gridShown: el.getClientRects().length > 0,
  };
})"""


@pytest.mark.parametrize("path", ["/", "/compare", "/burden"])
def test_wide_tables_print_every_column_and_row_within_the_a4_width(officer, path: str) -> None:
    officer.open(path)
    page = officer.page
    expect(page.locator(".ag-theme-alpine .ag-row").first).to_be_visible()
    page.set_viewport_size({"width": A4_WIDTH_PX, "height": 1000})
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    grids = page.evaluate(GRIDS_AS_PRINTED)
    assert max(len(g["columns"]) for g in grids) >= 10  # a wide one: the page would cut it without the print table
    for g in grids:
        assert g["printed"] == g["columns"], g["id"]
        assert g["printedRows"] == g["rows"], g["id"]
        assert g["overflow"] <= 0, g["id"]
        assert not g["gridShown"], g["id"]
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    expect(page.locator(".print-table")).to_have_count(0)
    expect(page.locator(".ag-theme-alpine[id]").first).to_be_visible()
