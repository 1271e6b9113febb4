"""How any text gets onto ``index.html``: escaping, links to a system's details, severity labels.

Every text from the inventory goes through :func:`esc` (``html.escape``, quotes included), whichever
section writes it.
"""

from __future__ import annotations

from html import escape

from ..analysis.findings import Severity

SEVERITY_LABELS = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Info"}


def esc(text: object) -> str:
    """Text (from the inventory or not) for HTML content and quoted attribute values."""
    return escape(str(text), quote=True)


def system_link(sid: str, names: dict[str, str]) -> str:
    return f'<a href="#system-{esc(sid)}" data-system="{esc(sid)}">{esc(names.get(sid, sid))}</a>'
