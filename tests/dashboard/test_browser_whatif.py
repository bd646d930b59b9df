"""The what-if page and the scorecard's peer switch in headless Chromium, on the real app."""

from __future__ import annotations

import re

import openpyxl
import pytest

pytestmark = pytest.mark.browser


def table_column(page, grid: str, col: str) -> list[str]:
    """The texts of one column of an AG Grid's rendered rows (it renders those on screen), in row order."""
    page.locator(f"#{grid} .ag-row .ag-cell[col-id={col}]").first.wait_for()
    return page.evaluate(
        """([grid, col]) => Array.from(document.querySelectorAll(`#${grid} .ag-row`))
            .map(r => [Number(r.getAttribute('row-index')), r.querySelector(`.ag-cell[col-id=${col}]`)])
            .filter(([, cell]) => cell !== null)
            .sort((a, b) => a[0] - b[0])
            .map(([, cell]) => cell.innerText)""",
        [grid, col],
    )


def test_moving_a_slider_changes_the_whatif_ranking_and_never_the_official(officer, live_server):
    ev = live_server.data.evaluation
    officer.open("/whatif")
    page = officer.page
    assert "权重模拟" in page.inner_text("h1")
    official = table_column(page, "whatif-official-table", "overall")
    official_ranks = table_column(page, "whatif-official-table", "rank_city")
    before = table_column(page, "whatif-table", "whatif_score")
    assert 5 < len(official) <= len(ev.scores_for(ev.periods[-1]).dropna(subset=["overall"]))  # rows on screen
    handle = page.locator(".whatif-slider [role=slider]").first
    handle.focus()
    for _ in range(6):  # towards 5: the first function weighs most
        page.keyboard.press("ArrowRight")
    officer.settle()
    page.wait_for_url(re.compile(r".*weights=.*"))
    after = table_column(page, "whatif-table", "whatif_score")
    assert after != before
    assert table_column(page, "whatif-official-table", "overall") == official
    assert table_column(page, "whatif-official-table", "rank_city") == official_ranks
    officer.screenshot("whatif")
    page.reload()
    officer.settle()
    assert table_column(page, "whatif-table", "whatif_score") == after  # the weights come back from the URL
    assert officer.errors == [], "\n".join(officer.errors)


def test_scorecard_peer_switch_shows_the_peer_group(officer, live_server):
    ev = live_server.data.evaluation
    row = ev.scores_for(ev.periods[-1]).iloc[0]
    officer.open(f"/street?street={row['street']}&district={row['district']}&period={row['period']}")
    page = officer.page
    assert "区间" in page.inner_text("#street-header")
    assert page.locator("#street-sensitivity-fig .js-plotly-plot").count() == 1
    assert page.is_hidden("#street-peers-wrap")
    page.locator("#street-peers-switch").check()
    officer.settle()
    assert page.is_visible("#street-peers-wrap")
    page.wait_for_url(re.compile(r".*peers=1.*"))
    streets = table_column(page, "street-peers-table", "street")
    assert streets[0] == row["street"] and len(streets) > 1
    officer.screenshot("street_peers")
    bookmark = page.url
    page.reload()  # a bookmarked or shared URL restores the peer table
    officer.settle()
    assert page.url == bookmark and page.is_checked("#street-peers-switch")
    assert page.is_visible("#street-peers-wrap")
    assert table_column(page, "street-peers-table", "street") == streets
    page.locator("#street-peers-switch").uncheck()
    officer.settle()
    assert "peers=" not in page.url and page.is_hidden("#street-peers-wrap")
    assert row["street"] in page.inner_text("#street-header")
    assert officer.errors == [], "\n".join(officer.errors)


def test_compare_peers_switch_shows_gaps_and_survives_a_reload(officer, live_server, tmp_path):
    page = officer.page
    officer.open("/compare")
    page.wait_for_url(re.compile(r".*districts=.*"))
    headers = lambda: page.locator("#compare-table .ag-header-cell-text").all_text_contents()  # noqa: E731
    y_title = lambda: page.locator("#compare-strip-fig .ytitle").text_content()  # noqa: E731
    assert "与近邻差" not in headers() and y_title() == "得分"
    assert "peers=" not in page.url
    page.locator("#compare-peers-switch").check()
    officer.settle()
    page.wait_for_url(re.compile(r".*peers=1.*"))
    assert {"近邻中位数", "与近邻差"} <= set(headers())
    assert y_title() == "与近邻差（分）"
    assert "8 个街道" in page.inner_text("#compare-peers-note")
    gaps = [float(g.replace("−", "-")) for g in table_column(page, "compare-table", "gap_peers") if g]  # d3: U+2212
    assert gaps and any(g > 0 for g in gaps) and any(g < 0 for g in gaps)
    officer.screenshot("compare_peers")
    bookmark = page.url
    page.reload()
    officer.settle()
    assert page.url == bookmark and page.is_checked("#compare-peers-switch")
    assert {"近邻中位数", "与近邻差"} <= set(headers()) and y_title() == "与近邻差（分）"
    with page.expect_download() as info:  # the download is the table on screen, peer columns included
        page.click("#compare-download-btn")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    header = next(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert list(header) == [h for h in headers() if h]
    page.locator("#compare-peers-switch").uncheck()
    officer.settle()
    assert "peers=" not in page.url and y_title() == "得分"
    assert officer.errors == [], "\n".join(officer.errors)
