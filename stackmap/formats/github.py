"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation per
finding, with GitHub's escaping, then one plain summary line.

GitHub shows at most 10 annotations of each level per step, so the command also writes the
Markdown report (:mod:`stackmap.formats.markdown`) to ``$GITHUB_STEP_SUMMARY`` when it is set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analysis.engine import Result, fails, problem_findings
from ..errors import InventoryError
from ..analysis.findings import Finding, Severity, Status
from ..hints import plural
from .common import counts, no_control, shown

if TYPE_CHECKING:
    from . import ReportContext

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
ANNOTATION_LIMIT = 10
"""Annotations of one level that GitHub shows per step."""


def escape_data(text: str) -> str:
    """Escape a workflow command's message (control characters shown as ``\\xNN``)."""
    return no_control(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (``file=…``, ``title=…``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    props = {
        "file": f.location.file,
        "line": str(max(f.location.line, 1)),
        "col": str(max(f.location.column, 1)),
        "title": f"stackmap {f.rule}" + ("" if f.status is Status.NEW else f" ({f.status.value})"),
    }
    message = f.message
    if f.related:
        message += "\nAlso at: " + ", ".join(str(r) for r in f.related)
    if f.justification:
        message += f"\n{f.status.value.capitalize()}: {f.justification}"
    level = COMMANDS[f.severity] if f.status is Status.NEW else "notice"
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{level} {joined}::{escape_data(message)}"


def format_result(result: Result, ctx: ReportContext) -> str:
    findings = shown(result.findings, ctx)
    lines = [annotation(f) for f in findings]
    c = counts(result.findings)
    head = (f"stackmap: {plural(len(result.inventory.systems), 'system')}, "
            f"{plural(len(result.inventory.flows), 'flow')}: {plural(c['error'], 'error')}, "
            f"{plural(c['warning'], 'warning')}, {c['info']} info")
    suppressed = [f"{c[s]} {s}" for s in ("waived", "baselined") if c[s]]
    if suppressed:
        head += f" ({', '.join(suppressed)})"
    if fails(result.findings, ctx.fail_on):
        head += f"; fails at fail-on {ctx.fail_on}"
    lines.append(head)
    lines.extend(f"stackmap: note: {escape_data(n)}" for n in result.notes)
    lines.extend(_limit_note(findings))
    return "\n".join(lines) + "\n"


def format_problems(error: InventoryError, ctx: ReportContext) -> str:
    findings = problem_findings(error)
    lines = [annotation(f) for f in findings]
    lines.append(f"stackmap: invalid inventory: {plural(len(findings), 'problem')}")
    lines.extend(_limit_note(findings))
    return "\n".join(lines) + "\n"


def _limit_note(findings: list[Finding]) -> list[str]:
    by_level: dict[str, int] = {}
    for f in findings:
        level = COMMANDS[f.severity] if f.status is Status.NEW else "notice"
        by_level[level] = by_level.get(level, 0) + 1
    if max(by_level.values(), default=0) <= ANNOTATION_LIMIT:
        return []
    return [f"stackmap: GitHub shows at most {ANNOTATION_LIMIT} annotations of each level per step; "
            "every finding is listed in the job summary and in the SARIF report"]
