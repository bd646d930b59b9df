"""First-usable time of each page in headless Chromium: from navigation until the filters are on screen and
enabled, and until the page stops changing (charts filled in). Run alone: `python bench/bench_first_usable.py URL`.

"Usable" = every dropdown of the page's filter bar is visible and no Dash loading marker is left on the controls.
"""

from __future__ import annotations

import statistics
import sys
import time

from playwright.sync_api import sync_playwright

PAGES = ("/", "/compare", "/street", "/burden", "/lists", "/whatif", "/submissions", "/data")
ROUNDS = 3
USABLE_JS = """() => {
  const main = document.querySelector('main');
  if (!main) return false;
  const controls = main.querySelectorAll('.dash-dropdown, button, [role=slider]');
  return controls.length > 0 && Array.from(controls).every(e => e.getClientRects().length > 0);
}"""
SETTLED_JS = """() => !document.querySelector('[data-dash-is-loading="true"]')
  && document.querySelectorAll('.js-plotly-plot .main-svg').length
     >= document.querySelectorAll('.js-plotly-plot').length"""


def measure(page, url: str) -> tuple[float, float]:
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(USABLE_JS, timeout=30000, polling=20)
    usable = time.perf_counter() - t0
    page.wait_for_load_state("networkidle")
    page.wait_for_function(SETTLED_JS, timeout=30000, polling=50)
    return usable, time.perf_counter() - t0


def main(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(base + "/")  # warm the server's caches once
        page.wait_for_load_state("networkidle")
        print(f"{'page':14} {'usable s (median)':>18} {'settled s (median)':>19}")
        for path in PAGES:
            runs = [measure(page, base + path) for _ in range(ROUNDS)]
            usable = statistics.median(r[0] for r in runs)
            settled = statistics.median(r[1] for r in runs)
            print(f"{path:14} {usable:18.2f} {settled:19.2f}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8050")
