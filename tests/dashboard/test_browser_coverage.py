"""Issue 15's several scored lists in headless Chromium: the list page of 邛崃市 shows its 事务清单 against its duty
list both ways (duties never evaluated, 事务 with no duty) and the 清单对照 pairs."""

from __future__ import annotations

import pytest
from conftest import SCREENSHOTS
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DISTRICT = "邛崃市"


def test_the_list_page_shows_the_evaluation_list_coverage(officer, live_server):
    ev = live_server.data.evaluation
    summary = ev.coverage_summary.loc[ev.coverage_summary["district"].eq(DISTRICT)]
    if summary.empty:
        pytest.skip("the store holds no 事务清单 (DASHBOARD_TEST_DATA=built): the samples carry 邛崃's")
    row = summary.sort_values("year").iloc[-1]
    year = int(row["year"])
    officer.open(f"/lists?district={DISTRICT}")
    page = officer.page
    section = page.locator(".coverage-section")
    expect(section.locator("h5")).to_have_text(f"考核清单对照（{DISTRICT} · {year}）")
    expect(section.locator(".empty-state")).to_have_count(0)
    expect(section.get_by_text("未纳入考核的职责").first).to_be_visible()
    gaps = ev.coverage_gaps.query("district == @DISTRICT and year == @year")
    never = gaps.loc[gaps["side"].eq("duty_not_evaluated").to_numpy(dtype=bool), "item_code"].tolist()
    unbacked = gaps.loc[gaps["side"].eq("affairs_without_duty").to_numpy(dtype=bool), "item_code"].tolist()
    assert len(never) == int(row["duty_not_evaluated"]) > 0 and len(unbacked) == int(row["affairs_without_duty"]) > 0
    expect(page.locator("#coverage-duty-table .ag-row").first).to_be_visible()
    assert officer.grid_column("coverage-duty-table", "item_code") == never
    assert officer.grid_column("coverage-affairs-table", "item_code") == unbacked
    assert len(officer.grid_column("coverage-pairs-table", "affairs_code")) == int(row["pairs"])
    section.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=str(SCREENSHOTS / "lists_coverage.png"))
    assert officer.errors == [], "\n".join(officer.errors)
