"""The department scorecard page (issue 15, 考核权) in headless Chromium: 龙泉驿区's streets rate its departments."""

from __future__ import annotations

import pytest
from conftest import SCREENSHOTS
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DISTRICT = "龙泉驿区"


def test_the_department_page_ranks_departments_and_shows_one(officer, live_server):
    ev = live_server.data.evaluation
    period = ev.periods[-1]
    mine = ev.departments.loc[ev.departments["district"].eq(DISTRICT) & ev.departments["period"].eq(period)]
    if not mine["n_streets"].gt(0).any():
        pytest.skip("the session store holds the built dataset (no department ratings)")
    best = mine.loc[mine["rank"].eq(1)].iloc[0]
    few = mine.loc[mine["n_streets"].between(1, 2)]
    officer.open(f"/departments?period={period}&districts={DISTRICT}")
    page = officer.page
    expect(page.locator("h1")).to_have_text("部门评价")
    first = "#dept-table .ag-row[row-index='0'] .ag-cell"
    expect(page.locator(f"{first}[col-id=department]")).to_have_text(best["department"])
    expect(page.locator(f"{first}[col-id=rank]")).to_have_text("1")
    expect(page.locator(f"{first}[col-id=interval]")).to_have_text(f"{best['low']:.1f}–{best['high']:.1f}")
    expect(page.locator("#dept-title")).to_have_text(f"部门详情：{best['department']}")
    expect(page.locator("#dept-facts .stat-card")).to_have_count(6)
    intervals = officer.grid_column("dept-table", "interval")
    assert len(few) and sum("不足 3 个" in (v or "") for v in intervals) == len(few)
    expect(page.locator("#dept-rank-fig .main-svg").first).to_be_visible()
    expect(page.locator("#advice-table .ag-row").first).to_be_visible()
    officer.screenshot("departments")
    # choose another department: its detail follows
    other = mine.loc[mine["rank"].eq(2)].iloc[0]["department"]
    page.locator("#dept-select").click()
    page.get_by_role("option", name=other, exact=True).click()
    expect(page.locator("#dept-title")).to_have_text(f"部门详情：{other}")
    officer.settle()
    assert officer.errors == [], "\n".join(officer.errors)
    assert SCREENSHOTS.joinpath("departments.png").exists()
