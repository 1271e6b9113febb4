"""GitLab Code Quality JSON (``artifacts: reports: codequality``): a list of issues, each with
``description``, ``check_name``, ``fingerprint``, ``severity``, ``location.path`` and
``location.lines.begin``. Waived and baselined findings are left out unless ``--show-suppressed``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..analysis.engine import Result, problem_findings
from ..errors import InventoryError
from ..analysis.findings import Finding, Severity
from .common import shown

if TYPE_CHECKING:
    from . import ReportContext

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
"""stackmap severity → GitLab's (info, minor, major, critical, blocker)."""


def format_result(result: Result, ctx: ReportContext) -> str:
    return _document(shown(result.findings, ctx))


def format_problems(error: InventoryError, ctx: ReportContext) -> str:
    return _document(problem_findings(error))


def _document(findings: list[Finding]) -> str:
    return json.dumps([_issue(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


def _issue(f: Finding) -> dict[str, Any]:
    return {
        "type": "issue",
        "description": f.message,
        "check_name": f.rule,
        "fingerprint": f.fingerprint,
        "severity": SEVERITIES[f.severity],
        "categories": ["Style" if f.severity is Severity.INFO else "Bug Risk"],
        "location": {"path": f.location.file, "lines": {"begin": max(f.location.line, 1)}},
    }
