"""Rendering: an inventory as a Graphviz (svg, png, pdf, dot) or Mermaid diagram.

``inventory → view (views.py) → Diagram (diagram.py) → fitted to the page (fitting.py: attempts
laid out and measured by legibility.py, roll-up by rollup.py, rows by packing.py) → DOT
(graphviz.py) or Mermaid (mermaid.py)``; styles live in theme.py, each engine's attributes in
layout.py. :func:`render` is the one entry point::

    from stackmap.render import RenderOptions, render
    svg = render(inventory, "svg", RenderOptions(view="customer-data")).data
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.config import Config
from ..analysis.engine import evaluate
from ..errors import ToolMissingError, UsageError
from ..analysis.findings import Finding
from ..analysis.graph import Stack
from ..hints import suggest
from ..load.inventory import Inventory
from . import graphviz, layout, mermaid
from .fitting import Fitted, fit
from .legibility import PAGE_WIDTH, Legibility
from .diagram import GROUP_BY, Diagram, build
from .views import select

FORMATS: tuple[str, ...] = ("svg", "png", "pdf", "dot", "mermaid")
TEXT_FORMATS: tuple[str, ...] = ("dot", "mermaid", "svg")
"""Formats that may be written to standard output (``-o -``)."""
EXTENSIONS: dict[str, str] = {
    ".svg": "svg", ".png": "png", ".pdf": "pdf",
    ".dot": "dot", ".gv": "dot",
    ".mmd": "mermaid", ".mermaid": "mermaid",
}
_EXTENSION_OF: dict[str, str] = {"svg": "svg", "png": "png", "pdf": "pdf", "dot": "dot", "mermaid": "mmd"}


@dataclass(frozen=True)
class RenderOptions:
    """Everything ``stackmap render`` takes besides the inventory and the format."""

    view: str = "overview"
    depth: int | None = None
    group_by: str = "owner"
    engine: str = "auto"
    include_retired: bool = False
    findings: bool = True
    width: int = PAGE_WIDTH
    """The page width (CSS px) the drawing must be legible at (``--engine auto``)."""


@dataclass(frozen=True)
class Rendered:
    """A rendered diagram and how it was made."""

    data: str | bytes
    """Text for dot and mermaid (and svg), bytes for png and pdf."""
    engine: str | None
    """The Graphviz layout engine used (``None`` for Mermaid)."""
    systems: int
    """Systems shown."""
    nodes: int
    """Nodes drawn (fewer than systems when rolled up)."""
    notes: tuple[str, ...] = field(default=())
    legibility: Legibility | None = None
    """How the drawing measured at the page width (``--engine auto`` with Graphviz present)."""
    detail_views: tuple[str, ...] = ()
    """Views that complete a summary (``owner:NAME``, ...); empty when every system is drawn."""


def choice(value: str, choices: tuple[str, ...], what: str) -> str:
    """``value`` if it is one of ``choices``, else a :class:`UsageError` listing them."""
    if value in choices:
        return value
    raise UsageError(f"unknown {what} {value!r}{suggest(value, choices)}; choose one of: {', '.join(choices)}")


def format_for(output: str, fmt: str | None) -> str:
    """The output format: ``fmt`` when given, else from the extension of ``output``. A ``fmt`` that
    contradicts a known extension (``-o x.svg -f png``) is a :class:`UsageError` naming both; an
    extension stackmap does not know (``x.txt``) may carry any format given explicitly."""
    suffix = "" if output == "-" else Path(output).suffix.lower()
    if fmt is not None:
        fmt = choice(fmt, FORMATS, "format")
        implied = EXTENSIONS.get(suffix)
        if implied is not None and implied != fmt:
            raise UsageError(f"--format {fmt} does not match the extension of {output!r} ({suffix} is {implied}); "
                             f"name the file *.{_EXTENSION_OF[fmt]} or leave out --format")
        return fmt
    if output == "-":
        return "dot"
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    known = ", ".join(EXTENSIONS)
    what = f"extension {suffix!r}" if suffix else "no extension"
    raise UsageError(f"cannot tell the format of {output!r} ({what}): give --format "
                     f"({', '.join(FORMATS)}) or use one of {known}")


def diagram_for(inventory: Inventory, options: RenderOptions, config: Config | None = None) -> Diagram:
    """The diagram of a view, before any roll-up."""
    return _Plan(inventory, options, config).diagram


class _Plan:
    def __init__(self, inventory: Inventory, options: RenderOptions, config: Config | None,
                 findings: list[Finding] | None = None, stack: Stack | None = None) -> None:
        choice(options.group_by, GROUP_BY, "--group-by value")
        choice(options.engine, layout.ENGINES, "engine")
        config = config or Config()
        self.options = options
        self.stack = stack if stack is not None and stack.inventory is inventory else Stack(inventory, config.options)
        if not options.findings:
            findings = []
        self.findings = evaluate(self.stack, config) if findings is None else findings
        self.view = select(self.stack, options.view, options.depth, options.include_retired)
        self.diagram = self._build(options.group_by)
        self._fitted: Fitted | None = None

    def _build(self, group_by: str) -> Diagram:
        return build(self.stack, self.view, self.findings, group_by, self.options.findings)

    def fitted(self) -> Fitted:
        """The drawing ``--engine auto`` keeps (laid out and measured once, for every format)."""
        if self._fitted is None:
            self._fitted = fit(self.diagram, self.grouped, self.options.width)
        return self._fitted

    def grouped(self) -> Diagram:
        """The diagram grouped (by owner when the user asked for no groups), for rolling up."""
        return self.diagram if self.diagram.groups else self._build("owner")


def render(inventory: Inventory, fmt: str, options: RenderOptions | None = None,
           config: Config | None = None) -> Rendered:
    """Render ``inventory`` as ``fmt``; raises :class:`UsageError` for bad choices and
    :class:`~stackmap.errors.ToolMissingError` when svg, png or pdf is asked for without Graphviz."""
    choice(fmt, FORMATS, "format")
    return _draw(_Plan(inventory, options or RenderOptions(), config), fmt)


def render_each(inventory: Inventory, fmts: tuple[str, ...], options: RenderOptions | None = None,
                config: Config | None = None, findings: list[Finding] | None = None,
                stack: Stack | None = None) -> dict[str, Rendered | ToolMissingError]:
    """One view in several formats, analysed once: each format's :class:`Rendered`, or the
    :class:`~stackmap.errors.ToolMissingError` that Graphviz's absence raised for it. ``findings``
    (of the whole stack, from :func:`~stackmap.engine.evaluate` or ``analyse``) spares running the
    rules again, and ``stack`` (of the same inventory, with the configuration's options) building
    the graph again."""
    for fmt in fmts:
        choice(fmt, FORMATS, "format")
    plan = _Plan(inventory, options or RenderOptions(), config, findings, stack)
    out: dict[str, Rendered | ToolMissingError] = {}
    for fmt in fmts:
        try:
            out[fmt] = _draw(plan, fmt)
        except ToolMissingError as exc:
            out[fmt] = exc
    return out


def _draw(plan: _Plan, fmt: str) -> Rendered:
    options = plan.options
    diagram = plan.diagram
    if options.engine == "auto" and options.width < MIN_WIDTH:
        raise UsageError(f"--width must be at least {MIN_WIDTH} px, not {options.width}")
    if fmt == "mermaid":
        labels = True
        if options.engine == "auto":  # the same drawing as the SVG: summary, compact nodes, labels or not
            fitted = plan.fitted()
            diagram, labels = fitted.attempt.diagram, fitted.attempt.edge_labels
        text, drawn = mermaid.render(diagram, plan.grouped, labels)
        return Rendered(text, None, drawn.systems, len(drawn.nodes), drawn.notes)
    if options.engine == "auto":
        fitted = plan.fitted()
        drawn, engine = fitted.attempt.diagram, fitted.attempt.engine
        if fmt == "dot" or (fmt == "svg" and fitted.svg is not None):
            data: str | bytes = fitted.dot if fmt == "dot" else fitted.svg.decode("utf-8")  # type: ignore[union-attr]
        else:
            out = graphviz.run(fitted.dot, fmt, engine)
            data = out.decode("utf-8") if fmt == "svg" else out
        return Rendered(data, engine, drawn.systems, len(drawn.nodes), drawn.notes, fitted.legibility,
                        fitted.detail_views)
    engine = options.engine
    dot_text = graphviz.to_dot(diagram, engine)
    if fmt == "dot":
        return Rendered(dot_text, engine, diagram.systems, len(diagram.nodes), diagram.notes)
    raw = graphviz.run(dot_text, fmt, engine)
    return Rendered(raw.decode("utf-8") if fmt == "svg" else raw, engine, diagram.systems,
                    len(diagram.nodes), diagram.notes)


MIN_WIDTH = 200
"""Narrowest page ``--width`` accepts."""
