"""The report's diagrams: which views it draws, as Mermaid and Graphviz SVG, and a summary's detail views.

:func:`build_figures` renders each of :data:`VIEWS` (Mermaid always, SVG when ``dot`` is installed) and,
for a summarised overview, up to :data:`MAX_DETAILS` of the detail views that complete it, each
named safely and uniquely for a file and an HTML id. Plain frozen data; nothing here escapes or writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.config import Config
from ..analysis.findings import Finding
from ..analysis.graph import Stack
from ..errors import ToolMissingError
from ..render import RenderOptions, Rendered, render_each

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


def build_figures(stack: Stack, config: Config, diagrams: bool, findings: list[Finding]
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
