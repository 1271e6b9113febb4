"""The preview's page: the report page of the current inventory, or the last good one with a banner.

The report page (:mod:`stackmap.report`) is complete without JavaScript; the preview adds a banner
when the inventory or the configuration is invalid and a small script that reloads the page when
the server says it changed (server-sent events from ``/events``, allowed by adding
``connect-src 'self'`` to the page's Content-Security-Policy, and the script by its SHA-256 in
``script-src``, like the page's own).
"""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import StackmapError
from ..load.loader import Cycles
from ..load.workspace import Workspace

if TYPE_CHECKING:
    from ..analysis.config import Config

CSP_FROM = "default-src 'none';"
CSP_TO = "default-src 'none'; connect-src 'self';"
BANNER_ID = "stackmap-preview-banner"
LIVE_CODE = """
(function () {
  if (!window.EventSource) return;
  var seen = null;
  var source = new EventSource("/events");
  source.addEventListener("version", function (event) {
    if (seen !== null && event.data !== seen) { window.location.reload(); }
    seen = event.data;
  });
})();
"""
LIVE_SCRIPT = f"<script>{LIVE_CODE}</script>\n"
_BANNER_STYLE = ("position:sticky;top:0;z-index:1000;margin:0;padding:0.75rem 1rem;background:#8b1a1a;"
                 "color:#fff;font:1rem/1.4 system-ui,sans-serif")
_MAX_LISTED = 20


@dataclass
class Page:
    """What ``GET /`` serves now."""

    version: int
    html: bytes
    valid: bool


class Preview:
    """Builds the page from the workspace, keeping the last good report."""

    def __init__(self, workspace: Workspace, title: str, config: Config) -> None:
        self.workspace = workspace
        self.title = title
        self.config = config
        self.config_error: str | None = None
        """Why the configuration last failed to load; while set, the page is the last good one."""
        self.version = 0
        self._good: str | None = None
        self.page = Page(0, b"", False)
        self.cycles = Cycles()

    def rebuild(self, today: datetime.date) -> Page:
        """Build the page again from the workspace (never raises for anything in a file)."""
        from ..analysis.graph import Stack
        from ..report import format_html
        from ..report import build as build_report

        self.version += 1
        if self.config_error is not None:
            self.page = Page(self.version, _finish(self._good or _empty(self.title), [self.config_error],
                                                   "configuration"), False)
            return self.page
        snap = self.workspace.snapshot(self.config, today)
        self.cycles.analysed()
        problems: list[str]
        if snap.result is not None and snap.inventory is not None:
            try:
                report = build_report(Stack(snap.inventory, self.config.options), self.config, self.title, today)
                self._good = _allow_live_script(format_html(report))
                self.page = Page(self.version, _finish(self._good, None), True)
                return self.page
            except StackmapError as exc:
                problems = [str(exc)]
        else:
            problems = [str(p) for p in snap.problems] or [snap.error or "the inventory cannot be read"]
        self.page = Page(self.version, _finish(self._good or _empty(self.title), problems), False)
        return self.page


def _allow_live_script(page: str) -> str:
    """The report page's policy, also allowing the event stream and (by its hash) the live script."""
    page = page.replace(CSP_FROM, CSP_TO, 1)
    return page.replace("script-src ", f"script-src '{_live_hash()}' ", 1)


def _banner(problems: list[str], what: str) -> str:
    shown = "".join(f'<li><code style="white-space:pre-wrap">{html.escape(p)}</code></li>'
                    for p in problems[:_MAX_LISTED])
    more = f"<li>… and {len(problems) - _MAX_LISTED} more</li>" if len(problems) > _MAX_LISTED else ""
    return (f'<div id="{BANNER_ID}" role="alert" style="{_BANNER_STYLE}"><strong>The {what} is invalid: '
            f"this page shows the last valid version.</strong><ul>{shown}{more}</ul></div>\n")


def _finish(page: str, problems: list[str] | None, what: str = "inventory") -> bytes:
    """The page with the banner (if any) after ``<body>`` and the live script before ``</body>``."""
    if problems:
        page = page.replace("<body>\n", "<body>\n" + _banner(problems, what), 1)
    head, sep, tail = page.rpartition("</body>")
    page = head + LIVE_SCRIPT + sep + tail if sep else page + LIVE_SCRIPT
    return page.encode("utf-8")


def _live_hash() -> str:
    """The CSP source expression allowing the live script."""
    from ..report.html import script_hashes

    (live,) = script_hashes(LIVE_CODE)
    return live


def _empty(title: str) -> str:
    live = _live_hash()
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP_TO} style-src 'unsafe-inline'; "
            f"script-src '{live}'\">\n<title>{html.escape(title)}</title>\n</head>\n<body>\n"
            f"<h1>{html.escape(title)}</h1>\n<p>No valid version of the inventory yet.</p>\n</body>\n</html>\n")
