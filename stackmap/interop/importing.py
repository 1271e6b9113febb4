"""Run an importer and turn its draft into inventory text that is known to load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InventoryError, StackmapError
from . import InputError, importer
from .draft import Draft, ImportOptions
from .emit import render


@dataclass
class Imported:
    """The text of the inventory file to write, and the draft it came from (for the report)."""

    text: str
    draft: Draft
    systems: int
    flows: int


def run(fmt: str, paths: list[Path], options: ImportOptions | None = None, display: str = "import.yaml") -> Imported:
    """Import ``paths`` in format ``fmt``; raise :class:`InputError` with every problem of the input.

    The text is loaded with the inventory loader before it is returned: an importer that produced an
    invalid inventory is a bug, reported as such rather than written.
    """
    from ..load.sources import Source
    from ..load.workspace import Workspace

    from ..load.loader import gc_paused

    module = importer(fmt)
    with gc_paused():
        draft: Draft = module.read(paths, options or ImportOptions())
    if draft.errors:
        raise InputError(draft.errors, draft.notes)
    if not draft.systems:
        reason = draft.empty_reason or "nothing in the input maps to a system"
        raise InputError([f"{', '.join(draft.sources) or 'the input'}: no systems to import: {reason}"],
                         draft.notes)
    with gc_paused():
        text = render(draft, f"stackmap import {fmt}")
    try:
        inventory = Workspace.of([Source(display, text.encode("utf-8"), True)]).inventory()
    except InventoryError as exc:
        detail = "; ".join(str(p) for p in exc.problems[:5])
        raise StackmapError(f"internal error: the {fmt} importer produced an invalid inventory: {detail}") from None
    return Imported(text, draft, len(inventory.systems), len(inventory.flows))
