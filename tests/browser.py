"""Headless Chromium for the browser tests: Debian's ``chromium`` driven by Playwright's Python package.

No browser is ever downloaded (``playwright install`` is never run): Playwright is pointed at the
executable (``/usr/bin/chromium``, or ``$STACKMAP_CHROMIUM``). The tests skip with the reason when
Chromium or Playwright is missing, except in CI (``CI=true``), where they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("STACKMAP_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
"""Screenshots taken by the tests (git-ignored)."""


def require_browser() -> None:
    """Skip (or, in CI, fail) unless Playwright and Chromium are both there."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package (pip install -e '.[test]')")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"Chromium at {CHROMIUM} (scripts/ensure-chromium.sh, or apt-get install chromium; "
                       "or set STACKMAP_CHROMIUM)")
    if not missing:
        return
    reason = "browser tests need " + " and ".join(missing)
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: they must run in CI (CI=true)", pytrace=False)
    pytest.skip(reason)


@contextmanager
def playwright() -> Iterator[Any]:
    """Playwright's driver (one per process at a time)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def launch(p: Any, profile: Path, javascript: bool = True) -> Any:
    """A Chromium context with a fresh profile in ``profile`` (close it when done)."""
    context = p.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=ARGS, java_script_enabled=javascript,
        viewport={"width": 1280, "height": 900}, device_scale_factor=1, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    return context


class Recorder:
    """Everything a page says or asks for: console errors, uncaught exceptions, requests, dialogs."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"exception: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    @property
    def foreign(self) -> list[str]:
        """Requests for anything but the page's own file or inline data."""
        return [u for u in self.requests if not u.startswith(("file://", "data:"))]
