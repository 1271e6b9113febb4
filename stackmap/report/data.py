"""What a wiki report shows, as plain frozen data computed once from the inventory.

Both writers (``markdown.py`` and ``html.py``) only format a :class:`Report`; nothing here escapes,
prints or writes files. Everything is sorted, so the same inventory gives the same report whatever
its file order.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from .. import __version__
from ..analysis.config import Config
from ..analysis.engine import analyse
from ..errors import ToolMissingError
from ..analysis.findings import Finding, Severity, Status
from ..analysis.graph import Stack
from ..load.model import Flow
from ..portfolio.spend import Spend, spend
from ..render import RenderOptions, Rendered, render_each
from ..analysis.rules.duplicate_capability import overlaps

VIEWS: tuple[tuple[str, str], ...] = (("overview", "Overview"), ("customer-data", "Customer data"))
"""The diagrams of a report: (view, heading). Each is also written as ``<view>.svg``."""
MAX_DETAILS = 60
"""Most detail views a report draws for a summary (each takes about half a second at 2,000 systems);
the rest are named in the summary's notes, as commands."""
MISSING_DOT = (
    "Graphviz's dot program was not found on PATH, so there are no SVG diagrams. Install Graphviz "
    "(Debian/Ubuntu: sudo apt-get install graphviz; Fedora: sudo dnf install graphviz; macOS: brew install "
    "graphviz; Windows: winget install graphviz) and run stackmap report again."
)
"""What the report says (and the command notes) when Graphviz is missing."""


@dataclass(frozen=True)
class Figure:
    """One diagram, as Mermaid (always) and as Graphviz SVG (when ``dot`` is installed)."""

    view: str
    heading: str
    mermaid: str
    svg: str | None
    """The SVG text as Graphviz wrote it; ``None`` without Graphviz (see :attr:`Report.missing`)."""
    notes: tuple[str, ...]
    """How the drawings were simplified (rolled up, labels left out)."""
    name: str = ""
    """The file stem and page id of a detail figure (``owner-events``); a main figure uses its view."""
    details: tuple[str, ...] = ()
    """The :attr:`key` of each detail figure that completes this one, when it is a summary."""
    detail: bool = False
    """A detail view of a summary (SVG only; the Markdown page links it rather than drawing it)."""

    @property
    def key(self) -> str:
        """Safe for a file name and an HTML id: ``a-z``, ``0-9`` and ``-`` only."""
        return self.name or self.view

    @property
    def file(self) -> str:
        """The name of the SVG file written beside ``report.md``."""
        return f"{self.key}.svg"


@dataclass(frozen=True)
class Link:
    """A flow seen from one of its ends."""

    other: str
    """The system at the other end."""
    data: tuple[str, ...]
    mechanism: str | None


@dataclass(frozen=True)
class Card:
    """Everything about one system a reader may ask for."""

    id: str
    name: str
    vendor: str | None
    owner: str | None
    lifecycle: str
    description: str | None
    capabilities: tuple[str, ...]
    data: tuple[str, ...]
    customer_data: tuple[str, ...]
    roles: tuple[str, ...]
    annual_cost: float | None
    it_reviewed: bool | None
    location: str
    """``file:line`` where the system is written."""
    flows_in: tuple[Link, ...]
    flows_out: tuple[Link, ...]
    findings: tuple[Finding, ...]
    """Findings naming the system, in report order."""

    @property
    def neighbours(self) -> tuple[str, ...]:
        return tuple(sorted({link.other for link in (*self.flows_in, *self.flows_out)}))


@dataclass(frozen=True)
class Capability:
    """One row of the capability matrix."""

    id: str
    name: str
    providers: tuple[str, ...]
    """Non-retired systems providing it, sorted."""
    duplicate: bool
    """Reported by ``duplicate-capability`` (exclusive, two or more active or planned providers)."""


