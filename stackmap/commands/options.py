"""Options and steps shared by ``check``, ``config``, ``baseline`` and ``diff`` (light imports only)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from ..load.inventory import Inventory
    from ..analysis.config import Config

FAIL_LEVELS: tuple[str, ...] = ("error", "warning", "info", "never")


def choice_callback(kind: str, choices: tuple[str, ...]) -> Callable[[Optional[str]], Optional[str]]:
    """A typer callback that rejects a value outside ``choices`` with a did-you-mean."""

    def check(value: Optional[str]) -> Optional[str]:
        from ..hints import suggest

        if value is not None and value not in choices:
            raise typer.BadParameter(f"{value!r} is not a valid {kind}{suggest(value, choices)}; "
                                     f"choose one of {', '.join(choices)}")
        return value

    return check


def format_names() -> tuple[str, ...]:
    from ..formats import REPORTERS

    return tuple(REPORTERS)


PathsArg = Annotated[
    Optional[list[Path]],
    typer.Argument(help="Inventory files or directories (default: `paths` in .stackmap.yaml).",
                   show_default=False, metavar="PATH"),
]
ConfigOpt = Annotated[
    Optional[Path],
    typer.Option("--config", "-c", help="Configuration file (default: .stackmap.yaml found upward from "
                 "the inventory to the git root).", metavar="FILE", show_default=False),
]
FailOnOpt = Annotated[
    Optional[str],
    typer.Option("--fail-on", help="Exit 1 when a new finding is at or above this severity: "
                 f"{', '.join(FAIL_LEVELS)} (default: `fail_on` in the configuration, else error).",
                 callback=choice_callback("fail level", FAIL_LEVELS), metavar="LEVEL", show_default=False),
]


def setup(paths: Optional[list[Path]], config_file: Optional[Path]) -> tuple[list[Path], Config]:
    """The inventory paths and the effective configuration for a command."""
    from ..analysis.config_file import load_config
    from ..errors import UsageError

    from ..process import guard

    given = list(paths or [])
    guard(config_file, *given)
    config = load_config(config_file, given[0] if given else Path.cwd())
    if not given:
        given = config.inventory_paths()
        guard(*given)
        if not given:
            raise UsageError("no inventory path given: pass PATH... or set `paths` in .stackmap.yaml")
    return given, config


def today() -> datetime.date:
    """Today's date, or ``STACKMAP_TODAY`` (YYYY-MM-DD) for reproducible runs and tests."""
    from ..errors import UsageError

    fixed = os.environ.get("STACKMAP_TODAY")
    if not fixed:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(fixed)
    except ValueError:
        raise UsageError(f"STACKMAP_TODAY={fixed!r} is not a date like 2025-06-30") from None


def load(paths: list[Path], exclude: tuple[str, ...] = ()) -> Inventory:
    """The inventory at ``paths`` as a one-shot command loads it: through the workspace, within the
    limits the environment sets (``STACKMAP_MAX_*``), parsing on two cores when there is enough
    (``STACKMAP_WORKERS``)."""
    from ..load.inventory import load_inventory
    from ..load.limits import Limits
    from ..load.parallel import workers_from_env

    return load_inventory(paths, exclude, limits=Limits.from_env(), workers=workers_from_env())
