"""Markdown for people reading a CI job summary or a merge request: a summary table by rule, then
the findings by severity with ``file:line``. Everything from the inventory is escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analysis.engine import Result, fails, problem_findings
from ..errors import InventoryError
from ..analysis.findings import Finding, Severity, Status
from ..hints import plural
from .common import counts, md, md_code, shown

if TYPE_CHECKING:
    from . import ReportContext

MAX_ROWS = 500
"""Findings listed at most (a job summary holds 1 MiB); the rest are counted."""
_TITLES = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Info"}


def format_result(result: Result, ctx: ReportContext) -> str:
    inv = result.inventory
    c = counts(result.findings)
    failed = fails(result.findings, ctx.fail_on)
    verdict = f"fails at fail-on `{ctx.fail_on}`" if failed else "passes"
    out = [
        "## stackmap check",
        "",
        f"**{plural(c['error'], 'error')} · {plural(c['warning'], 'warning')} · {c['info']} info** "
        f"({c['waived']} waived, {c['baselined']} baselined): {verdict}. "
        f"{plural(len(inv.systems), 'system')}, {plural(len(inv.flows), 'flow')} in "
        f"{plural(len(inv.files), 'file')}.",
        "",
    ]
    out += _rule_table(result)
    out += _findings(shown(result.findings, ctx))
    notes = list(result.notes)
    if inv.skipped:
        notes.append(f"skipped {plural(len(inv.skipped), 'YAML file')} that "
                     f"{'is not an inventory' if len(inv.skipped) == 1 else 'are not inventories'}: "
                     + ", ".join(inv.skipped))
    if notes:
        out += ["### Notes", ""] + [f"- {md(n)}" for n in notes] + [""]
    return "\n".join(out)


def _rule_table(result: Result) -> list[str]:
    rows: dict[str, list[int]] = {}
    for f in result.findings:
        row = rows.setdefault(f.rule, [0, 0, 0, 0])
        if f.status is Status.NEW:
            row[f.severity.rank] += 1
        else:
            row[3] += 1
    if not rows:
        return ["No findings.", ""]
    out = ["| Rule | Errors | Warnings | Info | Waived or baselined |", "|---|--:|--:|--:|--:|"]
    for rule in sorted(rows):
        out.append(f"| {md_code(rule)} | " + " | ".join(str(n) for n in rows[rule]) + " |")
    return [*out, ""]


def _findings(findings: list[Finding]) -> list[str]:
    out: list[str] = []
    listed = 0
    for severity in Severity:
        group = [f for f in findings if f.severity is severity]
        if not group:
            continue
        out += [f"### {_TITLES[severity]} ({len(group)})", "", "| Location | Rule | Finding |", "|---|---|---|"]
        for f in group:
            if listed == MAX_ROWS:
                break
            listed += 1
            text = md(f.message)
            if f.status is not Status.NEW:
                text += f" *({f.status.value}: {md(f.justification or '')})*"
            out.append(f"| {md_code(f'{f.location.file}:{f.location.line}')} | {md_code(f.rule)} | {text} |")
        out.append("")
    if listed < len(findings):
        out += [f"*…and {len(findings) - listed} more findings (see the JSON or SARIF report).*", ""]
    return out


def format_problems(error: InventoryError, ctx: ReportContext) -> str:
    findings = problem_findings(error)
    files = len({f.location.file for f in findings})
    out = ["## stackmap check: invalid inventory", "",
           f"**{plural(len(findings), 'problem')} in {plural(files, 'file')}**; no rule ran.", "",
           "| Location | Problem |", "|---|---|"]
    for f in findings[:MAX_ROWS]:
        out.append(f"| {md_code(str(f.location))} | {md(f.message)} |")
    if len(findings) > MAX_ROWS:
        out.append(f"\n*…and {len(findings) - MAX_ROWS} more problems.*")
    return "\n".join(out) + "\n"
