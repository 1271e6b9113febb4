"""Load problems and findings as LSP diagnostics, by file, at their lines."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lsprotocol import types

from ..analysis.findings import Finding, Severity, Status
from ..errors import Problem
from ..load.workspace import Snapshot
from .state import State

SOURCE = "stackmap"
INVALID = "invalid-inventory"
_SEVERITY = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning,
             Severity.INFO: types.DiagnosticSeverity.Information}
_TOKEN = re.compile(r"""("[^"\n]*"?|'[^'\n]*'?|[^\s,\[\]{}#]+)""")


@lru_cache(maxsize=1)
def rules_doc() -> str | None:
    """The rule reference (``docs/rules.md``) beside the package when it is there (a source checkout)."""
    path = Path(__file__).resolve().parent.parent.parent / "docs" / "rules.md"
    return path.as_uri() if path.is_file() else None


def token_range(text: str | None, line: int, column: int) -> types.Range:
    """The range of the word at 0-based ``line``/``column`` (to the end of the line if none)."""
    lines = (text or "").split("\n")
    body = lines[line] if 0 <= line < len(lines) else ""
    match = _TOKEN.match(body, column) if column <= len(body) else None
    end = match.end() if match and match.end() > column else len(body)
    if end <= column:
        end = column + 1 if column < len(body) else column
    return types.Range(types.Position(line, column), types.Position(line, max(end, column)))


def collect(state: State, snap: Snapshot) -> dict[str, list[types.Diagnostic]]:
    """Every diagnostic of the snapshot, by display path."""
    out: dict[str, list[types.Diagnostic]] = {}
    texts: dict[str, str | None] = {}

    def text(display: str) -> str | None:
        if display not in texts:
            texts[display] = state.workspace.text_of(display)
        return texts[display]

    for p in snap.problems:
        out.setdefault(p.file, []).append(problem(p, text(p.file)))
    if snap.result is not None:
        href = rules_doc()
        for f in snap.result.findings:
            if f.status is Status.NEW:
                out.setdefault(f.location.file, []).append(finding(state, f, text(f.location.file), href))
    return out


def problem(p: Problem, text: str | None) -> types.Diagnostic:
    return types.Diagnostic(
        range=token_range(text, p.line - 1, p.column - 1), message=p.message, source=SOURCE,
        severity=types.DiagnosticSeverity.Error, code=INVALID,
        code_description=_link(INVALID, rules_doc()),
    )


def finding(state: State, f: Finding, text: str | None, href: str | None) -> types.Diagnostic:
    loc = f.location
    line = loc.line - 1
    lines = (text or "").split("\n")
    end = len(lines[line]) if 0 <= line < len(lines) else loc.column - 1
    related = [types.DiagnosticRelatedInformation(
        location=types.Location(state.uri(r.file), types.Range(types.Position(r.line - 1, r.column - 1),
                                                                types.Position(r.line - 1, r.column - 1))),
        message="also concerned") for r in f.related]
    return types.Diagnostic(
        range=types.Range(types.Position(line, loc.column - 1), types.Position(line, max(end, loc.column - 1))),
        message=f.message, source=SOURCE, severity=_SEVERITY[f.severity], code=f.rule,
        code_description=_link(f.rule, href), related_information=related or None,
        data={"fingerprint": f.fingerprint, "flow": f.flow, "systems": list(f.systems)},
    )


def _link(rule: str, href: str | None) -> types.CodeDescription | None:
    return types.CodeDescription(href=f"{href}#{rule}") if href else None
