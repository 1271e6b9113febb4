"""JSON for machines. The shape is a public contract (``docs/output-formats.md``); version 1.

``{"version", "valid", "inventory", "findings", "errors", "summary"}``; findings in the engine's
deterministic order, each with ``rule``, ``severity``, ``message``, ``systems``, ``location``,
``related``, ``fingerprint``, ``capability``, ``flow``, ``data``, ``details``, ``status`` (``new``,
``waived`` or ``baselined``) and ``justification``. Summary counts by severity are of new findings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # the C encoder when available
from typing import TYPE_CHECKING, Any

from ..analysis.engine import Result, fails
from ..errors import InventoryError
from ..analysis.findings import Finding, Severity, Status
from ..load.inventory import Location

if TYPE_CHECKING:
    from . import ReportContext

FORMAT_VERSION = 1


def location(loc: Location) -> dict[str, Any]:
    return {"file": loc.file, "line": loc.line, "column": loc.column}


def finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "message": f.message,
        "systems": list(f.systems),
        "location": location(f.location),
        "related": [location(r) for r in f.related],
        "fingerprint": f.fingerprint,
        "capability": f.capability,
        "flow": f.flow,
        "data": list(f.data),
        "details": f.details,
        "status": f.status.value,
        "justification": f.justification,
    }


def encode_finding(f: Finding, pad: str) -> str:
    """``encode(finding(f), pad)``, byte for byte, written out for the shape every finding has (a
    check writes thousands); only ``details``, whose shape varies, goes through :func:`encode`."""
    inner = pad + "  "
    return (
        f'{{\n{inner}"rule": {encode_basestring(f.rule)},\n'
        f'{inner}"severity": {encode_basestring(f.severity.value)},\n'
        f'{inner}"message": {encode_basestring(f.message)},\n'
        f'{inner}"systems": {_strings(f.systems, inner)},\n'
        f'{inner}"location": {_location(f.location, inner)},\n'
        f'{inner}"related": {_locations(f.related, inner)},\n'
        f'{inner}"fingerprint": {encode_basestring(f.fingerprint)},\n'
        f'{inner}"capability": {_text(f.capability)},\n'
        f'{inner}"flow": {_text(f.flow)},\n'
        f'{inner}"data": {_strings(f.data, inner)},\n'
        f'{inner}"details": {encode(f.details, inner)},\n'
        f'{inner}"status": {encode_basestring(f.status.value)},\n'
        f'{inner}"justification": {_text(f.justification)}\n{pad}}}'
    )


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def _strings(values: tuple[str, ...], pad: str) -> str:
    if not values:
        return "[]"
    inner = pad + "  "
    return "[\n" + ",\n".join(inner + encode_basestring(v) for v in values) + "\n" + pad + "]"


def _location(loc: Location, pad: str) -> str:
    inner = pad + "  "
    return (f'{{\n{inner}"file": {encode_basestring(loc.file)},\n{inner}"line": {int.__repr__(loc.line)},\n'
            f'{inner}"column": {int.__repr__(loc.column)}\n{pad}}}')


def _locations(locations: tuple[Location, ...], pad: str) -> str:
    if not locations:
        return "[]"
    inner = pad + "  "
    return "[\n" + ",\n".join(inner + _location(loc, inner) for loc in locations) + "\n" + pad + "]"


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def encode(value: Any, pad: str = "") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` byte for byte, nested at ``pad``, without
    the standard library's pure-Python indenting encoder (which costs seconds on thousands of
    findings): strings go through the C string encoder, containers are joined here."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    inner = pad + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{\n" + ",\n".join(f"{inner}{_key(k)}: {encode(v, inner)}" for k, v in value.items()) \
            + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + encode(v, inner) for v in value) + "\n" + pad + "]"
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)  # raises like json


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, float):
        return '"' + _float(key) + '"'
    if key is True or key is False or key is None:
        return '"' + {True: "true", False: "false", None: "null"}[key] + '"'
    if isinstance(key, int):
        return '"' + int.__repr__(key) + '"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def iter_result(result: Result, ctx: ReportContext) -> Iterator[str]:
    """The document of :func:`format_result` in pieces, one finding at a time (for streaming)."""
    inv = result.inventory
    counts = {s.value: result.count(s) for s in Severity}
    inventory = {"files": len(inv.files), "systems": len(inv.systems), "flows": len(inv.flows),
                 "skipped": list(inv.skipped)}
    yield f'{{\n  "version": {FORMAT_VERSION},\n  "valid": true,\n  "inventory": {encode(inventory, "  ")},\n'
    if not result.findings:
        yield '  "findings": [],\n'
    else:
        yield '  "findings": [\n'
        last = len(result.findings) - 1
        for i, f in enumerate(result.findings):
            yield "    " + encode_finding(f, "    ") + (",\n" if i < last else "\n")
        yield "  ],\n"
    summary = {**counts, "total": len(result.findings), "new": result.count_status(Status.NEW),
               "waived": result.count_status(Status.WAIVED),
               "baselined": result.count_status(Status.BASELINED),
               "fail_on": ctx.fail_on, "failed": fails(result.findings, ctx.fail_on)}
    yield f'  "errors": [],\n  "notes": {encode(list(result.notes), "  ")},\n  "summary": {encode(summary, "  ")}\n}}\n'


def format_result(result: Result, ctx: ReportContext) -> str:
    return "".join(iter_result(result, ctx))


def format_problems(error: InventoryError, ctx: ReportContext) -> str:
    return _dump({
        "version": FORMAT_VERSION,
        "valid": False,
        "inventory": {"files": error.files},
        "findings": [],
        "errors": [{"file": p.file, "line": p.line, "column": p.column, "message": p.message}
                   for p in error.problems],
        "summary": {"errors": len(error.problems), "fail_on": ctx.fail_on, "failed": True},
    })