@dataclass(frozen=True)
class Duplicate:
    """A duplicate-capability group with its owners and combined cost."""

    capability: str
    systems: tuple[str, ...]
    owners: tuple[str, ...]
    annual_cost: float | None
    without_cost: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """The whole wiki report."""

    title: str
    version: str
    files: tuple[str, ...]
    """Display paths of the inventory files read."""
    cards: tuple[Card, ...]
    """Every system, retired ones included, sorted by id."""
    flows: int
    owners: tuple[str, ...]
    """Owners of the non-retired systems, sorted."""
    findings: tuple[Finding, ...]
    """Every finding with its status (waived ones included), in report order."""
    notes: tuple[str, ...]
    spend: Spend
    """Spend by owner."""
    duplicates: tuple[Duplicate, ...]
    capabilities: tuple[Capability, ...]
    figures: tuple[Figure, ...]
    missing: str | None
    """Why there are no SVG diagrams (Graphviz not found), or ``None``."""

    @property
    def retired(self) -> int:
        return sum(1 for c in self.cards if c.lifecycle == "retired")

    @property
    def names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.cards}

    def count(self, severity: Severity) -> int:
        """Findings at ``severity`` that are not waived or baselined."""
        return sum(1 for f in self.findings if f.severity is severity and f.status is Status.NEW)

    @property
    def suppressed(self) -> int:
        return sum(1 for f in self.findings if f.status is not Status.NEW)


def build(stack: Stack, config: Config, title: str, today: datetime.date, diagrams: bool = True) -> Report:
    """The report of ``stack``: findings with their status (inline ignores and waivers applied; no
    baseline, so the page shows every finding), spend by owner, duplicates, capabilities, diagrams.
    ``diagrams=False`` draws Mermaid only, without running Graphviz (no SVGs, and no note about them)."""
    inventory = stack.inventory
    result = analyse(inventory, config, (), today)
    findings = tuple(result.findings)
    report_spend = spend(stack, "owner")
    figures, missing = _figures(stack, config, diagrams, list(findings))
    return Report(
        title=title,
        version=__version__,
        files=tuple(sorted(inventory.files)),
        cards=_cards(stack, findings),
        flows=len(inventory.flows),
        owners=tuple(sorted({stack.systems[s].owner for s in stack.live if stack.systems[s].owner})),
        findings=findings,
        notes=tuple(result.notes),
        spend=report_spend,
        duplicates=tuple(
            Duplicate(o.capability, o.systems,
                      tuple(sorted({stack.systems[s].owner for s in o.systems if stack.systems[s].owner})),
                      o.annual_cost, o.without_cost)
            for o in report_spend.overlap),
        capabilities=_capabilities(stack),
        figures=figures,
        missing=missing,
    )


def _figures(stack: Stack, config: Config, diagrams: bool, findings: list[Finding]
             ) -> tuple[tuple[Figure, ...], str | None]:
    figures: list[Figure] = []
    missing: str | None = None
    formats = ("mermaid", "svg") if diagrams else ("mermaid",)
    for view, heading in VIEWS:
        drawn = render_each(stack.inventory, formats, RenderOptions(view=view), config, findings, stack)
        mermaid = drawn["mermaid"]
        assert isinstance(mermaid, Rendered) and isinstance(mermaid.data, str)
        svg = drawn.get("svg")
        notes = list(mermaid.notes)
        text: str | None = None
        details: list[Figure] = []
        if isinstance(svg, ToolMissingError):
            missing = MISSING_DOT
        elif isinstance(svg, Rendered) and isinstance(svg.data, str):
            text = svg.data
            notes += [n for n in svg.notes if n not in notes and not n.startswith("detail views: ")]
            if view == "overview":
                details = _details(stack, config, findings, svg.detail_views[:MAX_DETAILS])
                left = svg.detail_views[MAX_DETAILS:]
                if left:
                    notes.append(f"{len(left)} more detail views are not drawn here (at about half a second "
                                 f"each): stackmap render --view " + ", --view ".join(left))
        figures.append(Figure(view, heading, mermaid.data, text, tuple(notes),
                              details=tuple(d.key for d in details)))
        figures += details
    return tuple(figures), missing


