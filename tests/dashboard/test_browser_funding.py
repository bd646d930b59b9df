"""Issue 15 on the burden page in headless Chromium: 事权财权匹配 and the 准入 ledger with the 非准禁入 list."""

from __future__ import annotations

import pytest
from conftest import SCREENSHOTS
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DISTRICT = "龙泉驿区"


def _fmt(value: float) -> str:
    return f"{value:,.0f}"


def test_the_burden_page_shows_duties_and_funds(officer, live_server):
    ev = live_server.data.evaluation
    period = ev.periods[-1]
    year = int(period[:4])
    row = ev.fund_match.set_index(["district", "year"]).loc[(DISTRICT, year)]
    officer.open(f"/burden?period={period}&districts={DISTRICT}")
    page = officer.page
    section = page.locator(".fund-match-section")
    expect(section.locator("h5")).to_have_text(f"事权财权匹配（{year}年）")
    cells = "#fund-match-table .ag-row .ag-cell"
    expect(page.locator(f"{cells}[col-id=district]")).to_have_text([DISTRICT])
    expect(page.locator(f"{cells}[col-id=delegated]")).to_have_text([str(int(row["delegated"]))])
    expect(page.locator(f"{cells}[col-id=delegated_without_funds]")).to_have_text(
        [str(int(row["delegated_without_funds"]))]
    )
    expect(page.locator(f"{cells}[col-id=yuan_per_workday]")).to_have_text([_fmt(row["yuan_per_workday"])])
    departments = ev.fund_match_by_department
    mine = departments.loc[departments["district"].eq(DISTRICT) & departments["year"].eq(year)]
    top = mine.sort_values(["delegated", "tasks"], ascending=False, kind="stable").iloc[0]
    first = "#fund-match-dept-table .ag-row[row-index='0'] .ag-cell"
    expect(page.locator(f"{first}[col-id=department]")).to_have_text(top["department"])
    expect(page.locator(f"{first}[col-id=delegated]")).to_have_text(str(int(top["delegated"])))
    section.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=str(SCREENSHOTS / "burden_fund_match.png"))
    assert officer.errors == [], "\n".join(officer.errors)


def test_the_burden_page_shows_the_access_ledger_and_no_entry_list(officer, live_server):
    ev = live_server.data.evaluation
    period = ev.periods[-1]
    listed = ev.no_entry.loc[ev.no_entry["period"].eq(period) & ev.no_entry["district"].eq(DISTRICT)]
    assert not listed.empty  # 龙泉驿's departments push unapproved tasks quarter after quarter in the samples
    ledger = ev.access_ledger.loc[ev.access_ledger["period"].eq(period) & ev.access_ledger["district"].eq(DISTRICT)]
    officer.open(f"/burden?period={period}&districts={DISTRICT}")
    page = officer.page
    top = ledger.sort_values(["not_approved", "tasks"], ascending=False).iloc[0]
    first = "#ledger-table .ag-row[row-index='0'] .ag-cell"
    expect(page.locator(f"{first}[col-id=department]")).to_have_text(top["department"])
    expect(page.locator(f"{first}[col-id=returned]")).to_have_text(str(int(top["returned"])))
    expect(page.locator("#no-entry-note")).to_contain_text(f"连续 {ev.config.no_entry_quarters} 个")
    expect(page.locator("#no-entry-table .ag-row")).to_have_count(len(listed))
    expect(page.locator("#no-entry-table .ag-cell[col-id=department]")).to_contain_text(
        listed["department"].tolist(), ignore_case=False
    )
    section = page.locator(".ledger-section")
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(SCREENSHOTS / "burden_ledger.png"))
    assert officer.errors == [], "\n".join(officer.errors)
