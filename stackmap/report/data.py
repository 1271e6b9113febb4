"""What a wiki report shows, as plain frozen data computed once from the inventory.

This module owns the whole :class:`Report` and :func:`build`; each section's data is gathered by
its own module: the diagrams by ``figures.py``, each system's details by ``cards.py``, the
capability matrix and duplicate groups by ``capabilities.py``. Both writers (``markdown.py`` and
``html.py``) only format a :class:`Report`; nothing here escapes, prints or writes files. Everything
is sorted, so the same inventory gives the same report whatever its file order.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .. import __version__
from ..analysis.config import Config
from ..analysis.engine import analyse
from ..analysis.findings import Finding, Severity, Status
from ..analysis.graph import Stack
from ..portfolio.spend import Spend, spend
from .capabilities import Capability, Duplicate, build_capabilities, build_duplicates
from .cards import Card, build_cards
from .figures import Figure, build_figures


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
    figures, missing = build_figures(stack, config, diagrams, list(findings))
    return Report(
        title=title,
        version=__version__,
        files=tuple(sorted(inventory.files)),
        cards=build_cards(stack, findings),
        flows=len(inventory.flows),
        owners=tuple(sorted({stack.systems[s].owner for s in stack.live if stack.systems[s].owner})),
        findings=findings,
        notes=tuple(result.notes),
        spend=report_spend,
        duplicates=build_duplicates(stack, report_spend),
        capabilities=build_capabilities(stack),
        figures=figures,
        missing=missing,
    )
