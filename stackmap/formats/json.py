"""JSON for machines. The shape is a public contract (``docs/output-formats.md``); version 1.

``{"version", "valid", "inventory", "findings", "errors", "summary"}``; findings in the engine's
deterministic order, each with ``rule``, ``severity``, ``message``, ``systems``, ``location``,
``related``, ``fingerprint``, ``capability``, ``flow``, ``data``, ``details``, ``status`` (``new``,
``waived`` or ``baselined``) and ``justification``. Summary counts by severity are of new findings.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..analysis.engine import Result, fails
from ..errors import InventoryError
from ..analysis.findings import Finding, Severity, Status
from ..load.inventory import Location

if TYPE_CHECKING:
    from . import ReportContext

FORMAT_VERSION = 1


def location(loc: Location) -> dict[str, Any]:
    return {"file": loc.file, "line": loc.line, "column": loc.column}


def finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "message": f.message,
        "systems": list(f.systems),
        "location": location(f.location),
        "related": [location(r) for r in f.related],
        "fingerprint": f.fingerprint,
        "capability": f.capability,
        "flow": f.flow,
        "data": list(f.data),
        "details": f.details,
        "status": f.status.value,
        "justification": f.justification,
    }


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def format_result(result: Result, ctx: ReportContext) -> str:
    inv = result.inventory
    counts = {s.value: result.count(s) for s in Severity}
    return _dump({
        "version": FORMAT_VERSION,
        "valid": True,
        "inventory": {
            "files": len(inv.files),
            "systems": len(inv.systems),
            "flows": len(inv.flows),
            "skipped": list(inv.skipped),
        },
        "findings": [finding(f) for f in result.findings],
        "errors": [],
        "notes": list(result.notes),
        "summary": {**counts, "total": len(result.findings), "new": result.count_status(Status.NEW),
                    "waived": result.count_status(Status.WAIVED),
                    "baselined": result.count_status(Status.BASELINED),
                    "fail_on": ctx.fail_on, "failed": fails(result.findings, ctx.fail_on)},
    })


def format_problems(error: InventoryError, ctx: ReportContext) -> str:
    return _dump({
        "version": FORMAT_VERSION,
        "valid": False,
        "inventory": {"files": error.files},
        "findings": [],
        "errors": [{"file": p.file, "line": p.line, "column": p.column, "message": p.message}
                   for p in error.problems],
        "summary": {"errors": len(error.problems), "fail_on": ctx.fail_on, "failed": True},
    })
