"""Load problems, findings and configuration errors as LSP diagnostics, by file, at their lines."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from lsprotocol import types

from ..analysis.findings import Finding, Severity, Status
from ..errors import Problem
from ..load.workspace import Snapshot
from .state import State

SOURCE = "stackmap"
INVALID = "invalid-inventory"
INVALID_CONFIG = "invalid-configuration"
_AT = re.compile(r"(\d+):(\d+): (.+)")
"""What follows the file name in a configuration error's ``file:line:col: message``."""
_SEVERITY = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning,
             Severity.INFO: types.DiagnosticSeverity.Information}
_TOKEN = re.compile(r"""("[^"\n]*"?|'[^'\n]*'?|[^\s,\[\]{}#]+)""")


@lru_cache(maxsize=1)
def rules_doc() -> str | None:
    """The rule reference (``docs/rules.md``) beside the package when it is there (a source checkout)."""
    path = Path(__file__).resolve().parent.parent.parent / "docs" / "rules.md"
    return path.as_uri() if path.is_file() else None


def token_range(lines: list[str], line: int, column: int) -> types.Range:
    """The range of the word at 0-based ``line``/``column`` (to the end of the line if none)."""
    body = lines[line] if 0 <= line < len(lines) else ""
    match = _TOKEN.match(body, column) if column <= len(body) else None
    end = match.end() if match and match.end() > column else len(body)
    if end <= column:
        end = column + 1 if column < len(body) else column
    return types.Range(types.Position(line, column), types.Position(line, max(end, column)))


Keyed = dict[str, list[tuple[object, types.Diagnostic]]]
"""Diagnostics by display path, each with a key that changes whenever the diagnostic does."""


def collect(state: State, snap: Snapshot) -> Keyed:
    """Every diagnostic of the snapshot and of an invalid configuration, by display path; a diagnostic
    whose key was seen in the previous run is reused rather than built again (thousands of findings
    at 10,000 systems), and so is the key of a finding that is the same object as before in a file
    whose text is the same."""
    out: Keyed = {}
    before = state.diagnostic_cache
    made: dict[object, types.Diagnostic] = {}
    texts: dict[str, list[str]] = {}
    links: dict[str, str] = {}
    kept_lines = state.lines_cache
    keys_before = state.finding_keys
    keys: dict[int, tuple[Finding, list[str], str]] = {}

    def lines(display: str) -> list[str]:
        found = texts.get(display)
        if found is None:
            source = state.workspace.source_of(display)
            kept = kept_lines.get(display)
            if kept is not None and source is not None and kept[0] is source:
                found = kept[1]
            else:
                found = (state.workspace.text_of(display) or "").split("\n")
                if source is not None:
                    kept_lines[display] = (source, found)
            texts[display] = found
        return found

    def uri(display: str) -> str:
        if display not in links:
            links[display] = state.uri(display)
        return links[display]

    for display, diag in configuration(state):
        at = diag.range
        out.setdefault(display, []).append(
            ((INVALID_CONFIG, at.start.line, at.start.character, at.end.character, diag.message), diag))
    for p in snap.problems:
        text = lines(p.file)
        key: object = (p, text[p.line - 1] if 0 < p.line <= len(text) else "")
        diag = made.get(key) or before.get(key) or problem(p, text)
        made[key] = diag
        out.setdefault(p.file, []).append((key, diag))
    if snap.result is not None:
        href = rules_doc()
        for f in snap.result.findings:
            if f.status is Status.NEW:
                loc = f.location
                text = lines(loc.file)
                known = keys_before.get(id(f))
                if known is not None and known[0] is f and known[1] is text:
                    key = known[2]
                else:
                    # A string key: hashed once, where a tuple of dataclasses is hashed field by field
                    key = "\0".join((f.fingerprint, f.rule, f.severity.value, f.message, loc.file, str(loc.line),
                                      str(loc.column), text[loc.line - 1] if 0 < loc.line <= len(text) else "",
                                      f.flow or "", *f.systems, "", *(str(r) for r in f.related)))
                keys[id(f)] = (f, text, key)
                diag = made.get(key) or before.get(key) or finding(uri, f, text, href)
                made[key] = diag
                out.setdefault(loc.file, []).append((key, diag))
    state.diagnostic_cache = made
    state.finding_keys = keys
    for display in [d for d in kept_lines if state.workspace.source_of(d) is None]:
        del kept_lines[display]
    return out


def configuration(state: State) -> list[tuple[str, types.Diagnostic]]:
    """While the configuration does not load, each of its problems that names a ``file:line:col`` of
    the configuration or waivers file, as a diagnostic there (by display path)."""
    out: list[tuple[str, types.Diagnostic]] = []
    for line in (state.config_error or "").splitlines():
        body = line.strip()
        display = next((d for d in state.config_paths if body.startswith(f"{d}:")), None)
        at = _AT.fullmatch(body[len(display) + 1:]) if display is not None else None
        if display is None or at is None:
            continue
        lines = state.config_lines(display)
        out.append((display, types.Diagnostic(
            range=token_range(lines, int(at.group(1)) - 1, int(at.group(2)) - 1), message=at.group(3),
            source=SOURCE, severity=types.DiagnosticSeverity.Error, code=INVALID_CONFIG)))
    return out


def problem(p: Problem, lines: list[str]) -> types.Diagnostic:
    return types.Diagnostic(
        range=token_range(lines, p.line - 1, p.column - 1), message=p.message, source=SOURCE,
        severity=types.DiagnosticSeverity.Error, code=INVALID,
        code_description=_link(INVALID, rules_doc()),
    )


def finding(uri: Callable[[str], str], f: Finding, lines: list[str], href: str | None) -> types.Diagnostic:
    loc = f.location
    line = loc.line - 1
    end = len(lines[line]) if 0 <= line < len(lines) else loc.column - 1
    related = [types.DiagnosticRelatedInformation(
        location=types.Location(uri(r.file), types.Range(types.Position(r.line - 1, r.column - 1),
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
