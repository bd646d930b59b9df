"""Issue 15's 大项 drill-down in headless Chromium: the street scorecard and the list page of 龙泉驿区."""

from __future__ import annotations

import pytest
from conftest import SCREENSHOTS
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DISTRICT = "龙泉驿区"


def test_the_street_scorecard_has_a_score_per_major_item(officer, live_server):
    ev = live_server.data.evaluation
    period = ev.periods[-1]
    ms = ev.major_scores
    mine = ms.loc[ms["district"].eq(DISTRICT) & ms["period"].eq(period)]
    street = str(mine["street"].iloc[0])
    rows = mine.loc[mine["street"].eq(street)]
    assert len(rows) >= 15  # 龙泉驿's list has 21 大项 (some apply to 涉农 streets only)
    officer.open(f"/street?district={DISTRICT}&street={street}&period={period}")
    page = officer.page
    section = page.locator(".major-section")
    expect(section.locator("h5")).to_have_text(f"大项得分（{street} · {period}）")
    best = rows.sort_values("score", ascending=False).iloc[0]
    grid = page.locator("#street-major-table")
    header = grid.get_by_role("columnheader", name="得分", exact=True)
    header.click()  # ascending
    header.click()  # descending
    first = "#street-major-table .ag-row[row-index='0'] .ag-cell"
    expect(page.locator(f"{first}[col-id=major_score]")).to_have_text(f"{best['score']:.1f}")
    section.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=str(SCREENSHOTS / "street_majors.png"))
    assert officer.errors == [], "\n".join(officer.errors)


def test_the_list_page_has_the_districts_spread_per_major_item(officer, live_server):
    ev = live_server.data.evaluation
    md = ev.major_district
    mine = md.loc[md["district"].eq(DISTRICT)]
    period = mine["period"].max()
    rows = mine.loc[mine["period"].eq(period)]
    officer.open(f"/lists?district={DISTRICT}")
    page = officer.page
    section = page.locator(".major-section")
    expect(section.locator("h5")).to_have_text(f"大项得分（{DISTRICT} · {period}）")
    expect(section.locator(".empty-state")).to_have_count(0)
    grid = page.locator("#lists-major-table")
    grid.get_by_role("columnheader", name="街道中位数", exact=True).click()  # ascending
    low = rows.sort_values("median").iloc[0]
    first = "#lists-major-table .ag-row[row-index='0'] .ag-cell"
    expect(page.locator(f"{first}[col-id=major_item]")).to_have_text(low["major_item"])
    expect(page.locator(f"{first}[col-id=major_median]")).to_have_text(f"{low['median']:.1f}")
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(SCREENSHOTS / "lists_majors.png"))
    assert officer.errors == [], "\n".join(officer.errors)
