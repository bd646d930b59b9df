"""The what-if page and the scorecard's peer switch in headless Chromium, on the real app."""

from __future__ import annotations

import re

import openpyxl
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def table_column(officer, grid: str, col: str) -> list:
    """The values of one column of an AG Grid, every row in displayed order (through the grid's API)."""
    return officer.grid_column(grid, col)


def test_moving_a_slider_changes_the_whatif_ranking_and_never_the_official(officer, live_server):
    ev = live_server.data.evaluation
    officer.open("/whatif")
    page = officer.page
    expect(page.locator("h1")).to_contain_text("权重模拟")
    official = table_column(officer, "whatif-official-table", "overall")
    official_ranks = table_column(officer, "whatif-official-table", "rank_city")
    before = table_column(officer, "whatif-table", "whatif_score")
    assert 5 < len(official) <= len(ev.scores_for(ev.periods[-1]).dropna(subset=["overall"]))
    handle = page.locator(".whatif-slider [role=slider]").first
    handle.focus()
    for _ in range(6):  # towards 5: the first function weighs most
        page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r".*weights=.*"))
    officer.settle()
    after = table_column(officer, "whatif-table", "whatif_score")
    assert after != before
    assert table_column(officer, "whatif-official-table", "overall") == official
    assert table_column(officer, "whatif-official-table", "rank_city") == official_ranks
    officer.screenshot("whatif")
    page.reload()
    officer.settle()
    assert table_column(officer, "whatif-table", "whatif_score") == after  # the weights come back from the URL
    assert officer.errors == [], "\n".join(officer.errors)


def test_scorecard_peer_switch_shows_the_peer_group(officer, live_server):
    ev = live_server.data.evaluation
    row = ev.scores_for(ev.periods[-1]).iloc[0]
    officer.open(f"/street?street={row['street']}&district={row['district']}&period={row['period']}")
    page = officer.page
    expect(page.locator("#street-header")).to_contain_text("区间")
    expect(page.locator("#street-sensitivity-fig .js-plotly-plot")).to_have_count(1)
    expect(page.locator("#street-peers-wrap")).to_be_hidden()
    page.locator("#street-peers-switch").check()
    expect(page.locator("#street-peers-wrap")).to_be_visible()
    page.wait_for_url(re.compile(r".*peers=1.*"))
    officer.settle()
    streets = table_column(officer, "street-peers-table", "street")
    assert streets[0] == row["street"] and len(streets) > 1
    officer.screenshot("street_peers")
    bookmark = page.url
    page.reload()  # a bookmarked or shared URL restores the peer table
    officer.settle()
    assert page.url == bookmark
    expect(page.locator("#street-peers-switch")).to_be_checked()
    expect(page.locator("#street-peers-wrap")).to_be_visible()
    assert table_column(officer, "street-peers-table", "street") == streets
    page.locator("#street-peers-switch").uncheck()
    expect(page.locator("#street-peers-wrap")).to_be_hidden()
    expect(page).not_to_have_url(re.compile("peers="))
    expect(page.locator("#street-header")).to_contain_text(row["street"])
    assert officer.errors == [], "\n".join(officer.errors)


def test_compare_peers_switch_shows_gaps_and_survives_a_reload(officer, live_server, tmp_path):
    page = officer.page
    officer.open("/compare")
    page.wait_for_url(re.compile(r".*districts=.*"))
    headers = lambda: officer.grid_headers("compare-table")  # noqa: E731  every column, in view or not
    y_title = page.locator("#compare-strip-fig .ytitle")
    expect(y_title).to_have_text("得分")
    assert "与近邻差" not in headers()
    assert "peers=" not in page.url
    page.locator("#compare-peers-switch").check()
    page.wait_for_url(re.compile(r".*peers=1.*"))
    expect(y_title).to_have_text("与近邻差（分）")
    expect(page.locator("#compare-peers-note")).to_contain_text("8 个街道")
    officer.settle()
    assert {"近邻中位数", "与近邻差"} <= set(headers())
    gaps = [g for g in table_column(officer, "compare-table", "gap_peers") if g is not None]
    assert gaps and any(g > 0 for g in gaps) and any(g < 0 for g in gaps)
    officer.screenshot("compare_peers")
    bookmark = page.url
    page.reload()
    officer.settle()
    assert page.url == bookmark
    expect(page.locator("#compare-peers-switch")).to_be_checked()
    expect(y_title).to_have_text("与近邻差（分）")
    assert {"近邻中位数", "与近邻差"} <= set(headers())
    with page.expect_download() as info:  # the download is the table on screen, peer columns included
        page.click("#compare-download-btn")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    header = next(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert list(header) == [h for h in headers() if h]
    page.locator("#compare-peers-switch").uncheck()
    expect(y_title).to_have_text("得分")
    expect(page).not_to_have_url(re.compile("peers="))
    assert officer.errors == [], "\n".join(officer.errors)
