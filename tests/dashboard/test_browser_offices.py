"""Issue 15's 机构设置 in headless Chromium: a street that does not follow 5+X on its scorecard (verdict, chart,
offices, items without an office, in Chinese and English) and the districts' 5+X compliance on the comparison page."""

from __future__ import annotations

import pytest
from conftest import SCREENSHOTS
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DISTRICT, STREET = "武侯区", "火车南站街道"  # the samples' street without a 民生服务办公室


def _street(ev):
    model = ev.office_model.set_index(["district", "street"])
    row = model.loc[(DISTRICT, STREET)]
    assert row["office_verdict"] == "missing_standard", "the samples give 火车南站 no 民生服务办公室"
    offices = ev.offices.loc[ev.offices["street"].eq(STREET)]
    items = ev.office_items.loc[ev.office_items["street"].eq(STREET)]
    return row, offices, items


def test_the_street_scorecard_has_an_offices_section(officer, live_server):
    row, offices, items = _street(live_server.data.evaluation)
    officer.open(f"/street?district={DISTRICT}&street={STREET}")
    page = officer.page
    section = page.locator(".office-section")
    expect(section.locator("h5")).to_have_text(f"机构设置（{STREET}）")
    expect(section.locator(".office-verdict")).to_contain_text("缺少基本科室")
    expect(section.locator(".office-verdict")).to_contain_text("缺少 民生服务办公室")
    expect(section.locator(".office-verdict")).to_contain_text(f"X 科室 {row['x_offices']} 个")
    expect(section).to_contain_text(f"编制 {row['posts']:.0f} 人，在岗 {row['staff']:.0f} 人")
    grid = page.locator("#street-off-table")
    expect(grid.locator(".ag-center-cols-container .ag-row")).to_have_count(len(offices))
    first = offices.iloc[0]
    line = grid.locator(".ag-row", has_text=str(first["office"]))
    expect(line.locator("[col-id=off_items]")).to_have_text(f"{first['items']:,}")
    expect(section.locator(".office-unmatched-count")).to_contain_text(f"{len(items)} 项清单事项")
    top = "#street-off-unmatched-table .ag-center-cols-container .ag-row[row-index='0']"
    expect(page.locator(f"{top} [col-id=item_code]")).to_have_text(str(items.iloc[0]["item_code"]))
    expect(page.locator(f"{top} [col-id=off_office_named]")).to_have_text(str(items.iloc[0]["office_named"]))
    chart = page.locator("#street-off-fig")
    expect(chart.locator(".gtitle")).to_contain_text(f"各科室工作量 · {STREET}")
    expect(chart.locator(".gtitle-subtitle, .gsubtitle").first).to_contain_text("单位：项")
    expect(chart.locator(".legendtext")).to_have_text(["清单事项数", "清单外事项数"])
    section.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=str(SCREENSHOTS / "street_offices.png"))
    assert officer.errors == [], "\n".join(officer.errors)


def test_the_section_switches_to_english(officer, live_server):
    row, _, _ = _street(live_server.data.evaluation)
    officer.open(f"/street?district={DISTRICT}&street={STREET}&lang=en")
    expect(officer.page.locator(".office-section")).to_contain_text(f"{row['posts']:.0f} established posts")
    section = officer.page.locator(".office-section")
    expect(section.locator("h5")).to_have_text(f"Offices ({STREET})")
    expect(section.locator(".office-verdict")).to_contain_text("A standard office is missing")
    expect(section.locator(".office-verdict")).to_contain_text("Livelihood services office")
    expect(officer.page.locator("#street-off-table")).to_contain_text("Standard office")
    assert officer.errors == [], "\n".join(officer.errors)


def test_the_comparison_page_shows_5x_compliance_per_district(officer, live_server):
    officer.open("/compare?districts=武侯区,邛崃市")
    page = officer.page
    section = page.locator(".office-section")
    expect(section.locator("h5")).to_have_text("各区(市)县 5+X 机构设置情况")
    rows = page.locator("#compare-off-table .ag-center-cols-container .ag-row")
    expect(rows).to_have_count(2)
    wuhou = page.locator("#compare-off-table .ag-row", has_text="武侯区")
    expect(wuhou.locator("[col-id=off_not_following]")).to_have_text(STREET)
    expect(wuhou.locator("[col-id=off_follows]")).to_have_text("12")
    qionglai = page.locator("#compare-off-table .ag-row", has_text="邛崃市")
    expect(qionglai.locator("[col-id=off_not_following]")).to_have_text("羊安街道")
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(SCREENSHOTS / "compare_offices.png"))
    assert officer.errors == [], "\n".join(officer.errors)
