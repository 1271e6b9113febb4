"""The command line: parse arguments, call the library, print, pick the exit code.

Exit codes: 0 clean; 1 findings at the fail level or an invalid inventory; 2 usage or configuration
error, or internal failure. Heavy modules (pydantic, networkx, graphviz) are imported inside the
commands that need them, so ``stackmap --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import StackmapError

app = typer.Typer(
    name="stackmap",
    help="Map, check and render a marketing-technology stack described in YAML inventories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class TextOrJson(str, Enum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stackmap {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Map, check and render a marketing-technology stack described in YAML inventories."""


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


PathsArg = Annotated[
    list[Path], typer.Argument(help="Inventory files or directories.", show_default=False, metavar="PATH...")
]


@app.command()
def check(
    paths: PathsArg,
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity.")
    ] = FailOn.error,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Parse every file again; neither read nor write the cache.")
    ] = False,
) -> None:
    """Validate the inventory and report isolated systems, duplicate capabilities, silos and more."""
    import gc

    from .config import Config
    from .engine import analyse, fails
    from .errors import InventoryError
    from .inventory import load_inventory
    from .report import REPORTERS, ReportContext

    config = Config(fail_on=fail_on.value)
    reporter = REPORTERS[format.value]
    ctx = ReportContext(fail_on=config.fail_on, color=_color() and format is TextOrJson.text,
                        version=__version__)
    gc.disable()  # a short-lived process building a large acyclic object graph: no cycles to collect
    try:
        from .cache import default_cache
        from .limits import Limits

        limits = Limits.from_env()
        cache = None if no_cache else default_cache(paths, limits)
        inventory = load_inventory(paths, config.exclude, cache=cache, limits=limits)
    except InventoryError as exc:
        sys.stdout.write(reporter.format_problems(exc, ctx))
        raise typer.Exit(1) from None
    result = analyse(inventory, config)
    sys.stdout.write(reporter.format_result(result, ctx))
    raise typer.Exit(1 if fails(result.findings, config.fail_on) else 0)


@app.command()
def rules(
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.text,
) -> None:
    """List every rule with its id, default severity and summary."""
    import json

    from .rules import RULES

    if format is TextOrJson.json:
        doc = [{"id": r.ID, "severity": r.SEVERITY.value, "summary": r.SUMMARY} for r in RULES.values()]
        typer.echo(json.dumps(doc, indent=2))
        return
    width = max(len(r) for r in RULES)
    for rule in RULES.values():
        typer.echo(f"{rule.ID:<{width}}  {rule.SEVERITY.value:<7}  {rule.SUMMARY}")


# Commands that live in their own modules (stackmap/commands/), registered here in one place.
COMMAND_MODULES: tuple[str, ...] = ()


def _register() -> None:
    import importlib

    for name in COMMAND_MODULES:
        module = importlib.import_module(f"stackmap.commands.{name}")
        module.register(app)


_register()


def main(argv: Optional[list[str]] = None) -> None:
    """Entry point: runs the app and maps every error to a message and an exit code.

    Usage errors are reported by the argument parser itself (exit 2); a :class:`StackmapError`
    becomes its message and exit code; anything else is an internal error (exit 2), never a traceback.
    """
    try:
        app(args=argv, prog_name="stackmap")
    except SystemExit:
        raise
    except StackmapError as exc:
        sys.stderr.write(f"stackmap: {exc}\n")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("stackmap: interrupted\n")
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(2)
    except Exception as exc:  # the last line of defence: never a traceback
        if os.environ.get("STACKMAP_DEBUG"):
            raise
        sys.stderr.write(
            f"stackmap: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in stackmap; set STACKMAP_DEBUG=1 to see the traceback.\n"
        )
        sys.exit(2)
