"""``stackmap report``: the wiki page, as ``report.md`` (Markdown and Mermaid) and ``index.html``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ._portfolio import PathsArg, choose

FORMATS = ("both", "html", "markdown")
DEFAULT_TITLE = "Marketing-technology stack"


def register(app: typer.Typer) -> None:
    app.command(name="report")(report)


def report(
    paths: PathsArg,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Folder to write the report into (created when missing).", metavar="DIR",
        show_default=False)],
    title: Annotated[str, typer.Option("--title", help="The page's title.", metavar="TEXT")] = DEFAULT_TITLE,
    format: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help="html (index.html), markdown (report.md and its SVGs) or both.")] = "both",
) -> None:
    """Write the wiki page: report.md (Markdown with Mermaid) and a self-contained, interactive index.html.

    Headline numbers, findings, the overview and customer-data diagrams, every system's details, the
    capability matrix, duplicate capabilities and spend by owner. Without Graphviz the page is still
    written, with a note instead of the SVG diagrams (report.md keeps its Mermaid diagrams).
    """
    choose(format, FORMATS, "--format")
    from ..output import write_atomic
    from ..report import build, files
    from ._portfolio import load_stack_and_config
    from .options import today

    from ..errors import UsageError

    if output.exists() and not output.is_dir():
        raise UsageError(f"{output} is a file; -o names the folder to write the report into")
    if not title.strip():
        raise UsageError("--title must not be empty")
    import gc

    gc.disable()  # a short-lived process building a large acyclic object graph: no cycles to collect
    stack, config = load_stack_and_config(paths)
    built = build(stack, config, title, today())
    written = files(built, format)
    for name, text in written.items():
        write_atomic(output / name, text)
    if built.missing:
        sys.stderr.write(f"note: no SVG diagrams: {built.missing}\n")
    sys.stderr.write(f"wrote {', '.join(str(output / name) for name in written)}\n")
