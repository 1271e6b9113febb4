"""``stackmap check``: validate the inventory, run the rules, apply policy, report, pick the exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Callable, Iterable, Optional

import typer

from .options import ConfigOpt, FailOnOpt, PathsArg, choice_callback, format_names, setup, today

if TYPE_CHECKING:
    from ..analysis.config import Config
    from ..analysis.engine import Accepted
    from ..formats import Reporter

FORMATS = format_names()


def register(app: typer.Typer) -> None:
    app.command()(check)


def check(
    paths: PathsArg = None,
    format: Annotated[Optional[str], typer.Option(
        "--format", "-f", metavar="FORMAT", show_default=False,
        callback=choice_callback("format", FORMATS),
        help=f"Output format: {', '.join(FORMATS)} (default: text; github when GITHUB_ACTIONS=true).",
    )] = None,
    output: Annotated[Optional[list[str]], typer.Option(
        "--output", "-o", metavar="FORMAT=PATH", show_default=False,
        help="Also write the report in FORMAT to PATH (repeatable), e.g. -o sarif=stackmap.sarif.",
    )] = None,
    fail_on: FailOnOpt = None,
    config: ConfigOpt = None,
    baseline: Annotated[Optional[Path], typer.Option(
        "--baseline", metavar="FILE", show_default=False,
        help="Fail only on findings not in this baseline (default: `baseline` in the configuration).",
    )] = None,
    diff_base: Annotated[Optional[str], typer.Option(
        "--diff-base", metavar="REF", show_default=False,
        help="Fail only on findings introduced since the merge base of REF and HEAD.",
    )] = None,
    show_suppressed: Annotated[bool, typer.Option(
        "--show-suppressed", help="Also list waived and baselined findings.",
    )] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Parse every file again; neither read nor write the cache.",
    )] = False,
) -> None:
    """Validate the inventory and report isolated systems, duplicate capabilities, silos and more."""
    from .. import __version__
    from ..analysis.engine import Accepted, analyse, fails
    from ..errors import InventoryError
    from ..load.workspace import Workspace
    from ..formats import ReportContext, get

    inventory_paths, cfg = setup(paths, config)
    level = fail_on or cfg.fail_on
    name = format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    outputs = [_output(spec) for spec in output or []]
    color = name == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    ctx = ReportContext(fail_on=level, color=color, version=__version__, show_suppressed=show_suppressed)
    if "sarif" in (name, *(fmt for fmt, _ in outputs)):
        _note_information_uri()

    from ..process import before_effects, guard

    guard(baseline, os.environ.get("GITHUB_STEP_SUMMARY") if name == "github" else None, *(p for _, p in outputs))

    def emit(render: Callable[[Reporter], str], stream: Callable[[], Iterable[str]] | None = None) -> None:
        from ..output import write_atomic

        before_effects()
        for fmt, path in outputs:
            write_atomic(path, render(get(fmt)))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if name == "github" and summary and not any(fmt == "markdown" for fmt, _ in outputs):
            try:
                with open(summary, "a", encoding="utf-8") as handle:  # GitHub appends step summaries
                    handle.write(render(get("markdown")))
            except OSError as exc:  # the annotations still go out; the summary is a bonus
                sys.stderr.write(f"stackmap: note: cannot write the step summary {summary}: {exc.strerror}\n")
        if stream is not None:  # written as it is made: no whole document in memory
            for chunk in stream():
                sys.stdout.write(chunk)
        else:
            sys.stdout.write(render(get(name)))

    import gc

    from ..daemon.pool import active

    daemon = active()
    if daemon is None:
        gc.disable()  # a short-lived process building a large acyclic object graph: no cycles to collect
    try:
        from ..load.cache import default_cache
        from ..load.limits import Limits
        from ..load.parallel import workers_from_env

        limits = Limits.from_env()
        workers = workers_from_env()
        cache = None if no_cache else default_cache(inventory_paths, limits)
        pool = None if no_cache else daemon  # in the daemon: a workspace kept warm between checks
        workspace = Workspace(inventory_paths, cfg.exclude, limits, cache, workers) if pool is None \
            else pool.workspace(inventory_paths, cfg.exclude, limits, cache, workers)
        inventory = workspace.inventory()
        accepted: list[Accepted] = []
        notes: list[str] = []
        baseline_file = baseline or cfg.baseline_path()
        if baseline_file is not None:
            from ..analysis.baseline import read
            from ..load.sources import display_path

            shown = display_path(baseline_file)
            accepted.append(Accepted(read(baseline_file, shown).fingerprints, shown,
                                     "; run `stackmap baseline update` to drop them"))
        if diff_base:
            base, note = findings_at(inventory_paths, cfg, diff_base)
            accepted.append(base)
            notes += note
        result = analyse(inventory, cfg, tuple(accepted), today()) if pool is None \
            else workspace.analyse(inventory, cfg, tuple(accepted), today())
        result.notes[:0] = notes
    except InventoryError as exc:
        emit(lambda r: r.format_problems(exc, ctx))
        raise typer.Exit(1) from None
    stream = None
    if name == "json":
        from ..formats.json import iter_result

        stream = lambda: iter_result(result, ctx)  # noqa: E731
    emit(lambda r: r.format_result(result, ctx), stream)
    raise typer.Exit(1 if fails(result.findings, level) else 0)


def _output(spec: str) -> tuple[str, Path]:
    from ..errors import UsageError
    from ..formats import get

    fmt, sep, path = spec.partition("=")
    if not sep or not path:
        raise UsageError(f"--output {spec!r}: expected FORMAT=PATH, e.g. sarif=stackmap.sarif")
    get(fmt)
    return fmt, Path(path)


def _note_information_uri() -> None:
    """A bad ``STACKMAP_INFORMATION_URI`` only loses SARIF a link: a note, not a usage error."""
    from ..formats.home_page import env_problem

    problem = env_problem(os.environ)
    if problem:
        sys.stderr.write(f"stackmap: note: {problem}\n")


def findings_at(paths: list[Path], cfg: Config, ref: str) -> tuple[Accepted, list[str]]:
    """The fingerprints of the findings at the merge base of ``ref`` and HEAD (same configuration)."""
    from ..analysis.engine import Accepted, analyse
    from ..errors import InventoryError
    from ..load.gitrefs import merge_base, sources_at, work_tree_root
    from ..load.workspace import Workspace
    from ..load.parallel import workers_from_env

    root = work_tree_root(paths[0])
    commit = merge_base(root, ref)
    label = f"{ref} ({commit[:12]})"
    sources = sources_at(root, commit, paths, cfg.exclude)
    if not sources:
        return Accepted(frozenset(), label), [f"no inventory at {label}: every finding is new"]
    try:
        base = analyse(Workspace.of(sources, workers=workers_from_env()).inventory(), cfg, (), today())
    except InventoryError:
        return Accepted(frozenset(), label), [f"the inventory at {label} is invalid: every finding is new"]
    return Accepted(frozenset(f.fingerprint for f in base.findings), label), []
