"""The sections of ``index.html`` about the stack as a whole: headline numbers, diagrams, findings,
capabilities and spend (each system's details are :mod:`stackmap.report.html_systems`).

Each section is complete without the page's script; the controls the script works (the diagrams'
zoom buttons and hint, the findings filters) are marked ``js-only`` and hidden until it runs. Every text from the inventory goes through :func:`~stackmap.report.html_text.esc`; the
Graphviz SVGs go through :mod:`stackmap.report.svg`.
"""

from __future__ import annotations

from ..analysis.findings import Finding, Severity, Status
from ..hints import plural
from ..portfolio.tables import money, percent
from . import svg
from .capabilities import Capability
from .data import Report
from .html_text import SEVERITY_LABELS, esc, system_link

MATRIX_MAX_SYSTEMS = 80
"""Most systems the capability matrix has columns for; past that it lists each capability's providers."""


def headline_section(report: Report) -> str:
    unpriced = len(report.spend.without_cost)
    systems = (f'<span class="note">{report.retired} retired</span>' if report.retired else "")
    spend_note = (f'<span class="note">{plural(unpriced, "system")} without a cost</span>' if unpriced else "")
    stats = [
        ("Systems", str(len(report.cards)), systems),
        ("Flows", str(report.flows), ""),
        ("Owners", str(len(report.owners)), ""),
        ("Annual spend", money(report.spend.total), spend_note),
        ("Errors", str(report.count(Severity.ERROR)), ""),
        ("Warnings", str(report.count(Severity.WARNING)), ""),
        ("Info", str(report.count(Severity.INFO)), ""),
    ]
    items = "".join(f'<div class="stat"><dt>{name}</dt><dd><span class="value">{value}</span>{note}</dd></div>'
                    for name, value, note in stats)
    return f'<section id="summary" aria-label="Headline numbers"><dl class="stats">{items}</dl></section>'


def diagrams_section(report: Report) -> str:
    out = ['<section id="diagrams" aria-labelledby="diagrams-title">', '<h2 id="diagrams-title">Diagrams</h2>']
    if report.missing:
        out.append(f'<p class="notice" role="note"><strong>No diagrams:</strong> {esc(report.missing)} '
                   "The rest of this page is complete; the Markdown report draws the diagrams with Mermaid.</p>")
    else:
        out.append('<p class="hint js-only" hidden>Drag to pan, use the mouse wheel or the buttons to zoom, '
                   "and select a system (click, or Tab then Enter) to see its details and neighbours.</p>")
    names = report.names
    headings = {figure.key: figure.heading for figure in report.figures}
    for figure in report.figures:
        if figure.svg is None:
            continue
        fid = f"diagram-{figure.key}"
        drawing = svg.inline(figure.svg, fid, f"{figure.heading} diagram", names)
        notes = "".join(f"<li>{esc(n)}</li>" for n in figure.notes)
        if figure.details:
            links = ", ".join(f'<a href="#diagram-{key}-caption">{esc(headings[key])}</a>' for key in figure.details)
            notes += f"<li>A summary by group; the detail views below show every system: {links}</li>"
        out += [
            f'<figure class="figure" aria-labelledby="{fid}-caption">',
            f'<figcaption id="{fid}-caption"><h3>{esc(figure.heading)}</h3></figcaption>',
            f'<div class="toolbar js-only" hidden role="group" aria-label="Zoom the {esc(figure.heading)} diagram">'
            '<button type="button" data-zoom="in" aria-label="Zoom in">+</button>'
            '<button type="button" data-zoom="out" aria-label="Zoom out">−</button>'
            '<button type="button" data-zoom="reset">Fit</button></div>',
            f'<div class="viewport" data-viewport>{drawing}</div>',
            f'<ul class="notes">{notes}</ul>' if notes else "",
            "</figure>",
        ]
    out.append("</section>")
    return "\n".join(part for part in out if part)


