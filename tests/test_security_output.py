"""No output replaces an inventory file, and file names reach every format escaped and as valid UTF-8."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = "systems:\n  - id: crm\n    name: CRM\n    data: [contact]\n    roles: [system-of-record]\n"
DUPLICATE = "systems:\n  - id: crm\n    name: Another CRM\n"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1", "STACKMAP_TODAY": "2025-01-01"}
    return subprocess.run([sys.executable, "-m", "stackmap", *args], cwd=cwd, capture_output=True, env=env,
                          timeout=120)


@pytest.fixture
def stack(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "a.yaml").write_text(GOOD, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("args", [
    ["check", "inv", "-o", "json=inv/a.yaml"],
    ["render", "inv", "-f", "mermaid", "-o", "inv/a.yaml"],
    ["baseline", "create", "inv", "-o", "inv/a.yaml", "--force"],
    ["export", "json", "inv", "-o", "inv/a.yaml"],
    ["export", "cypher", "inv", "-o", "inv/a.yaml"],
    ["spend", "inv", "-o", "inv/a.yaml"],
    ["impact", "crm", "inv", "-o", "inv/a.yaml"],
    ["rationalize", "inv", "-o", "inv/a.yaml"],
    ["render", "inv", "-f", "mermaid", "-o", "link.yaml"],
    ["export", "json", "inv", "-o", "hard.yaml"],
])
def test_no_output_replaces_an_inventory_file(stack: Path, args: list[str]) -> None:
    (stack / "link.yaml").symlink_to(stack / "inv" / "a.yaml")
    os.link(stack / "inv" / "a.yaml", stack / "hard.yaml")
    done = run(stack, *args)
    assert done.returncode == 2, done.stderr
    assert b"refusing to write over an inventory file this command read" in done.stderr
    assert (stack / "inv" / "a.yaml").read_text(encoding="utf-8") == GOOD


def test_an_output_next_to_the_inventory_is_still_written(stack: Path) -> None:
    done = run(stack, "export", "json", "inv", "-o", "inv/out.json")
    assert done.returncode == 0, done.stderr
    assert json.loads((stack / "inv" / "out.json").read_text(encoding="utf-8"))


HOSTILE = [
    (b"caf\xe9.yaml", "caf\\xe9.yaml"),
    (b"e\x1b]0;owned\x07.yaml", "e\\x1b]0;owned\\x07.yaml"),
    (b"x\ninv-fake.yaml:1:1: FORGED finding\n.yaml", "x\\x0ainv-fake.yaml:1:1: FORGED finding\\x0a.yaml"),
    ("r\u202egnp.yaml".encode(), "r\\u202egnp.yaml"),
]


def hostile(stack: Path, text: str) -> None:
    for raw, _ in HOSTILE:
        (stack / "inv").joinpath(os.fsdecode(raw)).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "github", "gitlab", "sarif", "json", "junit", "markdown"])
def test_hostile_file_names_are_escaped_in_every_check_format(stack: Path, fmt: str) -> None:
    hostile(stack, DUPLICATE)
    done = run(stack, "check", "inv", "-f", fmt)
    assert done.returncode == 1, done.stderr
    out = done.stdout.decode("utf-8")  # valid UTF-8, whatever the names' bytes
    assert not any(c in out for c in "\x1b\x07\u202e")
    assert "\ninv-fake.yaml:1:1: FORGED" not in out
    if fmt in ("text", "gitlab", "json"):
        for _, shown in HOSTILE:
            assert shown in out.replace("\\\\", "\\"), shown


@pytest.mark.parametrize("args", [["export", "json"], ["export", "cypher"], ["report"]])
def test_hostile_file_names_do_not_crash_exports_and_reports(stack: Path, args: list[str]) -> None:
    for i, (raw, _) in enumerate(HOSTILE):
        (stack / "inv").joinpath(os.fsdecode(raw)).write_text(f"systems:\n  - id: s{i}\n    name: S\n",
                                                              encoding="utf-8")
    target = stack / "out"
    done = run(stack, *args, "inv", "-o", str(target))
    assert done.returncode == 0, done.stderr
    files = [target] if target.is_file() else [p for p in target.rglob("*") if p.is_file()]
    assert files
    for path in files:
        text = path.read_bytes().decode("utf-8")
        assert not any(c in text for c in "\x1b\x07\u202e")
