"""What an importer produces before it becomes YAML: entries with their origin, plus a report.

A :class:`Draft` collects systems, flows and definitions, each with the place it came from
(``systems.csv:4``, ``catalog-info.yaml#2 component:default/web``, ``model.xml id-12``), the notes
on what could not be mapped, and the errors that make the input unusable. It owns the id rules:
:func:`slugify` turns any name into a valid id, :class:`Ids` hands out unique ones deterministically,
and flows with the same identity are merged (their origins kept), never written twice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..hints import cut
from ..load.model import BUILTIN_DATA_CATEGORIES, ID_PATTERN

_ID = re.compile(ID_PATTERN)
_NOT_ID = re.compile(r"[^a-z0-9._-]+")


MAX_NOTE = 1_000
"""Longest note an import prints and writes, in characters."""


def slugify(text: str, fallback: str = "item") -> str:
    """A valid id from any text: ``"Adobe Marketo Engage"`` → ``adobe-marketo-engage``.

    Accents are folded to ASCII, runs of other characters become ``-``; an id that would be empty
    becomes ``fallback``. A valid id is returned unchanged.
    """
    if _ID.fullmatch(text):
        return text
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_ID.sub("-", folded.replace("&", " and "))
    slug = re.sub(r"-{2,}", "-", slug).strip("-._")
    return slug if slug and _ID.fullmatch(slug) else fallback


def is_id(text: str) -> bool:
    """Whether ``text`` is already a valid id."""
    return bool(_ID.fullmatch(text))


class Ids:
    """Unique ids in the order they are asked for: ``crm``, then ``crm-2``, ``crm-3``..."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        ident = wanted
        n = 2
        while ident in self.taken:
            ident = f"{wanted}-{n}"
            n += 1
        self.taken.add(ident)
        return ident


SYSTEM_FIELDS: tuple[str, ...] = ("id", "name", "vendor", "owner", "description", "capabilities", "data",
                                  "roles", "lifecycle", "annual_cost", "it_reviewed", "tags", "part_of")
FLOW_FIELDS: tuple[str, ...] = ("id", "from", "to", "data", "mechanism", "frequency", "description")
CAPABILITY_FIELDS: tuple[str, ...] = ("id", "name", "aliases", "exclusive")
DATA_CATEGORY_FIELDS: tuple[str, ...] = ("id", "name", "customer")


@dataclass
class Entry:
    """One inventory entry to write: field values (``None`` and empty lists are left out), where it
    came from, comments for the reader and ``x-`` extras that stackmap keeps but does not check."""

    values: dict[str, Any]
    origin: str
    comments: list[str] = field(default_factory=list)
    extras: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.values["id"])


@dataclass
class Draft:
    """An import in progress, then its result."""

    sources: list[str] = field(default_factory=list)
    """Display names of the files read."""
    systems: list[Entry] = field(default_factory=list)
    flows: list[Entry] = field(default_factory=list)
    capabilities: list[Entry] = field(default_factory=list)
    data_categories: list[Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What could not be mapped, or was mapped with a guess: written into the file and printed."""
    errors: list[str] = field(default_factory=list)
    """``file:row: message`` for input that cannot be imported; any error means nothing is written."""
    summary: list[str] = field(default_factory=list)
    """What was mapped, derived and skipped, counted: written at the top of the file and printed."""
    empty_reason: str = ""
    """Why there are no systems, when there are none (an import with none fails)."""
    _flow_keys: dict[str, Entry] = field(default_factory=dict, repr=False)

    def note(self, where: str, message: str) -> None:
        self.notes.append(cut(f"{where}: {message}", MAX_NOTE))

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    @property
    def system_ids(self) -> set[str]:
        return {e.id for e in self.systems}

    def add_flow(self, entry: Entry) -> None:
        """Add a flow, or merge it into the flow with the same identity (keeping both origins)."""
        v = entry.values
        key = v.get("id") or f"{v['from']}->{v['to']}:{v.get('mechanism') or ''}:" \
                              f"{','.join(sorted(set(v.get('data') or ())))}"
        same = self._flow_keys.get(key)
        if same is None:
            self._flow_keys[key] = entry
            self.flows.append(entry)
            return
        same.comments.append(f"also from {entry.origin}")
        if v.get("description") and not same.values.get("description"):
            same.values["description"] = v["description"]

    def use_category(self, category: str, where: str) -> None:
        """Make sure ``category`` is built in or defined; define an unknown one as customer data."""
        if category in BUILTIN_DATA_CATEGORIES or any(e.id == category for e in self.data_categories):
            return
        self.data_categories.append(Entry(
            {"id": category, "customer": True}, where,
            ["not a built-in category: defined as customer data; set customer: false if it is not"],
        ))
        self.note(where, f"data category {category!r} is not built in: defined under data_categories "
                         "as customer data")


@dataclass(frozen=True)
class ImportOptions:
    """Options an importer may use."""

    data_map: dict[str, str] = field(default_factory=dict)
    """ArchiMate, CSV, xlsx: DataObject name or identifier (or a cell's value) → data category."""
    lang: str | None = None
    """ArchiMate: the language (``xml:lang``) to read names in; the first given when ``None``."""
    exclude: tuple[str, ...] = ()
    """Backstage, CSV, xlsx: glob patterns of files (or folders) not to read."""
    sheet: str | None = None
    """xlsx: the sheet to read systems from (by name); every sheet when ``None``."""
