"""``stackmap schema``: the JSON Schema of an inventory file, for editors and other tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def register(app: typer.Typer) -> None:
    app.command()(schema)


def schema(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", show_default=False,
                                                   help="Write to FILE instead of standard output.")] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of an inventory file, generated from the models."""
    from ..load.schema import schema_text

    text = schema_text()
    if output is None:
        typer.echo(text, nl=False)
        return
    from ..output import write_atomic

    write_atomic(output, text)