def findings_section(report: Report) -> str:
    out = ['<section id="findings" aria-labelledby="findings-title">', '<h2 id="findings-title">Findings</h2>']
    if not report.findings:
        out += ["<p>No findings.</p>", "</section>"]
        return "\n".join(out)
    rules = sorted({f.rule for f in report.findings})
    severities = [s for s in Severity if any(f.severity is s for f in report.findings)]
    out.append(
        '<form class="filters js-only" hidden role="search" aria-label="Filter the findings">'
        '<label>Rule <select id="filter-rule"><option value="">all rules</option>'
        + "".join(f'<option value="{esc(r)}">{esc(r)}</option>' for r in rules)
        + '</select></label><label>Severity <select id="filter-severity"><option value="">all severities</option>'
        + "".join(f'<option value="{s.value}">{s.value}</option>' for s in severities)
        + '</select></label><label>Search <input id="filter-search" type="search" '
        'placeholder="system, text, file"></label>'
        '<button type="reset">Clear</button></form>'
    )
    out.append(f'<p id="findings-count" class="count" aria-live="polite">{plural(len(report.findings), "finding")}'
               f" ({report.suppressed} waived or baselined).</p>")
    out.append('<div class="table-wrap"><table id="findings-table" class="findings"><thead><tr>'
               '<th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Systems</th>'
               '<th scope="col">Finding</th><th scope="col">Location</th><th scope="col">Status</th>'
               "</tr></thead><tbody>")
    names = report.names
    out += [_finding_row(f, names) for f in report.findings]
    out += ["</tbody></table></div>", "</section>"]
    return "\n".join(out)


def _finding_row(f: Finding, names: dict[str, str]) -> str:
    status = f.status.value
    if f.status is not Status.NEW and f.justification:
        status += f": {f.justification}"
    systems = ", ".join(system_link(s, names) for s in f.systems) or "–"
    return (f'<tr data-rule="{esc(f.rule)}" data-severity="{f.severity.value}" data-status="{f.status.value}">'
            f'<td><span class="sev sev-{f.severity.value}">{SEVERITY_LABELS[f.severity]}</span></td>'
            f"<td><code>{esc(f.rule)}</code></td><td>{systems}</td><td>{esc(f.message)}</td>"
            f"<td><code>{esc(f.location.file)}:{f.location.line}</code></td><td>{esc(status)}</td></tr>")


def capabilities_section(report: Report) -> str:
    names = report.names
    out = ['<section id="capabilities" aria-labelledby="capabilities-title">',
           '<h2 id="capabilities-title">Capabilities</h2>']
    rows = report.capabilities
    if not rows:
        out += ["<p>No system lists a capability.</p>", "</section>"]
        return "\n".join(out)
    out.append("<p>Which systems that are not retired provide each capability. "
               '<span class="tag dup-tag">duplicate</span> marks a capability that two or more active or planned '
               "systems provide (the <code>duplicate-capability</code> rule).</p>")
    columns = sorted({s for row in rows for s in row.providers})
    if len(columns) > MATRIX_MAX_SYSTEMS:
        out.append(f"<p>{len(columns)} systems are too many for a matrix: each capability lists its providers.</p>")
        out.append('<div class="table-wrap"><table class="capabilities"><thead><tr><th scope="col">Capability</th>'
                   '<th scope="col">Systems</th></tr></thead><tbody>')
        for row in rows:
            out.append(f'<tr{_row_class(row)}><th scope="row">{_capability(row)}</th>'
                       f"<td>{', '.join(system_link(s, names) for s in row.providers)}</td></tr>")
        out += ["</tbody></table></div>", "</section>"]
        return "\n".join(out)
    head = "".join(f'<th scope="col" class="sys"><span>{system_link(s, names)}</span></th>' for s in columns)
    out.append('<div class="table-wrap"><table class="matrix" id="capability-matrix"><thead><tr>'
               f'<th scope="col">Capability</th><th scope="col" class="num">Systems</th>{head}</tr></thead><tbody>')
    for row in rows:
        providers = set(row.providers)
        cells = "".join(
            f'<td class="yes" title="{esc(names[s])} provides {esc(row.name)}"><span aria-hidden="true">●</span>'
            f'<span class="visually-hidden">{esc(names[s])}</span></td>' if s in providers else "<td></td>"
            for s in columns)
        out.append(f'<tr{_row_class(row)}><th scope="row">{_capability(row)}</th>'
                   f'<td class="num">{len(row.providers)}</td>{cells}</tr>')
    out += ["</tbody></table></div>", "</section>"]
    return "\n".join(out)


