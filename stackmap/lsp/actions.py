"""Quick fixes: apply a did-you-mean, add a missing ``owner``/``it_reviewed``, add an inline waiver."""

from __future__ import annotations

import re

from lsprotocol import types

from ..load.yaml_builder import IGNORE_KEY
from .diagnostics import SOURCE
from .state import State

_DID_YOU_MEAN = re.compile(r"\(did you mean '([^'\n]+)'\?\)")
_OWNER = ("owner", "owner: \"\"  # the team that answers for it")
_REVIEWED = ("it_reviewed", "it_reviewed: false  # true once IT has reviewed it")
_MISSING = {"unowned-system": (_OWNER,), "shadow-it": (_OWNER, _REVIEWED)}
"""The keys whose absence a rule reports (shadow-it: customer data with no owner and no review)."""


def code_actions(state: State, uri: str, diagnostics: list[types.Diagnostic]) -> list[types.CodeAction]:
    display = state.display(uri)
    text = state.workspace.text_of(display) if display else None
    if display is None or text is None:
        return []
    lines = text.split("\n")
    entries = state.index(display).entries
    out: list[types.CodeAction] = []
    for diag in diagnostics:
        if diag.source != SOURCE:
            continue
        found = _DID_YOU_MEAN.search(diag.message)
        if found:
            out.append(_action(f"Change to '{found.group(1)}'", diag, uri,
                               [types.TextEdit(diag.range, found.group(1))], preferred=True))
        rule = str(diag.code or "")
        line = diag.range.start.line
        entry = next((e for e in entries if e.span.line == line), None)
        if entry is None or rule == "invalid-inventory" or rule == "":
            continue
        first = lines[line] if line < len(lines) else ""
        column = entry.span.column
        block = first[column - 2:column] == "- " if column >= 2 else False
        if not block:  # a flow-style entry ({id: a, ...}): no line to add a key after
            continue
        indent = " " * column
        for key, text_to_add in _MISSING.get(rule, ()):
            if key not in entry.keys:
                out.append(_action(f"Add `{key}`", diag, uri, [_insert(line + 1, f"{indent}{text_to_add}\n")]))
        on_flow = isinstance(diag.data, dict) and diag.data.get("flow")  # waived at the flow, not here
        if IGNORE_KEY not in entry.keys and not on_flow:
            waiver = f"{indent}{IGNORE_KEY}: {{{rule}: \"TODO: why this is accepted, and until when\"}}\n"
            out.append(_action(f"Waive `{rule}` here ({IGNORE_KEY})", diag, uri, [_insert(line + 1, waiver)]))
    return out


def _insert(line: int, text: str) -> types.TextEdit:
    at = types.Position(line, 0)
    return types.TextEdit(types.Range(at, at), text)


def _action(title: str, diag: types.Diagnostic, uri: str, edits: list[types.TextEdit],
            preferred: bool = False) -> types.CodeAction:
    return types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diag],
                            edit=types.WorkspaceEdit(changes={uri: edits}), is_preferred=preferred or None)
