"""Completion (ids, enum values, field names) and hover (a system's card)."""

from __future__ import annotations

import re

from lsprotocol import types

from ..analysis.findings import Status
from ..load.results import SECTION_MODELS
from ..load.model import BUILTIN_DATA_CATEGORIES, LIFECYCLES, MECHANISMS, TOP_LEVEL_KEYS
from .navigate import at
from .state import State

_VALUE = re.compile(r"([A-Za-z_][\w-]*)\s*:\s*(?:\[(?:[^\]\[]*,)?\s*)?([\w.-]*)$")
_ITEM = re.compile(r"^(\s*)-\s+([\w.-]*)$")
_KEY_LINE = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][\w-]*)\s*:\s*(?:#.*)?$")
_KEY_POS = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][\w-]*)$|^(\s*)(?:-\s+)?$")
_SECTION = re.compile(r"^(systems|flows|capabilities|data_categories)\s*:")
_BOOLEAN_KEYS = ("it_reviewed", "exclusive", "customer")


def context(lines: list[str], line: int, column: int) -> tuple[str, str]:
    """What the cursor is on: (``"value:<key>"`` or ``"key:<section>"`` or ``""``, the prefix typed)."""
    before = lines[line][:column] if line < len(lines) else ""
    found = _VALUE.search(before)
    if found and not before.lstrip().startswith("#"):
        return f"value:{found.group(1)}", found.group(2)
    item = _ITEM.match(before)
    if item:
        parent = _parent_key(lines, line, len(item.group(1)))
        if parent is not None and parent not in SECTION_MODELS:
            return f"value:{parent}", item.group(2)
    key = _KEY_POS.match(before)
    if key:
        indent = len(key.group(1) or key.group(3) or "")
        if indent == 0 and not before.lstrip().startswith("-"):
            return "key:", key.group(2) or ""
        return f"key:{_section(lines, line)}", key.group(2) or ""
    return "", ""


def _parent_key(lines: list[str], line: int, indent: int) -> str | None:
    for k in range(line - 1, max(-1, line - 200), -1):
        found = _KEY_LINE.match(lines[k])
        if found and len(found.group(1)) <= indent:
            return found.group(2)
        if lines[k].strip() and len(lines[k]) - len(lines[k].lstrip()) < indent:
            return None
    return None


def _section(lines: list[str], line: int) -> str:
    for k in range(line, -1, -1):
        found = _SECTION.match(lines[k])
        if found:
            return found.group(1)
    return ""


def completion(state: State, uri: str, pos: types.Position) -> types.CompletionList:
    display = state.display(uri)
    text = state.workspace.text_of(display) if display else None
    lines = (text or "").split("\n")
    where, prefix = context(lines, pos.line, pos.character)
    cat = state.catalog()
    kept = state.completions.get(where)
    if kept is None or kept[0] is not cat:  # built once per catalog: 10,000 systems are 10,000 items
        if len(state.completion_items) > 200_000:
            state.completion_items.clear()
        kept = (cat, _items(state, where))
        state.completions[where] = kept
    items = [i for i in kept[1] if i.label.startswith(prefix)]
    return types.CompletionList(is_incomplete=False, items=items)


