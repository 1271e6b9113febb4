"""``stackmap export FORMAT PATH... -o FILE``: the inventory in another tool's format.

``graphml``, ``json``, ``cypher`` and ``structurizr`` write one file (standard output without
``-o``); ``csv`` writes ``systems.csv`` and ``flows.csv`` (and the definitions, if any) into the
folder named by ``-o``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer


def register(app: typer.Typer) -> None:
    from ..interop import EXPORTERS

    @app.command("export")
    def export(
        fmt: str = typer.Argument(..., metavar="FORMAT", show_default=False,  # noqa: B008
                                  help=f"Output format: {', '.join(EXPORTERS)}."),
        paths: list[Path] = typer.Argument(..., metavar="PATH...", show_default=False,  # noqa: B008
                                           help="Inventory files or directories."),
        output: Annotated[Optional[Path], typer.Option(
            "--output", "-o", show_default=False,
            help="File to write (csv: the folder). Standard output when omitted (not for csv).",
        )] = None,
    ) -> None:
        """Export the inventory to GraphML, node-link JSON, Neo4j Cypher, Structurizr DSL or CSV."""
        from ..errors import InventoryError, UsageError
        from ..interop import exporter
        from .options import load
        from ..load.loader import gc_paused
        from ..output import write_atomic
        from ..formats import ReportContext, text

        module = exporter(fmt)
        if fmt == "csv" and output is None:
            raise UsageError("csv writes several files: name the folder with -o")
        if fmt == "csv" and output is not None and output.exists() and not output.is_dir():
            raise UsageError(f"{output}: not a folder (csv writes systems.csv and flows.csv into -o)")
        if fmt != "csv" and output is not None and output.is_dir():
            raise UsageError(f"{output}: is a folder; -o names the file to write")
        try:
            inventory = load(paths)
        except InventoryError as exc:
            sys.stderr.write(text.format_problems(exc, ReportContext()))
            raise typer.Exit(1) from None
        if fmt == "csv":
            assert output is not None
            with gc_paused():
                files = module.export_files(inventory)
            for name, content in files.items():
                write_atomic(output / name, content)
            return
        with gc_paused():  # large acyclic structures: the cyclic GC only costs time here
            content = module.export(inventory)
        if output is None:
            sys.stdout.write(content)
        else:
            write_atomic(output, content)
