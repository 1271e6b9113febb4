"""What a directory walk reads and skips, and the limits on files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stackmap.errors import ConfigError, InventoryError, UsageError
from stackmap.load.inventory import load_inventory
from stackmap.load.limits import Limits

SYSTEM = "systems:\n  - id: {0}\n    name: {0}\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_walk_skips_links_and_special_files_with_a_note(tmp_path: Path) -> None:
    write(tmp_path / "inv" / "a.yaml", SYSTEM.format("a"))
    write(tmp_path / "outside" / "secret.yaml", SYSTEM.format("secret"))
    write(tmp_path / "inv" / "team" / "b.yaml", SYSTEM.format("b"))
    (tmp_path / "inv" / "link-in.yaml").symlink_to(tmp_path / "inv" / "team" / "b.yaml")
    (tmp_path / "inv" / "link-out.yaml").symlink_to(tmp_path / "outside" / "secret.yaml")
    (tmp_path / "inv" / "loop.yaml").symlink_to(tmp_path / "inv" / "loop.yaml")
    (tmp_path / "inv" / "shared").symlink_to(tmp_path / "outside", target_is_directory=True)
    os.mkfifo(tmp_path / "inv" / "pipe.yaml")
    inventory = load_inventory([Path("inv")])
    assert list(inventory.systems) == ["a", "b"]
    assert inventory.files == ["inv/a.yaml", "inv/link-in.yaml"]  # b.yaml is the same file, read once
    assert inventory.notes == [
        "skipped inv/shared: a symbolic link to a folder (not followed)",
        f"skipped inv/link-out.yaml: a symbolic link to {(tmp_path / 'outside' / 'secret.yaml').resolve()}, "
        f"outside {(tmp_path / 'inv').resolve()}",
        "skipped inv/loop.yaml: a broken or looping symbolic link",
        "skipped inv/pipe.yaml: not a regular file",
    ]


def test_notes_are_shown_by_check(tmp_path: Path) -> None:
    write(tmp_path / "inv" / "a.yaml", SYSTEM.format("a"))
    os.mkfifo(tmp_path / "inv" / "pipe.yaml")
    proc = subprocess.run([sys.executable, "-m", "stackmap", "check", "inv", "--fail-on", "never"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "note: skipped inv/pipe.yaml: not a regular file" in proc.stdout.splitlines()


def test_an_explicit_link_loop_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    with pytest.raises(UsageError, match=r"^loop\.yaml: a broken or looping symbolic link$"):
        load_inventory([Path("loop.yaml")])


def test_an_explicit_file_outside_is_read(tmp_path: Path) -> None:
    write(tmp_path / "outside" / "x.yaml", SYSTEM.format("x"))
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "x.yaml").symlink_to(tmp_path / "outside" / "x.yaml")
    assert list(load_inventory([Path("inv/x.yaml")]).systems) == ["x"]


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    write(tmp_path / "inv" / "a.yaml", SYSTEM.format("a"))
    write(tmp_path / "inv" / "big.yaml", SYSTEM.format("big") + "# padding\n" * 20)
    with pytest.raises(InventoryError) as info:
        load_inventory([Path("inv")], limits=Limits(max_file_bytes=100))
    assert [str(p) for p in info.value.problems] == [
        "inv/big.yaml:1:1: file too large: 235 bytes, over the limit of 100 "
        "(split it, or set STACKMAP_MAX_FILE_BYTES to raise the limit)"
    ]


def test_too_many_files_is_a_usage_error(tmp_path: Path) -> None:
    for name in "abc":
        write(tmp_path / "inv" / f"{name}.yaml", SYSTEM.format(name))
    assert len(load_inventory([Path("inv")], limits=Limits(max_files=3)).systems) == 3
    with pytest.raises(UsageError) as info:
        load_inventory([Path("inv")], limits=Limits(max_files=2))
    assert str(info.value) == "inv: more than 2 inventory files (the limit; set STACKMAP_MAX_FILES to raise it)"


def test_limits_from_the_environment() -> None:
    env = {"STACKMAP_MAX_DEPTH": "50", "STACKMAP_MAX_FILE_BYTES": "1_000", "STACKMAP_MAX_FILES": " "}
    assert Limits.from_env(env) == Limits(max_depth=50, max_file_bytes=1000)
    assert Limits.from_env({}) == Limits()
    with pytest.raises(ConfigError) as info:
        Limits.from_env({"STACKMAP_MAX_ALIAS_EXPANSION": "lots"})
    assert str(info.value) == "STACKMAP_MAX_ALIAS_EXPANSION='lots': expected a whole number of at least 1"


def test_limits_set_in_the_environment_apply_to_check(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "systems: [[[[]]]]\n")
    env = {**os.environ, "STACKMAP_MAX_DEPTH": "3"}
    proc = subprocess.run([sys.executable, "-m", "stackmap", "check", "a.yaml"], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=60)
    assert (proc.returncode, proc.stdout.splitlines()[0]) == (1, "a.yaml:1:12: nested more than 3 levels deep")
    env["STACKMAP_MAX_DEPTH"] = "0"
    proc = subprocess.run([sys.executable, "-m", "stackmap", "check", "a.yaml"], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=60)
    assert (proc.returncode, proc.stderr) == (
        2, "stackmap: STACKMAP_MAX_DEPTH='0': expected a whole number of at least 1\n")


def test_depth_limit_has_a_ceiling_the_composer_survives() -> None:
    assert Limits.from_env({"STACKMAP_MAX_DEPTH": "10000"}).max_depth == 10_000
    with pytest.raises(ConfigError) as err:
        Limits.from_env({"STACKMAP_MAX_DEPTH": "50000"})
    assert str(err.value) == ("STACKMAP_MAX_DEPTH=50000: at most 10,000 (locating a problem composes the file "
                              "with libyaml, which recurses once per level)")


@pytest.mark.parametrize("command", [
    ["render", "a.yaml", "-o", "-", "-f", "dot"], ["report", "a.yaml", "-o", "out"], ["spend", "a.yaml"],
    ["rationalize", "a.yaml"], ["impact", "crm", "a.yaml"], ["export", "json", "a.yaml"],
    ["diff", "a.yaml", "a.yaml"], ["baseline", "update", "a.yaml"],
])
def test_limits_set_in_the_environment_apply_to_every_command_that_loads(tmp_path: Path, command: list[str]) -> None:
    write(tmp_path / "a.yaml", "systems: [[[[]]]]\n")
    env = {**os.environ, "STACKMAP_MAX_DEPTH": "3"}
    proc = subprocess.run([sys.executable, "-m", "stackmap", *command], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 1
    assert "a.yaml:1:12: nested more than 3 levels deep" in proc.stdout + proc.stderr
