"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; the tool driver lists every rule (and the policy findings ``invalid-inventory`` and
``expired-waiver``) with its description, help and default level, and ``informationUri`` when one
of the sources in ``home_page`` has a link to stackmap. Each result has a repo-relative
``physicalLocation`` whose region starts at the entry's first key and spans one character (stackmap
knows where an entry starts, not where it ends), and ``partialFingerprints`` from the stable
fingerprint: ours, and ``primaryLocationLineHash``, which GitHub otherwise computes from the text of
the line and uses to match alerts across commits; from the fingerprint, an alert follows its system
when the file is edited or the system moves. Waived and baselined findings are left out unless
``--show-suppressed``; then they carry a SARIF ``suppressions`` entry.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..analysis.engine import Result, problem_findings
from ..errors import InventoryError
from ..analysis.findings import Finding, Severity, Status
from ..load.inventory import Location
from .common import first_paragraph, rule_catalog, rule_name, shown
from .home_page import information_uri

if TYPE_CHECKING:
    from . import ReportContext

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "stackmapFingerprint/v1"
LINE_HASH_KEY = "primaryLocationLineHash"
INDENT_LIMIT = 1_000
"""Reports with more results than this are written without indentation."""


def format_result(result: Result, ctx: ReportContext) -> str:
    return _document(shown(result.findings, ctx), ctx)


def format_problems(error: InventoryError, ctx: ReportContext) -> str:
    return _document(problem_findings(error), ctx)


def _document(findings: list[Finding], ctx: ReportContext) -> str:
    catalog = rule_catalog()
    index = {rid: i for i, (rid, *_rest) in enumerate(catalog)}
    rules = [
        {
            "id": rid,
            "name": rule_name(rid),
            "shortDescription": {"text": summary},
            "fullDescription": {"text": first_paragraph(manual)},
            "help": {"text": manual, "markdown": manual},
            "defaultConfiguration": {"level": LEVELS[severity]},
        }
        for rid, severity, summary, manual in catalog
    ]
    driver: dict[str, Any] = {"name": "stackmap", "version": ctx.version, "semanticVersion": ctx.version}
    home = information_uri()
    if home:
        driver["informationUri"] = home
    driver["rules"] = rules
    doc: dict[str, Any] = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index) for f in findings],
        }],
    }
    # Indenting is the slow part of encoding (1.5 s of 2 s for 3,800 results): large reports stay compact.
    indent = 2 if len(findings) <= INDENT_LIMIT else None
    return json.dumps(doc, indent=indent, ensure_ascii=False) + "\n"


def _result(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [_location(f.location)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint, LINE_HASH_KEY: f"{f.fingerprint}:1"},
    }
    if f.related:
        out["relatedLocations"] = [
            {"id": i, **_location(loc)} for i, loc in enumerate(f.related, start=1)
        ]
    if f.status is not Status.NEW:
        out["suppressions"] = [{
            "kind": "external",
            "status": "accepted",
            "justification": f.justification or f.status.value,
        }]
    return out


def _location(loc: Location) -> dict[str, Any]:
    line, column = max(loc.line, 1), max(loc.column, 1)
    return {"physicalLocation": {
        "artifactLocation": {"uri": quote(loc.file, safe="/")},
        "region": {"startLine": line, "startColumn": column, "endLine": line, "endColumn": column + 1},
    }}

