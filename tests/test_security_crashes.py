"""Hostile input that used to crash a command is a problem at its place, never an internal error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stackmap", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=120)


def test_a_long_merge_chain_with_one_bad_value_is_located_without_recursion(tmp_path: Path) -> None:
    lines = ["x-base:", "  - &a0 {id: crm, name: 5}"]
    lines += [f"  - &a{i} {{<<: *a{i - 1}}}" for i in range(1, 3_000)]
    lines += ["systems:", "  - *a2999"]
    (tmp_path / "merge.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run(tmp_path, "check", "merge.yaml")
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[0] == (
        "merge.yaml:2:25: systems[0].name: expected a string, but YAML reads 5 as a number; quote it: \"5\"")


def test_a_deeply_nested_baseline_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("systems:\n  - id: crm\n    name: CRM\n", encoding="utf-8")
    (tmp_path / "b.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    done = run(tmp_path, "check", "a.yaml", "--baseline", "b.json")
    assert done.returncode == 2
    assert done.stderr == "stackmap: b.json: not a baseline file: nested too deeply\n"


def test_a_key_written_twice_in_an_inline_waiver_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "systems:\n  - id: crm\n    name: CRM\n    x-stackmap-ignore:\n"
        "      isolated-system: kept for audits\n      isolated-system: another reason\n", encoding="utf-8")
    done = run(tmp_path, "check", "a.yaml")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == "a.yaml:6:7: duplicate key 'isolated-system'"


def test_a_control_character_is_located_on_its_line_with_lone_cr_line_endings(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(b"systems:\r  - id: crm\r    name: \"C\x00RM\"\r")
    done = run(tmp_path, "check", "a.yaml")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "a.yaml:3:13: invalid YAML: unacceptable character #x0000: control characters are not allowed")
