"""Escaping for Mermaid: label text and node ids that Mermaid reads back exactly, in every major
GitHub and GitLab render with.

A label is written inside double quotes, with every character that could end it, become markup or
Mermaid syntax written as an entity code (``#60;`` for ``<``), which Mermaid turns back into the
character. Letters, digits, spaces and harmless punctuation stay as they are. Two things that Mermaid
does to the whole source before parsing decide the rest:

- It looks for ``style … : … # … ;`` and ``classDef … : … # … ;`` on each line (to protect colour
  codes in style statements) and drops the last ``;`` of the match, wherever the words and the
  colon come from: a name containing ``style`` and ``:`` would lose the ``;`` of a later entity code
  (``fill:#35;f00`` shown as ``fill:#35f00``). The colon is therefore always written as ``#58;``, so
  no line with a label has one.
- It turns every ``#word;`` into its character, so ``#`` is written as ``#35;`` and a literal
  ``#35;`` in a name survives as ``#35;35#59;``.

Line breaks and other control characters become spaces and runs of spaces one space, as a browser
shows them anyway. Node ids are ``n_`` and the id with every character outside ``a-z0-9`` as
``_hex_``: unique, and never a Mermaid keyword (``end``, ``graph``, ``style``, ``click``).
"""

from __future__ import annotations

import re

_SPECIAL = re.compile("[^a-zA-Z0-9 .,\\-_/'!?@+=*~^$()\xa0-\u2027\u202a-\U0010ffff]")
_SPACES = re.compile(r"  +")


def text(value: str) -> str:
    """``value`` for inside a quoted Mermaid label: letters, digits, spaces and harmless punctuation
    kept, other ASCII as ``#code;``, control and line-separator characters as spaces."""
    return _SPACES.sub(" ", _SPECIAL.sub(_entity, value))


def _entity(match: re.Match[str]) -> str:
    code = ord(match.group())
    return " " if code < 32 or 0x7F <= code < 0xA0 or code in (0x2028, 0x2029) else f"#{code};"


def node_id(ident: str) -> str:
    """A Mermaid id for a node: ``n_`` then ``ident`` with anything outside ``a-z0-9`` as ``_hex_``."""
    return "n_" + encode(ident)


def encode(ident: str) -> str:
    """``ident`` with anything outside ``a-z0-9`` as ``_hex_``: safe in an id, and reversible."""
    return "".join(ch if ch.isascii() and (ch.isdigit() or ch.islower()) else f"_{ord(ch):x}_"
                   for ch in ident)


def comment(value: str) -> str:
    """``value`` for a ``%%`` comment line: one line (control characters as spaces), otherwise as is,
    since Mermaid drops comments before it reads labels."""
    return _SPACES.sub(" ", "".join(" " if ch.isspace() or _entity_is_space(ch) else ch for ch in value)).strip()


def _entity_is_space(ch: str) -> bool:
    code = ord(ch)
    return code < 32 or 0x7F <= code < 0xA0 or code in (0x2028, 0x2029)
