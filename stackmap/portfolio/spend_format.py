"""The spend report as text, JSON, Markdown or CSV (the CSV is the breakdown table alone)."""

from __future__ import annotations

from collections.abc import Callable

from ..hints import plural
from .spend import Group, Spend
from .tables import csv_text, dump_json, md_escape, md_table, money, number, percent, plain_lines, text_table

SIDE_LABELS = {"marketing": "marketing", "it": "IT", "other": "other owners", "unowned": "no owner"}


def _rows(groups: tuple[Group, ...]) -> list[list[str]]:
    return [[g.key, money(g.annual_cost) if g.annual_cost is not None else "–", percent(g.share),
             str(len(g.systems) + len(g.without_cost)), ", ".join(g.without_cost)] for g in groups]


def _headers(report: Spend) -> list[str]:
    return [report.by, "annual cost", "share", "systems", "without cost"]


def _overlap_lines(report: Spend) -> list[str]:
    if not report.overlap:
        return ["No duplicate-capability groups: no money in overlap."]
    lines = [f"Money in overlap: {money(report.overlap_total)} a year in "
             f"{plural(len(report.overlap), 'duplicate-capability group')} (each system counted once)"]
    for o in report.overlap:
        unknown = f" ({plural(len(o.without_cost), 'system')} without a cost: {', '.join(o.without_cost)})" \
            if o.without_cost else ""
        lines.append(f"  {o.capability}: {money(o.annual_cost)} ({', '.join(o.systems)}){unknown}")
    return lines


def _side_rows(report: Spend) -> list[list[str]]:
    return [[SIDE_LABELS[s.key], money(s.annual_cost) if s.annual_cost is not None else "–", percent(s.share),
             str(len(s.systems) + len(s.without_cost))] for s in report.sides]


def _headline(report: Spend) -> str:
    unknown = len(report.without_cost)
    text = (f"Annual spend: {money(report.total)} across {plural(report.systems - unknown, 'system')} "
            "with a recorded cost")
    if unknown:
        text += f"; {plural(unknown, 'system')} without a cost (not counted as zero)"
    return text


def _unpriced(report: Spend) -> list[str]:
    return [f"{u.id} ({u.name}; {u.owner or 'no owner'})" for u in report.without_cost]


def format_text(report: Spend) -> str:
    lines = [_headline(report), "", f"By {report.by}:"]
    lines += ["  " + line for line in text_table(_headers(report), _rows(report.groups), right=(1, 2, 3))]
    if report.groups_overlap:
        lines.append("  (a system with several capabilities counts under each: the groups add up to more "
                     "than the total)")
    lines += ["", *_overlap_lines(report), "", "Marketing versus IT (by owner):"]
    lines += ["  " + line for line in text_table(["owned by", "annual cost", "share", "systems"],
                                                  _side_rows(report), right=(1, 2, 3))]
    if report.without_cost:
        lines += ["", "Systems without a recorded cost:"] + [f"  {u}" for u in _unpriced(report)]
    return plain_lines(lines)


def format_json(report: Spend) -> str:
    return dump_json({"report": "spend", **report.to_json()})


def format_markdown(report: Spend) -> str:
    lines = ["# Annual spend", "", md_escape(_headline(report)) + ".", "", f"## By {md_escape(report.by)}", ""]
    lines += md_table(_headers(report), _rows(report.groups), right=(1, 2, 3))
    if report.groups_overlap:
        lines += ["", "A system with several capabilities counts under each: the groups add up to more "
                      "than the total."]
    lines += ["", "## Money in overlap", ""]
    if report.overlap:
        lines += [f"{money(report.overlap_total)} a year in duplicate-capability groups (each system counted "
                  "once).", ""]
        lines += md_table(["capability", "annual cost", "systems", "without cost"],
                          [[o.capability, money(o.annual_cost), ", ".join(o.systems), ", ".join(o.without_cost)]
                           for o in report.overlap], right=(1,))
    else:
        lines.append("No duplicate-capability groups.")
    lines += ["", "## Marketing versus IT", ""]
    lines += md_table(["owned by", "annual cost", "share", "systems"], _side_rows(report), right=(1, 2, 3))
    if report.without_cost:
        lines += ["", "## Systems without a recorded cost", ""] + [f"- {md_escape(u)}" for u in _unpriced(report)]
    return "\n".join(lines) + "\n"


def format_csv(report: Spend) -> str:
    """One row per group: an empty ``annual_cost`` means no system of the group has a cost."""
    rows = [[g.key, "" if g.annual_cost is None else number(g.annual_cost),
             "" if g.share is None else f"{g.share:.1f}", len(g.systems) + len(g.without_cost),
             " ".join(g.without_cost)] for g in report.groups]
    return csv_text([report.by, "annual_cost", "share_percent", "systems", "systems_without_cost"], rows)


FORMATS: dict[str, Callable[[Spend], str]] = {
    "text": format_text,
    "json": format_json,
    "markdown": format_markdown,
    "csv": format_csv,
}
