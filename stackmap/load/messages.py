"""A validation error of the strict models → a problem at its place, with a message a person can act on.

pydantic reports where (a path of keys and indexes) and what (an error type); this module finds the
place in the file (:meth:`FileDoc.where`) and says what is wrong in the inventory's terms: the field
names by alias, the choices of a literal with the closest one suggested, and for a value YAML read
as something other than text (``no``, ``0123``, ``2024-01-01``) what YAML read and how to quote it.
"""

from __future__ import annotations

import datetime
from typing import Any

from pydantic import BaseModel

from ..errors import Problem
from ..hints import suggest
from .model import InventoryFile
from .results import SECTION_MODELS, FileDoc
from .yaml_scalars import show

def _dotted(loc: tuple[object, ...]) -> str:
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            name = str(step)
            out += ("." if out else "") + (name if len(name) <= 60 else name[:59] + "…")
    return out


def _fields(loc: tuple[object, ...]) -> list[str]:
    """The field names (by alias) of the model that owns the last step of ``loc``."""
    model: type[BaseModel] = InventoryFile
    if len(loc) >= 3 and loc[0] in SECTION_MODELS:
        model = SECTION_MODELS[str(loc[0])]
    return [f.alias or name for name, f in model.model_fields.items()]


_YAML_READS = {bool: "a boolean", int: "a number", float: "a number", datetime.date: "a date",
               datetime.datetime: "a timestamp"}


def problem(doc: FileDoc, error: Any) -> Problem:
    """The problem for one of pydantic's validation errors of ``doc``."""
    loc: tuple[object, ...] = tuple(error["loc"])
    kind: str = error["type"]
    value = error.get("input")
    where = _dotted(loc)
    if kind == "extra_forbidden":
        name = str(loc[-1]) if isinstance(loc[-1], str) else show(loc[-1])
        hint = suggest(name, _fields(loc)) if len(name) <= 60 else ""
        return doc.problem(loc, f"{where}: unknown field {show(name)}{hint}", key=True)
    if kind == "invalid_key":  # a key YAML read as a number, boolean, date or null: `yes:`, `3:`, `~:`
        path = (*loc[:-1], value)
        line, col = doc.where(path, key=True)
        node = doc.node(path, key=True)
        raw = getattr(node, "value", "")
        raw = raw if isinstance(raw, str) and 0 < len(raw) <= 60 and "\n" not in raw else ""
        reads = next((v for t, v in _YAML_READS.items() if type(value) is t), "null" if value is None else "")
        text = f"{_dotted(loc[:-1]) or 'file'}: unknown field {raw or show(value)}"
        if reads:
            text += f"; YAML reads it as {reads}" + (f": quote it if it is meant: \"{raw}\"" if raw else "")
        return Problem(doc.source.display, line, col, text)
    if kind == "missing":
        return doc.problem(loc[:-1], f"{_dotted(loc[:-1]) or 'file'}: missing required field {loc[-1]!r}")
    if kind == "string_type":
        if value is None:
            return doc.problem(loc, f"{where}: is empty; give it a value")
        reads = next((v for t, v in _YAML_READS.items() if type(value) is t), None)
        if reads is not None:
            line, col = doc.where(loc)
            raw = _raw_scalar(doc, loc)
            hint = f"; quote it: \"{raw}\"" if raw else "; quote it"
            return Problem(
                doc.source.display, line, col,
                f"{where}: expected a string, but YAML reads {raw or show(value)} as {reads}{hint}",
            )
        return doc.problem(loc, f"{where}: expected a string, got {show(value)}")
    if kind == "string_pattern_mismatch":
        return doc.problem(
            loc,
            f"{where}: {show(value)} is not a valid id: use lowercase letters, digits, '.', '_' "
            "and '-', starting with a letter or digit",
        )
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ",").split(",") if c.strip()]
        hint = suggest(value, choices) if isinstance(value, str) else ""
        return doc.problem(loc, f"{where}: {show(value)} is not one of {', '.join(choices)}{hint}")
    if kind == "bool_type":
        return doc.problem(loc, f"{where}: expected true or false, got {show(value)}")
    if kind in ("float_type", "int_type"):
        return doc.problem(loc, f"{where}: expected a number, got {show(value)}")
    if kind == "finite_number":
        return doc.problem(loc, f"{where}: expected a finite number, got {show(value)}")
    if kind == "greater_than_equal":
        return doc.problem(loc, f"{where}: must be 0 or more, got {show(value)}")
    if kind == "list_type":
        return doc.problem(loc, f"{where}: expected a list, got {show(value)}")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return doc.problem(loc, f"{where}: expected a mapping, got {show(value)}")
    if kind == "string_too_short":
        return doc.problem(loc, f"{where}: must not be empty")
    return doc.problem(loc, f"{where}: {error['msg']}")


def _raw_scalar(doc: FileDoc, loc: tuple[object, ...]) -> str:
    """The scalar as written in the file (``0123`` rather than 83), bounded."""
    node = doc.node(loc)
    raw = getattr(node, "value", None)
    if isinstance(raw, str) and len(raw) <= 60 and "\n" not in raw:
        return raw
    return ""