def _items(state: State, where: str) -> list[types.CompletionItem]:
    kind, _, name = where.partition(":")
    made = state.completion_items

    def item(label: str, kind: types.CompletionItemKind, detail: str | None = None) -> types.CompletionItem:
        """One item, reused from an earlier completion when it is the same (edits rebuild the lists)."""
        key = (label, kind, detail)
        found = made.get(key)
        if found is None:
            found = made[key] = types.CompletionItem(label=label, kind=kind, detail=detail)
        return found

    if kind == "key":
        fields = TOP_LEVEL_KEYS if not name else [
            f.alias or n for n, f in SECTION_MODELS[name].model_fields.items()] if name in SECTION_MODELS else []
        return [item(label=f, kind=types.CompletionItemKind.Field) for f in fields]
    if kind != "value":
        return []
    if name in ("from", "to"):
        cat = state.catalog()
        return [item(label=sid, kind=types.CompletionItemKind.Reference,
                     detail=f"{s.name}" + (f" · {s.owner}" if s.owner else ""))
                for sid, (s, _) in sorted(cat.systems.items())]
    if name == "data":
        cat = state.catalog()
        known = state.loaded()
        customer = known.data_categories if known is not None else {}
        out = []
        for cid, (definition, _) in sorted(cat.categories.items()):
            is_customer = customer.get(cid, definition.customer if definition else True)
            out.append(item(label=cid, kind=types.CompletionItemKind.EnumMember,
                            detail="customer data" if is_customer else "not customer data"))
        return out
    if name == "capabilities":
        cat = state.catalog()
        return [*(item(label=cid, kind=types.CompletionItemKind.Interface, detail=c.name)
                  for cid, (c, _) in sorted(cat.capabilities.items())),
                *(item(label=a, kind=types.CompletionItemKind.Interface, detail=f"alias of {target}")
                  for a, target in sorted(cat.aliases.items()))]
    choices: tuple[str, ...] = {"lifecycle": LIFECYCLES, "mechanism": MECHANISMS,
                                "roles": state.config.options.record_roles}.get(name, ())
    if name in _BOOLEAN_KEYS:
        choices = ("true", "false")
    return [item(label=c, kind=types.CompletionItemKind.EnumMember) for c in choices]


def hover(state: State, uri: str, pos: types.Position) -> types.Hover | None:
    found = at(state, uri, pos)
    if found is None:
        return None
    occ = found[1]
    cat = state.catalog()
    if occ.kind == "system" and occ.name in cat.systems:
        text = card(state, occ.name)
    elif occ.kind == "capability":
        cid = cat.aliases.get(occ.name, occ.name)
        providers = sorted(sid for sid, (s, _) in cat.systems.items()
                           if cid in s.capabilities or any(cat.aliases.get(c) == cid for c in s.capabilities))
        defined = cat.capabilities.get(cid)
        text = f"**capability `{cid}`**" + (f": {defined[0].name}" if defined and defined[0].name else "")
        text += f"\n\nprovided by: {', '.join(providers) or 'no system'}"
    elif occ.kind == "category":
        definition = cat.categories.get(occ.name, (None, None))[0]
        inv = state.loaded()
        customer = inv.data_categories.get(occ.name) if inv is not None else (
            definition.customer if definition else BUILTIN_DATA_CATEGORIES.get(occ.name))
        text = f"**data category `{occ.name}`**: " + (
            "customer data" if customer else "not customer data" if customer is not None else "unknown")
        if definition is None:
            text += " (built in)"
    else:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))


def card(state: State, sid: str) -> str:
    """A system's card in Markdown: what it is, who owns it, its flows and its findings."""
    cat = state.catalog()
    system = cat.systems[sid][0]
    reviewed = {True: "reviewed", False: "not reviewed", None: "review status not recorded"}[system.it_reviewed]
    rows = [f"**{_md(system.name)}** (`{sid}`)", "",
            f"- owner: {_md(system.owner or 'none')}",
            f"- lifecycle: {system.lifecycle}",
            f"- capabilities: {_md(', '.join(system.capabilities) or 'none')}",
            f"- data: {_md(', '.join(system.data) or 'none')}",
            f"- annual cost: {system.annual_cost:,.0f}" if system.annual_cost is not None else "- annual cost: unknown",
            f"- IT: {reviewed}"]
    into = sorted({f.from_ for f, _ in cat.flows if f.to == sid})
    out = sorted({f.to for f, _ in cat.flows if f.from_ == sid})
    rows.append(f"- flows in: {_md(', '.join(into) or 'none')}")
    rows.append(f"- flows out: {_md(', '.join(out) or 'none')}")
    result = state.snapshot().result
    if result is not None:
        mine = [f for f in result.findings if sid in f.systems and f.status is Status.NEW]
        rows += ["", f"findings: {len(mine) or 'none'}"]
        rows += [f"- `{f.rule}` ({f.severity.value}): {_md(f.message)}" for f in mine[:10]]
    return "\n".join(rows)


def _md(text: str) -> str:
    """Plain text safe in Markdown (no links, HTML or emphasis from inventory values)."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~])", r"\\\1", text[:300])
