"""Issue 15's 执法情况 in headless Chromium: 彭州's towns on the street scorecard and the comparison page."""

from __future__ import annotations

import pytest
from conftest import SCREENSHOTS
from playwright.sync_api import expect

from metrics.enforcement_labels import formatted

pytestmark = pytest.mark.browser

DISTRICT = "彭州市"


def _reported(ev):
    enf = ev.enforcement
    mine = enf.loc[enf["district"].eq(DISTRICT)]
    assert not mine.empty, "the samples give 彭州's towns 执法情况"
    period = str(mine["period"].max())
    return mine.loc[mine["period"].eq(period)], period


def test_the_street_scorecard_has_an_enforcement_section(officer, live_server):
    rows, period = _reported(live_server.data.evaluation)
    row = rows.iloc[0]
    street = str(row["street"])
    officer.open(f"/street?district={DISTRICT}&street={street}&period={period}")
    page = officer.page
    section = page.locator(".enforcement-section")
    expect(section.locator("h5")).to_have_text(f"执法情况（{street} · {period}）")
    expect(section.locator("p")).to_contain_text(f"执法监管清单（{row['list_year']}年）")
    grid = page.locator("#street-enf-table")
    line = grid.locator(".ag-row", has_text="按时办结率")
    expect(line.locator("[col-id=value]")).to_have_text(formatted("on_time_rate", row["on_time_rate"]))
    expect(line.locator("[col-id=target]")).to_have_text(formatted("on_time_target", row["on_time_target"]))
    expect(line.locator("[col-id=met]")).to_have_text("达标" if row["on_time_met"] else "未达标")
    score = grid.locator(".ag-row", has_text="执法得分")
    expect(score.locator("[col-id=value]")).to_have_text(formatted("enforcement_score", row["enforcement_score"]))
    section.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=str(SCREENSHOTS / "street_enforcement.png"))
    assert officer.errors == [], "\n".join(officer.errors)


def test_the_comparison_page_lists_the_towns_enforcement(officer, live_server):
    rows, period = _reported(live_server.data.evaluation)
    officer.open(f"/compare?period={period}&districts=武侯区,{DISTRICT}")
    page = officer.page
    section = page.locator(".enforcement-section")
    expect(section.locator("h5")).to_have_text(f"执法情况（{period}）")
    grid = page.locator("#compare-enf-table")
    expect(grid.locator(".ag-center-cols-container .ag-row")).to_have_count(len(rows))
    best = rows.sort_values("enforcement_score", ascending=False).iloc[0]
    first = "#compare-enf-table .ag-center-cols-container .ag-row[row-index='0']"
    expect(page.locator(f"{first} [col-id=street]")).to_have_text(str(best["street"]))
    score = formatted("enforcement_score", best["enforcement_score"])
    expect(page.locator(f"{first} [col-id=enf_enforcement_score]")).to_have_text(score)
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(SCREENSHOTS / "compare_enforcement.png"))
    assert officer.errors == [], "\n".join(officer.errors)
