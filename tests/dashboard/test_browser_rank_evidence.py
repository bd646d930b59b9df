"""Tiers on the overview and the "why did my rank change?" panel on the scorecard, in headless Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_overview_shows_tiers_beside_the_rank(officer, live_server):
    ev = live_server.data.evaluation
    period = ev.periods[-1]
    officer.open(f"/?period={period}")
    summary = officer.page.locator("#tier-summary")
    expect(summary).to_contain_text("个档次")
    expect(officer.page.locator(".ag-header-cell-text", has_text="档次").first).to_be_visible()
    expect(officer.page.locator(".ag-header-cell-text", has_text="无明显差别").first).to_be_visible()
    officer.screenshot("overview_tiers")
    assert officer.errors == [], "\n".join(officer.errors)


def test_scorecard_explains_why_the_rank_changed(officer, live_server):
    ev = live_server.data.evaluation
    period = ev.periods[-1]
    row = ev.scores_for(period).dropna(subset=["change_year_ago"]).iloc[0]
    officer.open(f"/street?district={row['district']}&street={row['street']}&period={period}")
    why = officer.page.locator("#street-why")
    expect(why).to_contain_text("名次为什么变化")
    expect(why).to_contain_text(f"{row['change_year_ago']:+.2f}")
    expect(officer.page.locator("#street-evidence")).to_contain_text("因未报送失分")
    expect(officer.page.locator("#street-overlap-card")).to_contain_text("先后顺序不明确")
    full = officer.screenshot("street_why")
    why.screenshot(path=str(full.with_name("street_why_panel.png")))  # the panel alone, readable
    assert officer.errors == [], "\n".join(officer.errors)
