"""未报送 (FORMATS.md §6) on every page in headless Chromium: the late street of the samples is named, never ranked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/compare?districts=彭州市,武侯区",
        "/street?street=丹景山镇&district=彭州市",
        "/street?street=天彭街道&district=彭州市",
        "/burden",
        "/whatif",
    ],
)
def test_every_page_names_the_late_street(officer, live_server, path):
    ev = live_server.data.evaluation
    late = ev.scores.loc[~ev.scores["submitted"].to_numpy(dtype=bool)]
    assert len(late) == 1  # the samples' 彭州市 丹景山镇 in the latest quarter
    street, period = late["street"].iloc[0], late["period"].iloc[0]
    sep = "&" if "?" in path else "?"
    officer.open(f"{path}{sep}period={period}")
    note = officer.page.locator(".unsubmitted-note").first
    expect(note).to_contain_text("未报送 1 个")
    expect(note).to_contain_text(street)
    if path == "/":
        officer.screenshot("unsubmitted_overview")
    assert officer.errors == [], "\n".join(officer.errors)


def test_the_late_street_has_no_rank_on_the_overview(officer, live_server):
    ev = live_server.data.evaluation
    period = ev.periods[-1]
    officer.open(f"/?period={period}&districts=彭州市")
    page = officer.page
    cells = "#overview-ranking-table .ag-row[row-id='彭州市|丹景山镇'] .ag-cell"
    expect(page.locator(f"{cells}[col-id=grade]")).to_have_text("未报送")
    expect(page.locator(f"{cells}[col-id=rank_city]")).to_have_text("")
    assert officer.errors == [], "\n".join(officer.errors)
