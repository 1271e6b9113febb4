"""``stackmap import FORMAT SOURCE... -o DIR``: start an inventory from a spreadsheet, a Backstage
catalog or an ArchiMate model. Writes ``DIR/FORMAT.yaml`` and prints what could not be mapped."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    from ..interop import IMPORTERS

    @app.command("import")
    def import_(
        fmt: str = typer.Argument(..., metavar="FORMAT", show_default=False,  # noqa: B008
                                  help=f"Input format: {', '.join(IMPORTERS)}."),
        sources: list[Path] = typer.Argument(..., metavar="SOURCE...", show_default=False,  # noqa: B008
                                             help="Input files or folders."),
        output: Path = typer.Option(..., "--output", "-o", show_default=False,  # noqa: B008
                                    help="Folder to write FORMAT.yaml into."),
        force: Annotated[bool, typer.Option("--force", help="Overwrite FORMAT.yaml if it exists.")] = False,
        data_map: Annotated[list[str], typer.Option(
            "--data-map", metavar="NAME=CATEGORY",
            help="archimate: the data category of a DataObject (by name or identifier); csv, xlsx: the data "
                 "category of a value in the data column; repeatable.",
        )] = [],  # noqa: B006 (typer reads the default)
        lang: Annotated[str | None, typer.Option(
            "--lang", metavar="LANG", help="archimate: the language (xml:lang) to read names in, e.g. en or nl.",
        )] = None,
        exclude: Annotated[list[str], typer.Option(
            "--exclude", metavar="GLOB",
            help="backstage, csv, xlsx: skip files whose path (or any folder of it) matches GLOB; repeatable.",
        )] = [],  # noqa: B006 (typer reads the default)
        sheet: Annotated[str | None, typer.Option(
            "--sheet", metavar="NAME", help="xlsx: read systems from this sheet only (default: every sheet).",
        )] = None,
    ) -> None:
        """Write an inventory from CSV sheets, an Excel workbook, a Backstage catalog or an ArchiMate model."""
        from ..errors import UsageError
        from ..hints import plural
        from ..interop import InputError, importer
        from ..interop.draft import ImportOptions
        from ..interop.emit import comment
        from ..interop.importing import run
        from ..output import write_atomic
        from ..load.sources import display_path

        importer(fmt)  # an unknown format is a usage error before anything else
        mapping: dict[str, str] = {}
        for item in data_map:
            name, sep, category = item.partition("=")
            if not sep or not name.strip() or not category.strip():
                raise UsageError(f"--data-map {item!r}: expected NAME=CATEGORY")
            mapping[name.strip()] = category.strip()
        if mapping and fmt not in ("archimate", "csv", "xlsx"):
            raise UsageError("--data-map applies to the archimate, csv and xlsx formats only")
        if lang is not None and fmt != "archimate":
            raise UsageError("--lang applies to the archimate format only")
        if exclude and fmt == "archimate":
            raise UsageError("--exclude applies to the backstage, csv and xlsx formats only")
        if sheet is not None and fmt != "xlsx":
            raise UsageError("--sheet applies to the xlsx format only")
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output}: not a folder (-o names the folder to write {fmt}.yaml into)")
        target = output / f"{fmt}.yaml"
        if target.exists() and not force:
            raise UsageError(f"{target} exists: pass --force to overwrite it")
        shown = display_path(target)
        try:
            result = run(fmt, sources, ImportOptions(mapping, lang=lang, exclude=tuple(exclude), sheet=sheet), shown)
        except InputError as exc:
            for problem in exc.problems:
                sys.stdout.write(f"{comment(problem)}\n")
            if exc.notes:
                sys.stdout.write(f"notes ({len(exc.notes)}):\n")
                for note in exc.notes:
                    sys.stdout.write(f"  {comment(note)}\n")
            sys.stdout.write(f"import failed: {plural(len(exc.problems), 'problem')} in the input; "
                             "nothing written\n")
            raise typer.Exit(1) from None
        write_atomic(target, result.text)
        draft = result.draft
        defined = len(draft.data_categories)
        extra = f", {plural(defined, 'data category', 'data categories')} defined" if defined else ""
        sys.stdout.write(f"wrote {shown}: {plural(result.systems, 'system')}, "
                         f"{plural(result.flows, 'flow')}{extra}\n")
        if draft.notes:
            sys.stdout.write(f"not mapped, or mapped with a guess ({len(draft.notes)}; also listed in the file):\n")
            for note in draft.notes:
                sys.stdout.write(f"  {comment(note)}\n")
        for line in draft.summary:
            sys.stdout.write(f"{comment(line)}\n")
        sys.stdout.write(f"next: review it, then run `stackmap check {display_path(output)}`\n")
