"""What several reporters share: which findings to show, level names, bounded text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..analysis.findings import Finding, Severity, Status

if TYPE_CHECKING:
    from . import ReportContext


def shown(findings: list[Finding], ctx: ReportContext) -> list[Finding]:
    """New findings, plus waived and baselined ones when asked for."""
    if ctx.show_suppressed:
        return list(findings)
    return [f for f in findings if f.status is Status.NEW]


def counts(findings: list[Finding]) -> dict[str, int]:
    """New findings by severity, then suppressed ones by status."""
    out = {s.value: sum(1 for f in findings if f.severity is s and f.status is Status.NEW) for s in Severity}
    for status in (Status.WAIVED, Status.BASELINED):
        out[status.value] = sum(1 for f in findings if f.status is status)
    return out


def rule_name(rule_id: str) -> str:
    """``customer-data-silo`` → ``CustomerDataSilo`` (SARIF's ``name``)."""
    return "".join(part.capitalize() for part in rule_id.split("-"))


def rule_catalog() -> list[tuple[str, Severity, str, str]]:
    """(id, default severity, summary, manual) of every rule and policy finding, sorted by id."""
    import inspect

    from ..analysis.engine import POLICY_RULES
    from ..analysis.rules import RULES

    out = [(r.ID, r.SEVERITY, r.SUMMARY, inspect.cleandoc(r.__doc__ or r.SUMMARY)) for r in RULES.values()]
    out += [(r.ID, r.SEVERITY, r.SUMMARY, r.__doc__) for r in POLICY_RULES.values()]
    return sorted(out)


def first_paragraph(manual: str) -> str:
    body = manual.partition("\n\n")[2] or manual
    return " ".join(body.split("\n\n")[0].split())


BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
"""Bidirectional formatting characters: they reorder what a reader sees (a U+202E reverses the rest)."""
CONTROL_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0, 9), 11, 12, *range(14, 32), *range(127, 160))}
CONTROL_ESCAPES.update({c: f"\\u{c:04x}" for c in BIDI})
"""Control characters (tab, newline and carriage return aside) shown as ``\\xNN``, bidirectional
formatting characters as ``\\uNNNN``: user values must not carry terminal escapes into a CI log or a
terminal, nor reorder what a reviewer reads."""


def escaper(table: dict[int, str]) -> Callable[[str], str]:
    """A function that applies ``table`` (code point → escape) to a text, cheaply when nothing in it
    needs escaping: ``str.translate`` with a dictionary looks up every character of a non-ASCII text
    (~26 µs for a typical message), a search for the characters costs a fraction of that."""
    needs = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(table)) + "]")

    def escape(text: str) -> str:
        if (text.isascii() and text.isprintable()) or needs.search(text) is None:
            return text
        return text.translate(table)

    return escape


no_control = escaper(CONTROL_ESCAPES)
"""``text`` with control characters other than tab, newline and carriage return, and bidirectional
formatting characters, escaped."""


_MD_ESCAPES = str.maketrans({
    "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "|": "\\|",
    "<": "&lt;", ">": "&gt;", "&": "&amp;", "@": "&#64;", "#": "\\#", "~": "\\~",
    "\n": " ", "\r": " ", **CONTROL_ESCAPES,
})


def md(text: str) -> str:
    """Text safe inside Markdown (table cells included): no markup, no HTML, no @-mentions."""
    return text.translate(_MD_ESCAPES)


def md_code(text: str) -> str:
    """An inline code span for a path or id (backticks and newlines removed)."""
    return "`" + text.replace("`", "'").replace("\n", " ").replace("|", "\\|") + "`"
