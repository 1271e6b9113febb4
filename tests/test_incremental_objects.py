"""Facts updated by difference stay right when a flow kept as it was comes back as another object.

A flow keeps its object between two versions of a file only when the file's previous result was
valid (the memo then shares its unchanged entries). After a YAML syntax error typed half way, or an
undo back to an earlier text, an unchanged flow is a new object while the facts handed on as they
were (``versions.carry_over``) still hold the old one; the next flow edit must then remove the flow
by its identity, not by object, or ``flows_at``, ``flows_by_category`` and what is computed from them
(received data, neighbours, degree, components) keep a flow that is gone.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from stackmap.analysis.config import Config
from stackmap.analysis.engine import analyse
from stackmap.load.inventory import load_inventory
from stackmap.load.workspace import Workspace

from test_incremental import _same_indexes

SYSTEMS = ("systems:\n"
           "  - {id: crm, name: CRM, data: [contact], it_reviewed: true, owner: sales}\n"
           "  - {id: tool, name: %s, it_reviewed: false, owner: ops}\n")
FLOW = "flows:\n  - {from: crm, to: tool, data: [contact]}\n"
REVERSED = "flows:\n  - {from: tool, to: crm, data: [contact]}\n"


def _replay(tmp_path: Path, texts: list[str]) -> None:
    """Type ``texts`` one after the other into one file; after each valid one, the workspace's
    findings and its facts kept by difference must be those of a fresh analysis."""
    (tmp_path / "inv").mkdir()
    with contextlib.chdir(tmp_path):
        path = Path("inv/a.yaml")
        path.write_text(texts[0], encoding="utf-8")
        workspace = Workspace([Path("inv")])
        assert workspace.snapshot(Config()).result is not None
        for step, text in enumerate(texts[1:], 1):
            path.write_text(text, encoding="utf-8")
            workspace.set_buffer(path, text.encode("utf-8"))
            snap = workspace.snapshot(Config())
            if snap.result is None:
                continue
            fresh = analyse(load_inventory([Path("inv")]), Config()).findings
            got = [(f.rule, f.message) for f in snap.result.findings]
            assert got == [(f.rule, f.message) for f in fresh], f"step {step}"
            _same_indexes(workspace._analyser._kept[3], f"step {step}")  # type: ignore[union-attr]


def test_a_flow_removed_after_typing_through_a_syntax_error_is_gone(tmp_path: Path) -> None:
    _replay(tmp_path, [
        SYSTEMS % "Tool" + FLOW,
        SYSTEMS % "Tool" + FLOW + "  - {from: crm, to: \n",  # half typed: the file does not parse
        SYSTEMS % "Tool 2" + FLOW,  # valid again; no flow field changed (a rename)
        SYSTEMS % "Tool 2",  # the flow removed: no finding may still name it
    ])


def test_a_flow_removed_after_an_undo_and_another_edit_is_gone(tmp_path: Path) -> None:
    _replay(tmp_path, [
        SYSTEMS % "Tool" + FLOW,
        SYSTEMS % "Tool" + REVERSED,
        SYSTEMS % "Tool" + FLOW,  # undo: the memo's first version again
        SYSTEMS % "Tool 2" + FLOW,  # a rename: the flow, unchanged, is a new object
        SYSTEMS % "Tool 2",  # the flow removed
    ])
