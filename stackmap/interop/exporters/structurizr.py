r"""``stackmap export structurizr``: a Structurizr DSL workspace (software systems, relationships, tags).

Each system becomes a ``softwareSystem`` with its description, tags (``stackmap``, its lifecycle,
``Customer data`` when it stores some, ``System of record``, and its own tags) and properties (id,
vendor, owner, capabilities, data, annual cost); each flow a relationship described by the data it
carries, with the mechanism as technology. A system landscape view includes everything, with styles
that fade retired systems and dash planned ones. DSL identifiers are the system ids with characters
the DSL does not allow replaced by ``_``; two systems with the same name get their id appended,
because Structurizr requires software system names to be unique.

Strings follow the rules of Structurizr's own parser (the DSL language reference and its tokenizer):
a quoted string ends at the first ``"`` not preceded by ``\``, and there is no escape for the
backslash itself; ``${NAME}`` is replaced by a constant or, failing that, by the environment variable
of that name when the file is parsed; then ``\"`` is read as ``"`` and ``\n`` as a line break, and
the string is trimmed. So (:class:`Strings`) a ``"`` is written ``\"``; a ``$`` before ``{`` as a
constant holding ``$``, and a ``\`` before a ``"`` or at the end as a constant holding ``\``, both
declared at the top with ``!const`` under names no text of the inventory contains; line breaks and
runs of white space become one space (a DSL statement is one line). The one thing the DSL cannot
carry is a backslash followed by ``n``, which it always reads as a line break.
"""

from __future__ import annotations

import json
import re

from ...formats.common import no_control
from ...load.inventory import Inventory
from ...load.model import SYSTEM_OF_RECORD, Flow, System
from ..columns import format_cost

_NOT_IDENT = re.compile(r"[^A-Za-z0-9_-]")


class Strings:
    """Writes DSL strings that Structurizr reads back as written; ``names`` are the constants' names,
    chosen so that no ``{name}`` occurs in ``corpus`` (every text the workspace will hold)."""

    def __init__(self, corpus: str) -> None:
        self.dollar = _unused("stackmap_dollar", corpus)
        self.backslash = _unused("stackmap_backslash", corpus)

    def constants(self) -> list[str]:
        """The ``!const`` lines the strings refer to (a trailing space inside the quotes keeps the
        backslash from escaping the closing quote; the parser trims it)."""
        return [f'    !const {self.dollar} "$"', f'    !const {self.backslash} "\\ "']

    def quote(self, text: str) -> str:
        """``text`` as a DSL string: double-quoted, one line, control and bidirectional formatting
        characters written as visible escapes (``\\x1b``, ``\\u202e``)."""
        flat = no_control(" ".join(text.split()))
        out = []
        for i, ch in enumerate(flat):
            after = flat[i + 1:i + 2]
            if ch == '"':
                out.append('\\"')
            elif ch == "$" and after == "{":
                out.append("${" + self.dollar + "}")
            elif ch == "\\" and after in ('"', ""):
                out.append("${" + self.backslash + "}")
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'


def _unused(base: str, corpus: str) -> str:
    name, n = base, 2
    while "{" + name + "}" in corpus:
        name, n = f"{base}_{n}", n + 1
    return name


def identifiers(inventory: Inventory) -> dict[str, str]:
    """System id → a unique DSL identifier."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for sid in inventory.systems:
        base = _NOT_IDENT.sub("_", sid)
        if not base[0].isalpha():
            base = "s_" + base
        ident, n = base, 2
        while ident.lower() in used:
            ident, n = f"{base}_{n}", n + 1
        used.add(ident.lower())
        out[sid] = ident
    return out


def _names(inventory: Inventory) -> dict[str, str]:
    count: dict[str, int] = {}
    for s in inventory.systems.values():
        count[s.name.lower()] = count.get(s.name.lower(), 0) + 1
    return {sid: s.name if count[s.name.lower()] == 1 else f"{s.name} ({sid})"
            for sid, s in inventory.systems.items()}


def _system_tags(inventory: Inventory, s: System) -> list[str]:
    tags = ["stackmap", s.lifecycle]
    if inventory.customer_data(s.data):
        tags.append("Customer data")
    if SYSTEM_OF_RECORD in s.roles:
        tags.append("System of record")
    tags.extend(t for t in s.tags if t not in tags)
    return [t.replace(",", " ") for t in tags]


def _system(inventory: Inventory, s: System, ident: str, name: str, quote: Strings) -> list[str]:
    q = quote.quote
    out = [f"        {ident} = softwareSystem {q(name)} {q(s.description or '')} {{"]
    out.append("            tags " + " ".join(q(t) for t in _system_tags(inventory, s)))
    props: list[tuple[str, str]] = [("id", s.id)]
    for key, value in (("vendor", s.vendor), ("owner", s.owner)):
        if value:
            props.append((key, value))
    for key, items in (("capabilities", list(inventory.capabilities_of(s))), ("data", s.data),
                       ("roles", s.roles)):
        if items:
            props.append((key, ", ".join(items)))
    if s.annual_cost is not None:
        props.append(("annual_cost", format_cost(s.annual_cost)))
    if s.it_reviewed is not None:
        props.append(("it_reviewed", "true" if s.it_reviewed else "false"))
    out.append("            properties {")
    out.extend(f"                {q(k)} {q(v)}" for k, v in props)
    out.append("            }")
    out.append("        }")
    return out


def _flow(inventory: Inventory, f: Flow, ids: dict[str, str], quote: Strings) -> list[str]:
    q = quote.quote
    data = sorted(set(f.data))
    description = f.description or (", ".join(data) if data else "data not given")
    tags = ["stackmap"]
    if inventory.customer_data(f.data):
        tags.append("Customer data")
    out = [f"        {ids[f.from_]} -> {ids[f.to]} {q(description)} {q(f.mechanism or '')} {{"]
    out.append("            tags " + " ".join(q(t) for t in tags))
    props = [("key", f.key)]
    if data:
        props.append(("data", ", ".join(data)))
    if f.frequency:
        props.append(("frequency", f.frequency))
    out.append("            properties {")
    out.extend(f"                {q(k)} {q(v)}" for k, v in props)
    out.append("            }")
    out.append("        }")
    return out


STYLES = """        styles {
            element "Software System" {
                background #1168bd
                color #ffffff
                shape RoundedBox
            }
            element "Customer data" {
                background #0b4884
            }
            element "planned" {
                border dashed
            }
            element "retiring" {
                opacity 60
            }
            element "retired" {
                opacity 30
            }
            relationship "Customer data" {
                thickness 4
            }
        }"""


def export(inventory: Inventory) -> str:
    ids = identifiers(inventory)
    names = _names(inventory)
    corpus = json.dumps([[s.model_dump(mode="json") for s in inventory.systems.values()],
                         [f.model_dump(mode="json") for f in inventory.flows], sorted(inventory.capabilities)],
                        ensure_ascii=False)
    quote = Strings(corpus)
    out = ['workspace "Marketing technology stack" "Exported from a stackmap inventory." {',
           *quote.constants(), "", "    model {"]
    for sid, s in inventory.systems.items():
        out.extend(_system(inventory, s, ids[sid], names[sid], quote))
    if inventory.flows:
        out.append("")
    for f in inventory.flows:
        out.extend(_flow(inventory, f, ids, quote))
    out.extend(["    }", "", "    views {", '        systemLandscape "landscape" "Every system and flow." {',
                "            include *", "            autoLayout lr", "        }", "", STYLES, "    }", "}"])
    return "\n".join(out) + "\n"
