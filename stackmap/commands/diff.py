"""``stackmap diff``: what a change does to the architecture, for a reviewer or a PR comment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .options import ConfigOpt, choice_callback, setup, today

FORMATS = ("text", "json", "markdown")


def register(app: typer.Typer) -> None:
    app.command()(diff)


def diff(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="With --base: inventory paths (default: `paths` in .stackmap.yaml). Without: OLD NEW, two "
             "inventory directories or files.", show_default=False, metavar="PATH")] = None,
    base: Annotated[Optional[str], typer.Option(
        "--base", metavar="REF", show_default=False,
        help="Compare the work tree with the inventory at the merge base of REF and HEAD (read with git; "
             "nothing is checked out).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                        callback=choice_callback("format", FORMATS),
                                        help=f"Output format: {', '.join(FORMATS)} (markdown: a PR comment).")
                      ] = "text",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", show_default=False,
                                                   help="Write to FILE instead of standard output.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Systems and flows added, removed and changed, and the findings introduced and resolved."""
    import sys

    from ..diff.compare import compare
    from ..diff.formats import markdown, markdown_invalid, text, to_json
    from ..analysis.engine import analyse
    from ..errors import InventoryError, UsageError
    from .options import load
    from ..load.workspace import Workspace
    from ..output import write_atomic
    from ..formats import ReportContext, get
    from ..load.sources import display_path

    def emit(body: str) -> None:
        if output is None:
            sys.stdout.write(body)
        else:
            write_atomic(output, body)

    if base is None:
        if not paths or len(paths) != 2:
            raise UsageError("give OLD and NEW inventory paths, or --base REF [PATH...]")
        old_path, new_path = paths
        _, cfg = setup([new_path], config)
        base_label, head_label = display_path(old_path), display_path(new_path)
        old_paths, new_paths = [old_path], [new_path]
    else:
        new_paths, cfg = setup(paths, config)
        head_label = "working tree"
    try:
        head = analyse(load(new_paths, cfg.exclude), cfg, (), today())
    except InventoryError as exc:
        if format == "markdown":
            emit(markdown_invalid(exc, head_label))
        else:
            emit(get(format if format != "markdown" else "text").format_problems(exc, ReportContext()))
        raise typer.Exit(1) from None
    notes: list[str] = []
    if base is None:
        try:
            old = analyse(load(old_paths, cfg.exclude), cfg, (), today())
        except InventoryError as exc:
            old = None
            notes.append(f"the inventory at {base_label} is invalid ({len(exc.problems)} problems): "
                         "compared with an empty one")
    else:
        from ..load.gitrefs import merge_base, sources_at, work_tree_root

        root = work_tree_root(new_paths[0])
        commit = merge_base(root, base)
        base_label = f"{base} ({commit[:12]})"
        sources = sources_at(root, commit, new_paths, cfg.exclude)
        old = None
        if not sources:
            notes.append(f"no inventory at {base_label}: everything is new")
        else:
            try:
                old = analyse(Workspace.of(sources).inventory(), cfg, (), today())
            except InventoryError as exc:
                notes.append(f"the inventory at {base_label} is invalid ({len(exc.problems)} problems): "
                             "compared with an empty one")
    result = compare(old, head, base_label, head_label)
    result.notes += notes
    if format == "json":
        emit(to_json(result))
    elif format == "markdown":
        emit(markdown(result))
    else:
        emit(text(result))
