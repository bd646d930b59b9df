"""The comparison page's score views in a real browser: switched by the officer, kept in the URL, with the rank
shifts and the citizen panel shown."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_browser import no_console_errors

pytestmark = pytest.mark.browser


def test_the_view_switch_is_kept_in_the_url_and_survives_a_reload(officer, live_server):
    page = officer.page
    officer.open("/compare?view=core")
    expect(page.locator("#compare-view input[value=core]")).to_be_checked()
    expect(page.locator(".view-note")).to_contain_text("共同核心")
    expect(page.locator(".views-shift-table tbody tr").first).to_be_visible()
    expect(page.locator(".core-coverage")).to_contain_text("%")
    expect(page.locator(".citizen-panel")).to_contain_text("Cronbach")
    page.locator("#compare-view label", has_text="区内标准化").click()
    expect(page).to_have_url(re.compile(r"view=standardised"))
    expect(page.locator(".view-note")).to_contain_text("百分位")
    officer.screenshot("compare_views")
    page.reload()
    expect(page.locator("#compare-view input[value=standardised]")).to_be_checked()
    expect(page.locator(".views-shift-table tbody tr").first).to_be_visible()
    no_console_errors(officer)
