"""``stackmap render``: draw the stack (or one view of it) as svg, png, pdf, dot or Mermaid."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .options import ConfigOpt, setup

VIEW_HELP = ("overview, customer-data, system:ID, capability:ID or owner:NAME.")


def register(app: typer.Typer) -> None:
    app.command(name="render")(render)


def render(
    paths: Annotated[list[Path], typer.Argument(help="Inventory files or directories.", show_default=False,
                                                metavar="PATH...")],
    output: Annotated[str, typer.Option("--output", "-o", help="File to write; '-' for standard output.",
                                        show_default=False)],
    format: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="svg, png, pdf, dot or mermaid (default: from the -o extension).",
        show_default=False)] = None,
    view: Annotated[str, typer.Option("--view", help=VIEW_HELP)] = "overview",
    depth: Annotated[Optional[int], typer.Option(
        "--depth", help="Steps from the system in a system:ID view (default 1).", show_default=False)] = None,
    group_by: Annotated[str, typer.Option("--group-by", help="owner, capability, part_of or none.")] = "owner",
    engine: Annotated[str, typer.Option(
        "--engine", help="auto, dot, sfdp or neato (auto picks by size and rolls up very large views).")
    ] = "auto",
    include_retired: Annotated[bool, typer.Option(
        "--include-retired", help="Show retired systems (greyed).")] = False,
    width: Annotated[int, typer.Option(
        "--width", metavar="PX",
        help="Page width the drawing is made legible at (--engine auto): text of at least 8 px, no overlaps, "
             "sides at most 2.5:1; a stack too big for that is drawn as a summary by group.")] = 1000,
    no_findings: Annotated[bool, typer.Option(
        "--no-findings", help="Do not mark silos, unsynced, isolated and duplicate systems.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Draw the architecture as a Graphviz (svg, png, pdf, dot) or Mermaid diagram."""
    from ..errors import InventoryError, UsageError
    from .options import load
    from ..output import write_atomic
    from ..render import TEXT_FORMATS, RenderOptions, format_for
    from ..render import render as draw
    from ..formats import ReportContext
    from ..formats import text as text_report

    fmt = format_for(output, format)
    if output == "-" and fmt not in TEXT_FORMATS:
        raise UsageError(f"{fmt} is binary and cannot go to standard output; give -o FILE.{fmt}")
    options = RenderOptions(view=view, depth=depth, group_by=group_by, engine=engine,
                            include_retired=include_retired, findings=not no_findings, width=width)
    paths, cfg = setup(paths, config)  # .stackmap.yaml: exclude patterns, rule settings and options
    try:
        inventory = load(paths, cfg.exclude)
    except InventoryError as exc:
        sys.stderr.write(text_report.format_problems(exc, ReportContext()))
        raise typer.Exit(1) from None
    result = draw(inventory, fmt, options, cfg)
    if output == "-":
        data = result.data
        sys.stdout.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
        sys.stdout.flush()
        return
    write_atomic(Path(output), result.data)
    for note in result.notes:
        sys.stderr.write(f"note: {note}\n")
    engine_used = f" with {result.engine}" if result.engine else ""
    sys.stderr.write(f"wrote {output} ({fmt}{engine_used}, {result.systems} systems)\n")
