"""Draft → inventory YAML text, written by hand so that it is deterministic and carries comments.

Every scalar is written plain only when YAML reads it back as the same string (``no``, ``0123``,
``2024-01-01`` and ``12:30`` are quoted); anything else is double-quoted with escapes. Lists of
scalars are written in flow style (``[crm, email]``), entries in block style, each preceded by a
comment saying where it came from.
"""

from __future__ import annotations

import re
from typing import Any

from yaml import ScalarNode
from yaml.resolver import Resolver

from .draft import CAPABILITY_FIELDS, DATA_CATEGORY_FIELDS, FLOW_FIELDS, SYSTEM_FIELDS, Draft, Entry

_PLAIN = re.compile(r"[A-Za-z0-9_./(][A-Za-z0-9 _./@&()+'-]*(?<! )")
_RESOLVER = Resolver()
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF) \
            or 0xD800 <= code <= 0xDFFF:
        return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    return ch


def scalar(value: Any) -> str:
    """One YAML scalar that reads back as ``value`` (a string, bool, int or float)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and _RESOLVER.resolve(ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str":
        return text
    return '"' + "".join(_escape(ch) for ch in text) + '"'


def comment(text: str) -> str:
    """A comment line's text: line breaks flattened, control and other non-printable characters
    written as escapes (``\\x01``), since YAML refuses them even in a comment."""
    flat = " ".join(text.split())
    if flat.isprintable():
        return flat
    return "".join(ch if ch.isprintable() else _visible(ch) for ch in flat)


def _visible(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _entry(entry: Entry, fields: tuple[str, ...]) -> list[str]:
    lines = [f"  # from {comment(entry.origin)}"]
    lines.extend(f"  # {comment(c)}" for c in entry.comments)
    first = True
    for name in fields:
        value = entry.values.get(name)
        if value is None or (isinstance(value, list) and not value):
            continue
        text = "[" + ", ".join(scalar(v) for v in value) + "]" if isinstance(value, list) else scalar(value)
        lines.append(f"  {'- ' if first else '  '}{name}: {text}")
        first = False
    for key in sorted(entry.extras):
        lines.append(f"    {key}:")
        for name, value in entry.extras[key].items():
            lines.append(f"      {scalar(name)}: {scalar(value)}")
    return lines


def render(draft: Draft, command: str) -> str:
    """The inventory file for ``draft``; ``command`` is quoted in the header."""
    out = [f"# Imported with `{comment(command)}`",
           f"# from {comment(', '.join(draft.sources))}." if draft.sources else "# from no files.",
           "# Each entry says where it came from. Review, then edit freely: this file is yours now."]
    if draft.summary:
        out.append("#")
        out.extend(f"# {comment(line)}" for line in draft.summary)
    if draft.notes:
        out.append("#")
        out.append(f"# Not mapped, or mapped with a guess ({len(draft.notes)}):")
        out.extend(f"#   {comment(n)}" for n in draft.notes)
    sections: tuple[tuple[str, list[Entry], tuple[str, ...]], ...] = (
        ("capabilities", draft.capabilities, CAPABILITY_FIELDS),
        ("data_categories", draft.data_categories, DATA_CATEGORY_FIELDS),
        ("systems", draft.systems, SYSTEM_FIELDS),
        ("flows", draft.flows, FLOW_FIELDS),
    )
    for name, entries, fields in sections:
        if not entries and name != "systems":
            continue
        out.append("")
        if not entries:
            out.append(f"{name}: []")
            continue
        out.append(f"{name}:")
        for i, entry in enumerate(entries):
            if i:
                out.append("")
            out.extend(_entry(entry, fields))
    return "\n".join(out) + "\n"
