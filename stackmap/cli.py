"""The command line: parse arguments, call the library, print, pick the exit code.

Exit codes: 0 clean; 1 findings at the fail level or an invalid inventory; 2 usage or configuration
error, or internal failure. Heavy modules (pydantic, networkx, graphviz) are imported inside the
commands that need them, so ``stackmap --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
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


@app.command()
def rules(
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.text,
) -> None:
    """List every rule with its id, default severity and summary."""
    import json

    from .analysis.rules import RULES

    if format is TextOrJson.json:
        doc = [{"id": r.ID, "severity": r.SEVERITY.value, "summary": r.SUMMARY} for r in RULES.values()]
        typer.echo(json.dumps(doc, indent=2))
        return
    width = max(len(r) for r in RULES)
    for rule in RULES.values():
        typer.echo(f"{rule.ID:<{width}}  {rule.SEVERITY.value:<7}  {rule.SUMMARY}")


# Commands that live in their own modules (stackmap/commands/), registered here in one place.
COMMAND_MODULES: tuple[str, ...] = (
    "check", "config", "baseline", "diff", "schema", "render", "spend", "impact", "rationalize", "import_",
    "export", "report", "lsp", "serve", "daemon",
)


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
        from .process import RunInClient, can_hand_back

        if can_hand_back():  # the daemon, nothing written yet: the client runs the command itself
            raise RunInClient(f"internal error: {type(exc).__name__}") from exc
        if os.environ.get("STACKMAP_DEBUG"):
            raise
        sys.stderr.write(
            f"stackmap: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in stackmap; set STACKMAP_DEBUG=1 to see the traceback.\n"
        )
        sys.exit(2)
