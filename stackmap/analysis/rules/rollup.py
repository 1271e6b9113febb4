"""Stack-wide roll-ups: one finding for a gap that is a fact about the whole inventory.

When a spreadsheet import has no flows, or nobody recorded review statuses, a finding per system
says the same thing hundreds of times. A roll-up says it once, lists every system in its
``systems`` (so waivers and the JSON output still see them) and in its message (up to
:data:`LIST_LIMIT` names), and keeps one fingerprint while the list changes (its ``key``).
"""

from __future__ import annotations

from ..findings import Fact, Severity
from ...hints import plural

ROLLUP_MIN = 5
"""A systematic gap is rolled up only from this many systems on: below it, a finding per system
reads better."""

LIST_LIMIT = 20
"""Names shown in a roll-up's message; the rest are counted."""


def listing(ids: list[str]) -> str:
    """``a, b, c`` or ``a, b, … and 12 more``."""
    shown = ", ".join(ids[:LIST_LIMIT])
    rest = len(ids) - LIST_LIMIT
    return f"{shown} and {plural(rest, 'more', 'more')}" if rest > 0 else shown


def rollup(key: str, text: str, systems: list[str], severity: Severity | None = None,
           **details: object) -> Fact:
    """One stack-wide fact about ``systems``: ``text`` followed by the list."""
    return Fact(
        f"{text}: {listing(systems)}",
        systems=tuple(systems),
        key=key,
        severity=severity,
        details={"rollup": key, "count": len(systems), **details},
    )
