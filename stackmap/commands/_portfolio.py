"""What the portfolio commands (spend, impact, rationalize) share: options, loading, writing.

Imports only the standard library and typer at module level; the rest is imported when used.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from ..analysis.config import Config
    from ..analysis.graph import Stack

PathsArg = Annotated[
    list[Path], typer.Argument(help="Inventory files or directories.", show_default=False, metavar="PATH...")
]
OutputOption = Annotated[
    Optional[Path],
    typer.Option("--output", "-o", help="Write the report to this file instead of standard output.",
                 show_default=False, metavar="FILE"),
]


def format_option(choices: tuple[str, ...]) -> object:
    """A ``--format/-f`` option listing ``choices`` in its help (validated by :func:`choose`)."""
    return typer.Option("--format", "-f", help=f"Output format: {', '.join(choices)}.", metavar="FORMAT")


def choose(value: str, choices: tuple[str, ...] | list[str], option: str) -> str:
    """``value`` if it is one of ``choices``; else a usage error listing them, with a did-you-mean."""
    if value in choices:
        return value
    from ..errors import UsageError
    from ..hints import suggest

    raise UsageError(f"unknown {option} {value!r}{suggest(value, choices)}; valid values: {', '.join(choices)}")


def load_stack(paths: list[Path]) -> Stack:
    """Load and validate the inventory; an invalid one is reported on stderr with exit code 1."""
    return load_stack_and_config(paths)[0]


def load_stack_and_config(paths: list[Path]) -> tuple[Stack, Config]:
    """:func:`load_stack`, and the configuration (``.stackmap.yaml``) it was loaded with."""
    from ..analysis.config_file import load_config
    from ..errors import InventoryError
    from ..analysis.graph import Stack
    from .options import load
    from ..formats import ReportContext, text

    config = load_config(None, paths[0] if paths else Path.cwd())  # .stackmap.yaml sets the options
    try:
        inventory = load(paths, config.exclude)
    except InventoryError as exc:
        sys.stderr.write(text.format_problems(exc, ReportContext()))
        raise typer.Exit(1) from None
    return Stack(inventory, config.options), config


def emit(report: str, output: Path | None) -> None:
    """Write the report to ``output`` (atomically) or to standard output."""
    if output is None:
        sys.stdout.write(report)
        return
    from ..output import write_atomic

    write_atomic(output, report)
