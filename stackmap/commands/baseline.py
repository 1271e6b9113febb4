"""``stackmap baseline create|update``: record today's findings as accepted debt, by fingerprint."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .options import ConfigOpt, PathsArg, setup, today

if TYPE_CHECKING:
    from ..analysis.engine import Result

OutputOpt = Annotated[Optional[Path], typer.Option(
    "--output", "-o", metavar="FILE", show_default=False,
    help="Baseline file (default: `baseline` in the configuration, else .stackmap-baseline.json).")]

baseline_app = typer.Typer(help="Create or update the baseline of accepted findings.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(baseline_app, name="baseline")


def _current(paths: Optional[list[Path]], config: Optional[Path], output: Optional[Path]) -> tuple[Result, Path]:
    """The findings that count today (waivers applied, no baseline) and the baseline path."""
    from ..analysis.config import DEFAULT_BASELINE
    from ..analysis.engine import analyse
    from ..errors import InventoryError
    from .options import load
    from ..formats import ReportContext, get

    inventory_paths, cfg = setup(paths, config)
    target = output or cfg.baseline_path() or Path(DEFAULT_BASELINE)
    try:
        result = analyse(load(inventory_paths, cfg.exclude), cfg, (), today())
    except InventoryError as exc:
        typer.echo(get("text").format_problems(exc, ReportContext()), nl=False)
        raise typer.Exit(1) from None
    return result, target


@baseline_app.command()
def create(
    paths: PathsArg = None,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing baseline file.")] = False,
) -> None:
    """Write every current finding's fingerprint to the baseline file, sorted for review."""
    from ..analysis.baseline import dumps, from_findings
    from ..errors import UsageError
    from ..hints import plural
    from ..output import write_atomic

    result, target = _current(paths, config, output)
    if target.exists() and not force:
        raise UsageError(f"{target} exists: use `stackmap baseline update` (or --force to start over)")
    accepted = from_findings(result.new)
    write_atomic(target, dumps(accepted))
    typer.echo(f"wrote {target}: {plural(len(accepted.entries), 'finding')} accepted")


@baseline_app.command()
def update(
    paths: PathsArg = None,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    accept_new: Annotated[bool, typer.Option("--accept-new", help="Also accept findings that are not in "
                                             "the baseline yet.")] = False,
) -> None:
    """Drop entries that no longer match a finding; refuse to add new findings without --accept-new."""
    from ..analysis.baseline import dumps, from_findings, read
    from ..hints import plural
    from ..output import write_atomic

    result, target = _current(paths, config, output)
    old = read(target, str(target))
    known = old.fingerprints
    current = result.new
    fresh = [f for f in current if f.fingerprint not in known]
    if fresh and not accept_new:
        typer.echo(f"{plural(len(fresh), 'finding')} not in {target}; fix them, waive them, or accept "
                   "them with --accept-new:", err=True)
        for f in fresh:
            typer.echo(f"  {f.location}: {f.severity.value}: {f.message} [{f.rule}]", err=True)
        raise typer.Exit(1)
    kept = [f for f in current if f.fingerprint in known or accept_new]
    updated = from_findings(kept)
    dropped = len(known - updated.fingerprints)
    write_atomic(target, dumps(updated))
    typer.echo(f"updated {target}: {plural(len(updated.entries), 'finding')} accepted, "
               f"{len(fresh) if accept_new else 0} added, {dropped} dropped")