def _row_class(row: Capability) -> str:
    return ' class="dup"' if row.duplicate else ""


def _capability(row: Capability) -> str:
    name = esc(row.name) + (f" <code>{esc(row.id)}</code>" if row.name != row.id else "")
    return name + (' <span class="tag dup-tag">duplicate</span>' if row.duplicate else "")


def spend_section(report: Report) -> str:
    names = report.names
    sp = report.spend
    out = ['<section id="spend" aria-labelledby="spend-title">', '<h2 id="spend-title">Spend</h2>',
           '<h3 id="spend-owner-title">Annual spend by owner</h3>']
    top = max((g.annual_cost or 0 for g in sp.groups), default=0)
    if not sp.groups:
        out.append("<p>No systems.</p>")
    else:
        out.append('<div class="table-wrap"><table class="chart" aria-labelledby="spend-owner-title"><thead><tr>'
                   '<th scope="col">Owner</th><th scope="col" class="bar-col">Annual cost</th>'
                   '<th scope="col" class="num">Share</th><th scope="col" class="num">Systems</th>'
                   "</tr></thead><tbody>")
        for g in sp.groups:
            width = 0.0 if not top or g.annual_cost is None else 100 * g.annual_cost / top
            amount = money(g.annual_cost) if g.annual_cost is not None else "unknown"
            out.append(f'<tr><th scope="row">{esc(g.key)}</th><td class="bar-col"><span class="bar-track">'
                       f'<span class="bar" style="width:{width:.1f}%"></span></span>'
                       f'<span class="amount">{amount}</span></td><td class="num">{percent(g.share)}</td>'
                       f'<td class="num">{len(g.systems) + len(g.without_cost)}</td></tr>')
        out.append("</tbody></table></div>")
    if sp.without_cost:
        out.append("<p>Without a recorded cost (not counted as zero): "
                   + ", ".join(system_link(u.id, names) for u in sp.without_cost) + ".</p>")
    out.append('<h3 id="duplicates-title">Duplicate capabilities</h3>')
    if not report.duplicates:
        out.append("<p>No capability is provided by two or more active or planned systems.</p>")
    else:
        total = money(sp.overlap_total) if sp.overlap_total is not None else "unknown"
        out.append(f"<p>{total} a year in {plural(len(report.duplicates), 'duplicate-capability group')} "
                   "(each system counted once).</p>")
        out.append('<div class="table-wrap"><table class="duplicates"><thead><tr><th scope="col">Capability</th>'
                   '<th scope="col">Systems</th><th scope="col">Owners</th>'
                   '<th scope="col" class="num">Combined annual cost</th></tr></thead><tbody>')
        for d in report.duplicates:
            cost = money(d.annual_cost) if d.annual_cost is not None else "unknown"
            if d.without_cost and d.annual_cost is not None:
                cost += f" ({len(d.without_cost)} without a cost)"
            out.append(f"<tr><th scope=\"row\"><code>{esc(d.capability)}</code></th>"
                       f"<td>{', '.join(system_link(s, names) for s in d.systems)}</td>"
                       f"<td>{esc(', '.join(d.owners) or '–')}</td><td class=\"num\">{esc(cost)}</td></tr>")
        out.append("</tbody></table></div>")
    out.append("</section>")
    return "\n".join(out)
