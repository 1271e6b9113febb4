"""Take a screenshot of a report's index.html in headless Chromium (Debian's ``chromium``).

Usage: ``python scripts/screenshot_report.py [REPORT_DIR] [PNG] [SYSTEM]`` (defaults:
docs/example-report, REPORT_DIR/screenshot.png, and salesforce: that system's details shown beside
the overview, which is legible as drawn).
Needs the ``playwright`` Python package (a test dependency) and Chromium at ``/usr/bin/chromium``
or ``$STACKMAP_CHROMIUM``; no browser is ever downloaded.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

CHROMIUM = os.environ.get("STACKMAP_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "docs/example-report").resolve()
    target = Path(argv[1]) if len(argv) > 1 else folder / "screenshot.png"
    system = argv[2] if len(argv) > 2 else "salesforce"
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="stackmap-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1440, "height": 900}, device_scale_factor=1, reduced_motion="reduce")
        page = context.new_page()
        page.goto((folder / "index.html").as_uri())
        page.locator(f'table.systems a[data-system="{system}"]').click()  # selects it and centres it
        page.locator("#details").wait_for(state="visible")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(target))
        context.close()
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
