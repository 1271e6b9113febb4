"""The incremental workspace: one file changed is one file parsed; answers never go stale."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from helpers import write
from stackmap.errors import InventoryError, UsageError
from stackmap.load.inventory import load_inventory
from stackmap.load.workspace import Workspace

CRM = """\
systems:
  - id: crm
    name: CRM
    owner: sales
    data: [contact]
"""
ESP = """\
systems:
  - id: esp
    name: Email
    owner: marketing
    data: [contact]
flows:
  - from: crm
    to: esp
    data: [contact]
"""


BOMB = "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9))


@pytest.fixture
def stack(tmp_path: Path) -> Path:
    write(tmp_path, {"inv/crm.yaml": CRM, "inv/esp.yaml": ESP})
    with contextlib.chdir(tmp_path):
        yield tmp_path


def test_the_same_inventory_as_load_inventory(stack: Path) -> None:
    ws = Workspace([Path("inv")])
    assert ws.inventory() == load_inventory([Path("inv")])
    assert ws.parsed == 2


def test_one_changed_file_is_parsed_again_and_the_join_follows(stack: Path) -> None:
    ws = Workspace([Path("inv")])
    ws.inventory()
    ws.set_buffer(Path("inv/crm.yaml"), CRM.replace("id: crm", "id: crm2").encode())
    with pytest.raises(InventoryError) as exc:
        ws.inventory()
    assert [str(p) for p in exc.value.problems] == [
        "inv/esp.yaml:7:11: flows[0].from: no system has the id 'crm' (did you mean 'crm2'?)"]
    assert ws.parsed == 3  # only crm.yaml again
    ws.set_buffer(Path("inv/crm.yaml"), None)  # back to the file on disk: valid again, nothing parsed
    assert sorted(ws.inventory().systems) == ["crm", "esp"]
    assert ws.parsed == 3


def test_a_saved_file_is_read_again(stack: Path) -> None:
    ws = Workspace([Path("inv")])
    assert len(ws.inventory().flows) == 1
    (stack / "inv/esp.yaml").write_text(ESP.split("flows:")[0], encoding="utf-8")
    ws.reread(Path("inv/esp.yaml"))
    assert ws.inventory().flows == []
    (stack / "inv/new.yaml").write_text("systems:\n  - id: cdp\n    name: CDP\n", encoding="utf-8")
    ws.reread(Path("inv/new.yaml"))
    assert sorted(ws.inventory().systems) == ["cdp", "crm", "esp"]
    (stack / "inv/new.yaml").unlink()
    ws.reread(Path("inv/new.yaml"))
    assert sorted(ws.inventory().systems) == ["crm", "esp"]


def test_snapshot_never_raises_for_bad_files(stack: Path) -> None:
    ws = Workspace([Path("inv")])
    assert ws.snapshot().result is not None
    for data in (b"systems:\n  - id: [", b"\xff\xfe\x00binary"):
        ws.set_buffer(Path("inv/crm.yaml"), data)
        snap = ws.snapshot()
        assert snap.result is None and snap.problems, data
    ws.set_buffer(Path("inv/crm.yaml"), (CRM + BOMB).encode())
    assert [p.message for p in ws.snapshot().problems] == [
        "aliases expand to more than 1,000,000 nodes (an alias bomb?)",
        "flows[0].from: no system has the id 'crm' (it may be defined in inv/crm.yaml, which could not be read)"]
    ws.set_buffer(Path("inv/crm.yaml"), b"x" * (ws.limits.max_file_bytes + 1))
    assert [p.message.split(":")[0] for p in ws.snapshot().problems] == ["file too large", "flows[0].from"]


def test_no_inventory_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, {"action.yml": "name: x\n"})
    with contextlib.chdir(tmp_path), pytest.raises(UsageError, match="no inventory files in ."):
        Workspace([Path(".")]).inventory()
    with contextlib.chdir(tmp_path):
        assert "no inventory files" in (Workspace([Path(".")]).snapshot().error or "")


def test_what_the_walk_would_skip_is_not_part_of_the_workspace(stack: Path) -> None:
    ws = Workspace([Path("inv")], exclude=("drafts", "*.draft.yaml"))
    assert ws.contains(Path("inv/new.yaml"))
    assert not ws.contains(Path("inv/drafts/new.yaml"))
    assert not ws.contains(Path("inv/a.draft.yaml"))
    assert not ws.contains(Path("inv/.hidden/new.yaml"))
    assert not ws.contains(Path("inv/notes.txt"))
    assert not ws.contains(Path("elsewhere.yaml"))
    (stack / "inv/drafts").mkdir()
    (stack / "inv/drafts/new.yaml").write_text("systems:\n  - {id: cdp, name: CDP}\n", encoding="utf-8")
    ws.reread(Path("inv/drafts/new.yaml"))
    assert sorted(ws.inventory().systems) == ["crm", "esp"]


@pytest.mark.parametrize("name", ["a0.yaml", "b.yaml", "sub/b.yaml", "z.yaml"])
def test_a_new_unsaved_file_is_read_where_the_walk_will_read_it_once_saved(tmp_path: Path, name: str) -> None:
    """A duplicate between a new buffer and a file on disk is reported at the same file and line
    as ``stackmap check`` reports it once the buffer is saved."""
    (tmp_path / "inv" / "sub").mkdir(parents=True)
    (tmp_path / "inv" / "a.yaml").write_text("systems:\n  - {id: crm, name: CRM}\n", encoding="utf-8")
    (tmp_path / "inv" / "c.yaml").write_text("systems:\n  - {id: web, name: Web}\n", encoding="utf-8")
    (tmp_path / "inv" / "sub" / "d.yaml").write_text("systems:\n  - {id: erp, name: ERP}\n", encoding="utf-8")
    text = "systems:\n  - {id: other, name: Other}\n  - {id: crm, name: CRM again}\n  - {id: web, name: Web}\n"
    with contextlib.chdir(tmp_path):
        workspace = Workspace([Path("inv")])
        workspace.set_buffer(Path("inv") / name, text.encode("utf-8"))
        problems = workspace.snapshot().problems
        (tmp_path / "inv" / name).write_text(text, encoding="utf-8")
        with pytest.raises(InventoryError) as saved:
            load_inventory([Path("inv")])
    assert problems and problems == saved.value.problems
    displays = [s.display for s in workspace.sources()]
    assert displays == sorted(displays)  # the walk's order: by path below the folder
