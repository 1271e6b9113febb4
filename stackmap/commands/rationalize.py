"""``stackmap rationalize``: duplicate-capability groups ranked by evidence, with the saving of each."""

from __future__ import annotations

from typing import Annotated

import typer

from ._portfolio import OutputOption, PathsArg, choose, emit, format_option, load_stack

FORMATS = ("text", "json", "markdown")


def register(app: typer.Typer) -> None:
    app.command(name="rationalize")(rationalize)


def rationalize(
    paths: PathsArg,
    format: Annotated[str, format_option(FORMATS)] = "text",
    output: OutputOption = None,
) -> None:
    """Consolidation candidates: duplicate-capability groups ranked by evidence of real overlap, each
    with its keeper, its potential annual saving and the reasons."""
    choose(format, FORMATS, "--format")
    from ..portfolio.rationalize import rationalize as compute
    from ..portfolio.rationalize_format import FORMATS as FORMATTERS

    emit(FORMATTERS[format](compute(load_stack(paths))), output)