def _details(stack: Stack, config: Config, findings: list[Finding], views: tuple[str, ...]) -> list[Figure]:
    """The detail figures that complete a summary, one SVG each, named safely and uniquely."""
    out: list[Figure] = []
    taken: set[str] = set()
    for view in views:
        drawn = render_each(stack.inventory, ("svg",), RenderOptions(view=view), config, findings, stack)["svg"]
        if not isinstance(drawn, Rendered) or not isinstance(drawn.data, str):
            continue
        kind, _, arg = view.partition(":")
        name = f"{kind}-{_stem(arg)}"
        number = 2
        while name in taken:
            name, number = f"{kind}-{_stem(arg)}-{number}", number + 1
        taken.add(name)
        heading = f"{kind.capitalize()}: {stack.systems[arg].name if kind == 'system' else arg}"
        notes = tuple(n for n in drawn.notes if not n.startswith("detail views: "))
        out.append(Figure(view, heading, "", drawn.data, notes, name=name, detail=True))
    return out


def _stem(text: str) -> str:
    """``text`` as a short file-name fragment: lowercase ``a-z0-9`` runs joined by ``-``."""
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in text.lower()).split()
    return "-".join(words)[:40].strip("-") or "x"


def _cards(stack: Stack, findings: tuple[Finding, ...]) -> tuple[Card, ...]:
    inventory = stack.inventory
    incoming: dict[str, list[Flow]] = {}
    outgoing: dict[str, list[Flow]] = {}
    for flow in inventory.flows:
        outgoing.setdefault(flow.from_, []).append(flow)
        incoming.setdefault(flow.to, []).append(flow)
    by_system: dict[str, list[Finding]] = {}
    for finding in findings:
        for sid in finding.systems:
            by_system.setdefault(sid, []).append(finding)
    cards = []
    for sid in sorted(stack.systems):
        system = stack.systems[sid]
        where = inventory.system_locations.get(sid)
        cards.append(Card(
            id=sid,
            name=system.name,
            vendor=system.vendor,
            owner=system.owner,
            lifecycle=system.lifecycle,
            description=system.description,
            capabilities=inventory.capabilities_of(system),
            data=tuple(sorted(set(system.data))),
            customer_data=tuple(stack.customer_data(sid)),
            roles=tuple(system.roles),
            annual_cost=system.annual_cost,
            it_reviewed=system.it_reviewed,
            location=f"{where.file}:{where.line}" if where else "",
            flows_in=_links(incoming.get(sid, []), lambda f: f.from_),
            flows_out=_links(outgoing.get(sid, []), lambda f: f.to),
            findings=tuple(by_system.get(sid, ())),
        ))
    return tuple(cards)


def _links(flows: list[Flow], other: Callable[[Flow], str]) -> tuple[Link, ...]:
    links = [Link(other(f), tuple(sorted(set(f.data))), f.mechanism) for f in flows]
    return tuple(sorted(links, key=lambda link: (link.other, link.mechanism or "", link.data)))


def _capabilities(stack: Stack) -> tuple[Capability, ...]:
    inventory = stack.inventory
    duplicated = {cap for cap, _ in overlaps(stack)}
    providers: dict[str, list[str]] = {}
    for sid in sorted(stack.live):
        for cap in inventory.capabilities_of(stack.systems[sid]):
            providers.setdefault(cap, []).append(sid)
    rows = []
    for cap in sorted(providers):
        definition = inventory.capabilities.get(cap)
        name = definition.name if definition is not None and definition.name else cap
        rows.append(Capability(cap, name, tuple(providers[cap]), cap in duplicated))
    return tuple(rows)
