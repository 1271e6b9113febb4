"""The rationalize report as text, JSON or Markdown."""

from __future__ import annotations

from collections.abc import Callable

from ..hints import plural
from .rationalize import Rationalization, Suggestion
from .tables import dump_json, md_escape, md_table, money, plain_lines


def _title(s: Suggestion) -> str:
    return f"{', '.join(s.capabilities)}: {', '.join(s.systems)}"


def _total(report: Rationalization) -> str:
    if not report.suggestions:
        return "No duplicate-capability groups: nothing to consolidate."
    return (f"{plural(len(report.suggestions), 'consolidation candidate')}, strongest evidence first; "
            f"potential annual saving {money(report.total_saving)} (each retired system counted once)")


def _evidence_rows(s: Suggestion) -> list[list[str]]:
    return [[e.name, f"{e.points:.1f} / {e.weight}", e.reason] for e in s.evidence]


def format_text(report: Rationalization) -> str:
    lines = [_total(report)]
    for rank, s in enumerate(report.suggestions, 1):
        saving = money(s.saving) if s.saving is not None else "unknown"
        lines += ["", f"{rank}. {_title(s)} — score {s.score}/100, saving {saving} a year"]
        lines += [f"   {e.name:<12} {e.points:5.1f}/{e.weight:<3} {e.reason}" for e in s.evidence]
        lines.append(f"   {s.explanation()}")
    return plain_lines(lines)


def format_json(report: Rationalization) -> str:
    return dump_json({"report": "rationalize", **report.to_json()})


def format_markdown(report: Rationalization) -> str:
    lines = ["# Consolidation candidates", "", md_escape(_total(report)) + "."]
    if report.suggestions:
        lines += [""]
        lines += md_table(["rank", "capabilities", "systems", "keep", "score", "annual saving"],
                          [[str(rank), ", ".join(s.capabilities), ", ".join(s.systems), s.keeper.id,
                            str(s.score), money(s.saving)]
                           for rank, s in enumerate(report.suggestions, 1)], right=(0, 4, 5))
    for rank, s in enumerate(report.suggestions, 1):
        lines += ["", f"## {rank}. {md_escape(_title(s))}", "", md_escape(s.explanation()), ""]
        lines += md_table(["evidence", "points", "why"], _evidence_rows(s), right=(1,))
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Rationalization], str]] = {
    "text": format_text,
    "json": format_json,
    "markdown": format_markdown,
}
