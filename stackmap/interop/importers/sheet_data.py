"""Data cells of a sheet → data categories: only known ones, never invented from free text."""

from __future__ import annotations

from ...load.model import BUILTIN_DATA_CATEGORIES
from .. import columns as col
from ..draft import Draft, slugify
from .sheet import EXTRAS, Row


class Data:
    """Reads data cells: known categories only; the rest is collected for one note."""

    def __init__(self, defined: set[str], data_map: dict[str, str]) -> None:
        self.defined = defined
        self.data_map = {k.strip().lower(): v for k, v in data_map.items()}
        self.used_map: set[str] = set()
        self.unknown: dict[str, str] = {}
        """Value → the first place it was found."""
        self.rows = 0

    def read(self, cell: str, where: str, draft: Draft, row: Row, header: str) -> list[str]:
        out: list[str] = []
        left: list[str] = []
        for item in col.split_list(cell):
            key = item.strip().lower()
            if key in self.data_map:
                self.used_map.add(key)
                slug = slugify(self.data_map[key], "data")
                category = col.DATA_SYNONYMS.get(slug, slug)
                draft.use_category(category, where)
                out.append(category)
                continue
            slug = slugify(item, "data")
            if slug in self.defined or slug in BUILTIN_DATA_CATEGORIES:
                out.append(slug)
            elif col.DATA_SYNONYMS.get(slug) in BUILTIN_DATA_CATEGORIES:
                out.append(col.DATA_SYNONYMS[slug])
            else:
                left.append(item)
                self.unknown.setdefault(item, where)
        if left:
            self.rows += 1
            row.extras.setdefault(header, cell)
        return list(dict.fromkeys(out))

    def report(self, draft: Draft) -> None:
        if self.unknown:
            values = list(self.unknown)
            shown = ", ".join(repr(v if len(v) <= 40 else v[:39] + "…") for v in values[:5])
            more = f" and {len(values) - 5} more" if len(values) > 5 else ""
            draft.note(next(iter(self.unknown.values())),
                       f"{len(values)} value{'s' if len(values) != 1 else ''} in the data column of {self.rows} "
                       f"row{'s' if self.rows != 1 else ''} {'are' if len(values) != 1 else 'is'} not a data "
                       f"category ({shown}{more}): not made into categories; the cells are kept under {EXTRAS}. "
                       "Map a value with --data-map 'VALUE=CATEGORY' or define it in a data categories sheet")
        for key in sorted(set(self.data_map) - self.used_map):
            draft.note("--data-map", f"{key!r}: no data cell has this value (compared ignoring case)")




class Loose:
    """Cells that are not a value of their column (a lifecycle ``In review``, a cost ``Free``): the
    field is left empty, the cell kept under ``x-csv``, and each column gets one note."""

    def __init__(self) -> None:
        self.found: dict[str, dict[str, str]] = {}
        """Field → value → the first place it was found."""
        self.why: dict[str, str] = {}

    def add(self, field: str, cell: str, header: str, row: Row, where: str, why: str) -> None:
        self.found.setdefault(field, {}).setdefault(cell, where)
        self.why.setdefault(field, why)
        row.extras.setdefault(header, cell)

    def report(self, draft: Draft) -> None:
        for field, values in self.found.items():
            cells = list(values)
            shown = ", ".join(repr(v if len(v) <= 40 else v[:39] + "…") for v in cells[:5])
            more = f" and {len(cells) - 5} more" if len(cells) > 5 else ""
            draft.note(next(iter(values.values())),
                       f"{field}: {len(cells)} value{'s' if len(cells) != 1 else ''} ({shown}{more}) "
                       f"{'are' if len(cells) != 1 else 'is'} not {self.why[field]}: left empty, the cells kept "
                       f"under {EXTRAS}")
