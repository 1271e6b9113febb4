"""``stackmap impact``: what retiring one system would break, isolate, orphan and save."""

from __future__ import annotations

from typing import Annotated

import typer

from ._portfolio import OutputOption, PathsArg, choose, emit, format_option, load_stack

FORMATS = ("text", "json", "markdown")


def register(app: typer.Typer) -> None:
    app.command(name="impact")(impact)


def impact(
    system_id: Annotated[str, typer.Argument(help="The id of the system to retire.", metavar="SYSTEM_ID",
                                             show_default=False)],
    paths: PathsArg,
    format: Annotated[str, format_option(FORMATS)] = "text",
    output: OutputOption = None,
) -> None:
    """What retiring SYSTEM_ID would do: broken flows, isolated systems, customer data cut off from
    the system of record, capabilities left with no provider, and the annual cost saved."""
    choose(format, FORMATS, "--format")
    from ..portfolio.impact import impact as compute
    from ..portfolio.impact_format import FORMATS as FORMATTERS

    emit(FORMATTERS[format](compute(load_stack(paths), system_id)), output)
