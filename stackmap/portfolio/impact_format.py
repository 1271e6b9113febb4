"""The impact report as text, JSON or Markdown."""

from __future__ import annotations

from collections.abc import Callable

from .impact import Impact, Orphan
from .tables import dump_json, md_escape, money, plain_lines


def _orphan(o: Orphan) -> str:
    if o.retiring:
        return f"{o.capability} (only {', '.join(o.retiring)} remains, and it is retiring)"
    return o.capability


def _sections(report: Impact) -> list[tuple[str, list[str]]]:
    """(heading, items) pairs shared by the text and Markdown formats."""
    return [
        (f"Flows that break ({len(report.flows)})", [f.description for f in report.flows]),
        (f"Systems left with no flow at all ({len(report.isolated)})", list(report.isolated)),
        (f"Customer-data systems cut off from every system of record ({len(report.silos)})", list(report.silos)),
        (f"Customer-data systems that lose their flow into a system of record ({len(report.unsynced)})",
         list(report.unsynced)),
        (f"Capabilities left with no active or planned provider ({len(report.orphaned)})",
         [_orphan(o) for o in report.orphaned]),
    ]


def _headline(report: Impact) -> str:
    role = ", a system of record" if report.system_of_record else ""
    if report.last_record:
        role = ", the only system of record: afterwards no system is marked as the customer master"
    owner = f"owned by {report.owner}" if report.owner else "no owner"
    return f"Retiring {report.name} ({report.system}; {owner}; {report.lifecycle}{role})"


def _saving(report: Impact) -> str:
    if report.saving is None:
        return "Annual cost saved: unknown (no annual_cost recorded)"
    return f"Annual cost saved: {money(report.saving)}"


def format_text(report: Impact) -> str:
    lines = [_headline(report), ""]
    for heading, items in _sections(report):
        lines.append(heading + (":" if items else ""))
        lines += [f"  {item}" for item in items]
    lines += ["", _saving(report)]
    return plain_lines(lines)


def format_json(report: Impact) -> str:
    return dump_json({"report": "impact", **report.to_json()})


def format_markdown(report: Impact) -> str:
    lines = [f"# {md_escape(_headline(report))}", ""]
    for heading, items in _sections(report):
        lines += [f"## {md_escape(heading)}", ""]
        lines += [f"- {md_escape(item)}" for item in items] if items else ["None."]
        lines.append("")
    lines.append(md_escape(_saving(report)) + ".")
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Impact], str]] = {
    "text": format_text,
    "json": format_json,
    "markdown": format_markdown,
}
