"""``stackmap spend``: annual cost by owner, capability or vendor; money in overlap; marketing vs IT."""

from __future__ import annotations

from typing import Annotated

import typer

from ._portfolio import OutputOption, PathsArg, choose, emit, format_option, load_stack

FORMATS = ("text", "json", "markdown", "csv")
DIMENSIONS = ("owner", "capability", "vendor")


def register(app: typer.Typer) -> None:
    app.command(name="spend")(spend)


def spend(
    paths: PathsArg,
    by: Annotated[str, typer.Option("--by", help=f"Break spend down by: {', '.join(DIMENSIONS)}.",
                                    metavar="DIMENSION")] = "owner",
    format: Annotated[str, format_option(FORMATS)] = "text",
    output: OutputOption = None,
) -> None:
    """Annual spend by owner, capability or vendor, money in overlap, and marketing versus IT.

    Systems without an annual_cost are listed, never counted as zero; retired systems are left out.
    """
    choose(by, DIMENSIONS, "--by")
    choose(format, FORMATS, "--format")
    from ..portfolio.spend import spend as compute
    from ..portfolio.spend_format import FORMATS as FORMATTERS

    emit(FORMATTERS[format](compute(load_stack(paths), by)), output)
