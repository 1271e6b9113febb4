"""The Systems section of ``index.html``: the systems table and every system's details (its card).

Each card lists what the report knows about one system, with its flows in and out linking to the
other systems' cards and the findings that name it (each message cut to :data:`CARD_MESSAGE_MAX`
characters; the findings table has it whole). The script's details panel shows a copy of the selected system's card.
"""

from __future__ import annotations

from ..analysis.findings import Finding, Status
from ..portfolio.tables import money
from .cards import Card, Link
from .data import Report
from .html_text import SEVERITY_LABELS, esc, system_link

CARD_MESSAGE_MAX = 300
"""Longest finding message (characters) a system's details quote."""


def systems_section(report: Report) -> str:
    names = report.names
    out = ['<section id="systems" aria-labelledby="systems-title">', '<h2 id="systems-title">Systems</h2>',
           '<div class="table-wrap"><table class="systems"><thead><tr><th scope="col">System</th>'
           '<th scope="col">Owner</th><th scope="col">Vendor</th><th scope="col">Lifecycle</th>'
           '<th scope="col" class="num">Annual cost</th><th scope="col" class="num">Findings</th>'
           "</tr></thead><tbody>"]
    for c in report.cards:
        out.append(f"<tr><th scope=\"row\">{system_link(c.id, names)} <code>{esc(c.id)}</code></th>"
                   f"<td>{esc(c.owner or '–')}</td><td>{esc(c.vendor or '–')}</td><td>{esc(c.lifecycle)}</td>"
                   f'<td class="num">{_cost(c.annual_cost)}</td><td class="num">{len(c.findings)}</td></tr>')
    out += ["</tbody></table></div>", '<h3 id="system-details-title">System details</h3>',
            '<div class="cards">']
    out += [_card(c, names) for c in report.cards]
    out += ["</div>", "</section>"]
    return "\n".join(out)


def _cost(amount: float | None) -> str:
    return "unknown" if amount is None else money(amount)


def _card(c: Card, names: dict[str, str]) -> str:
    rows: list[tuple[str, str]] = [
        ("Owner", esc(c.owner) if c.owner else "<em>no owner</em>"),
        ("Vendor", esc(c.vendor or "–")),
        ("Lifecycle", esc(c.lifecycle)),
        ("Capabilities", esc(", ".join(c.capabilities) or "–")),
        ("Data", _data(c)),
        ("Annual cost", esc(_cost(c.annual_cost))),
    ]
    if c.roles:
        rows.append(("Roles", esc(", ".join(c.roles))))
    rows.append(("IT reviewed", {True: "yes", False: "no", None: "not recorded"}[c.it_reviewed]))
    rows.append(("Flows in", _links(c.flows_in, names, "from")))
    rows.append(("Flows out", _links(c.flows_out, names, "to")))
    rows.append(("Findings", _card_findings(c.findings)))
    rows.append(("Defined at", f"<code>{esc(c.location)}</code>"))
    lifecycle = f' <span class="tag">{esc(c.lifecycle)}</span>' if c.lifecycle != "active" else ""
    description = f'<p class="description">{esc(c.description)}</p>' if c.description else ""
    items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (f'<article class="card" id="system-{esc(c.id)}" data-name="{esc(c.name)}">'
            f'<h4 class="card-title">{esc(c.name)} <code>{esc(c.id)}</code>{lifecycle}</h4>'
            f"{description}<dl>{items}</dl></article>")


def _data(c: Card) -> str:
    if not c.data:
        return "–"
    customer = set(c.customer_data)
    return ", ".join(f'<span class="customer" title="customer data">{esc(d)}*</span>' if d in customer
                     else esc(d) for d in c.data) + (' <span class="note">(* customer data)</span>' if customer else "")


def _links(links: tuple[Link, ...], names: dict[str, str], word: str) -> str:
    if not links:
        return "none"
    items = []
    for link in links:
        what = ", ".join(link.data) or "no data listed"
        how = f" ({link.mechanism})" if link.mechanism else ""
        items.append(f"<li>{word} {system_link(link.other, names)}: {esc(what)}{esc(how)}</li>")
    return f'<ul class="links">{"".join(items)}</ul>'


def _card_findings(findings: tuple[Finding, ...]) -> str:
    if not findings:
        return "none"
    items = [f'<li><span class="sev sev-{f.severity.value}">{SEVERITY_LABELS[f.severity]}</span> '
             f"<code>{esc(f.rule)}</code>{' (' + esc(f.status.value) + ')' if f.status is not Status.NEW else ''}: "
             f"{esc(_cut(f.message))}</li>" for f in findings]
    return f'<ul class="links">{"".join(items)}</ul>'


def _cut(text: str) -> str:
    """A finding's message for a system's details: a finding may name thousands of systems, and
    each of their details repeats it (the findings table has it whole)."""
    return text if len(text) <= CARD_MESSAGE_MAX else text[:CARD_MESSAGE_MAX - 1] + "…"
