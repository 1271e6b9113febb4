"""Plain text for people: findings grouped by severity, each with ``file:line:col``; the systems
that several findings name, with their rules; then a summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analysis.engine import Result, fails
from ..errors import InventoryError
from ..analysis.findings import Finding, Severity, Status
from ..hints import plural
from .common import CONTROL_ESCAPES, escaper, shown

if TYPE_CHECKING:
    from . import ReportContext

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
_TITLES = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Info"}


clean = escaper({**CONTROL_ESCAPES, 10: "\\n", 13: "\\x0d"})
"""Control characters from user values shown escaped, so no terminal escape reaches the screen."""


def _paint(text: str, code: str, on: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if on else text


def format_result(result: Result, ctx: ReportContext) -> str:
    lines: list[str] = []
    findings = shown(result.findings, ctx)
    for severity in Severity:
        group = [f for f in findings if f.severity is severity]
        if not group:
            continue
        lines.append(_paint(f"{_TITLES[severity]} ({len(group)})", "1;" + _COLORS[severity], ctx.color))
        for f in group:
            where = _paint(str(f.location), "2", ctx.color)
            status = "" if f.status is Status.NEW else f" ({f.status.value}: {clean(f.justification or '')})"
            lines.append(f"  {where}: {clean(f.message)} [{f.rule}]{status}")
        lines.append("")
    lines.extend(by_system(findings))
    lines.extend(notes(result))
    lines.append(summary(result, ctx))
    return "\n".join(lines) + "\n"


GROUP_MIN = 3
"""A system named by at least this many findings is listed with them under "By system"."""


def by_system(findings: list[Finding]) -> list[str]:
    """The systems several findings name, each with its rules, so a reader sees one system's
    problems together (findings about a flow, and roll-ups, which name many systems for one gap,
    are not counted)."""
    rules: dict[str, list[str]] = {}
    for f in findings:
        if f.status is not Status.NEW or f.flow is not None or "rollup" in f.details:
            continue
        for sid in f.systems:
            rules.setdefault(sid, []).append(f.rule)
    several = sorted(((sid, sorted(r)) for sid, r in rules.items() if len(r) >= GROUP_MIN),
                     key=lambda item: (-len(item[1]), item[0]))
    if not several:
        return []
    lines = [f"By system ({GROUP_MIN} or more findings)"]
    lines += [f"  {clean(sid)}: {len(r)} findings ({', '.join(r)})" for sid, r in several]
    return [*lines, ""]


def notes(result: Result) -> list[str]:
    out = [f"note: {clean(n)}" for n in (*result.notes, *result.inventory.notes)]
    skipped = result.inventory.skipped
    if not skipped:
        return out
    return out + [f"note: skipped {plural(len(skipped), 'YAML file')} that "
            f"{'is not an inventory' if len(skipped) == 1 else 'are not inventories'}: "
            + clean(", ".join(skipped))]


def summary(result: Result, ctx: ReportContext) -> str:
    inv = result.inventory
    counts = ", ".join(
        plural(result.count(s), s.value, "info" if s is Severity.INFO else None) for s in Severity
    )
    head = (f"{plural(len(inv.systems), 'system')}, {plural(len(inv.flows), 'flow')} in "
            f"{plural(len(inv.files), 'file')}: {counts}")
    suppressed = [f"{result.count_status(s)} {s.value}" for s in (Status.WAIVED, Status.BASELINED)
                  if result.count_status(s)]
    if suppressed:
        head += f"; {', '.join(suppressed)}"
    if fails(result.findings, ctx.fail_on):
        return head + f" (fails at --fail-on {ctx.fail_on})"
    return head


def format_problems(error: InventoryError, ctx: ReportContext) -> str:
    lines = [clean(str(p)) for p in error.problems]
    files = len({p.file for p in error.problems})
    lines.append(_paint(
        f"invalid inventory: {plural(len(error.problems), 'problem')} in {plural(files, 'file')}",
        "1;31", ctx.color,
    ))
    return "\n".join(lines) + "\n"
