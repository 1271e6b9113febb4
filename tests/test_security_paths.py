"""Nothing outside the work tree is read unless named on the command line; what is read is bounded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stackmap.analysis.baseline import read as read_baseline
from stackmap.errors import ConfigError, UsageError
from stackmap.load.gitrefs import sources_at
from stackmap.load.limits import Limits
from stackmap.load.sources import read_sources

GOOD = "systems:\n  - id: crm\n    name: CRM\n"


def run(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stackmap", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1", **env}, timeout=120)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(cwd), "-c", "user.name=t", "-c", "user.email=t@example.com",
                    "-c", "protocol.file.allow=always", *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "inv").mkdir(parents=True)
    (root / "inv" / "a.yaml").write_text(GOOD, encoding="utf-8")
    git(root, "init", "-q")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "token").write_text("ghp_secretsecretsecretsecret\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("config", [
    "paths: [../outside/token]\n", "paths: [inv, ../outside]\n", "baseline: ../outside/token\n",
    "paths: /etc/passwd\n",
])
def test_config_paths_may_not_leave_the_work_tree(repo: Path, config: str) -> None:
    (repo / ".stackmap.yaml").write_text(config, encoding="utf-8")
    done = run(repo, "check", "--format", "github")
    assert done.returncode == 2
    assert "is outside the work tree" in done.stderr and ".stackmap.yaml:1:" in done.stderr
    assert "ghp_" not in done.stdout + done.stderr and "root:" not in done.stdout + done.stderr


def test_config_paths_through_a_link_out_of_the_work_tree_are_refused(repo: Path) -> None:
    (repo / "escape").symlink_to(repo.parent / "outside")
    (repo / ".stackmap.yaml").write_text("paths: [escape/token]\n", encoding="utf-8")
    done = run(repo, "check")
    assert done.returncode == 2 and "'escape/token' is outside the work tree" in done.stderr


def test_a_path_outside_named_on_the_command_line_is_still_read(repo: Path) -> None:
    (repo.parent / "outside" / "stack.yaml").write_text(GOOD, encoding="utf-8")
    done = run(repo, "check", str(repo.parent / "outside" / "stack.yaml"))
    assert done.returncode == 0, done.stderr


def test_a_huge_config_file_is_refused_without_being_parsed(repo: Path) -> None:
    (repo / ".stackmap.yaml").write_text("exclude: [" + "a, " * 400_000 + "b]\n", encoding="utf-8")
    done = run(repo, "check", "inv")
    assert done.returncode == 2 and "file too large: 1,200,013 bytes, over the limit of 1,000,000" in done.stderr


@pytest.mark.parametrize(("text", "message"), [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"version": true, "findings": []}', "not a version 1 baseline file"),
    ('{"version": 1.0, "findings": []}', "not a version 1 baseline file"),
])
def test_a_hostile_baseline_is_a_config_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "b.json").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_baseline(tmp_path / "b.json", "b.json")


def test_a_baseline_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text('{"version": 1, "findings": []}' + " " * 100, encoding="utf-8")
    with pytest.raises(ConfigError, match="file too large: 130 bytes, over the limit of 50"):
        read_baseline(tmp_path / "b.json", "b.json", Limits(max_file_bytes=50))


def test_submodules_are_not_walked_and_match_the_git_base(repo: Path, tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    (sub / "inv").mkdir(parents=True)
    (sub / "inv" / "s.yaml").write_text("systems:\n  - id: other\n    name: Other\n", encoding="utf-8")
    git(sub, "init", "-q")
    git(sub, "add", ".")
    git(sub, "commit", "-qm", "s")
    git(repo, "submodule", "add", "-q", str(sub), "inv/vendor")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    notes: list[str] = []
    os.chdir(repo)
    walked = [s.display for s in read_sources([Path("inv")], notes=notes)]
    assert walked == ["inv/a.yaml"]
    assert notes == ["skipped inv/vendor: a git submodule or another repository (not walked)"]
    assert [s.display for s in sources_at(repo, "HEAD", [Path("inv")])] == walked


def test_the_git_base_is_read_under_the_limits(repo: Path) -> None:
    (repo / "inv" / "big.yaml").write_text(GOOD + "# " + "x" * 5_000 + "\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    found = sources_at(repo, "HEAD", [repo / "inv"], limits=Limits(max_file_bytes=1_000))
    assert [(s.display, len(s.data), s.error is not None) for s in found] == [
        ("inv/a.yaml", len(GOOD), False), ("inv/big.yaml", 0, True)]
    assert "file too large: 5,038 bytes, over the limit of 1,000" in str(found[1].error)
    with pytest.raises(UsageError, match="more than 1 inventory files"):
        sources_at(repo, "HEAD", [repo / "inv"], limits=Limits(max_files=1))


def test_a_walked_file_swapped_for_a_pipe_is_skipped_not_waited_on(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import stackmap.load.sources as sources

    monkeypatch.chdir(repo)
    real = sources.discover

    def swap(*args: object, **kwargs: object) -> list[tuple[Path, bool]]:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        (repo / "inv" / "a.yaml").unlink()
        os.mkfifo(repo / "inv" / "a.yaml")
        return found

    monkeypatch.setattr(sources, "discover", swap)
    notes: list[str] = []
    assert read_sources([Path("inv")], notes=notes) == []
    assert notes == ["skipped inv/a.yaml: cannot read: not a regular file"]


def test_an_unreadable_walked_file_is_a_note(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import stackmap.load.sources as sources

    monkeypatch.chdir(repo)
    (repo / "inv" / "b.yaml").write_text(GOOD, encoding="utf-8")
    real = sources.read_regular

    def denied(path: Path, limit: int) -> tuple[bytes, int]:
        if path.name == "b.yaml":
            raise PermissionError(13, "Permission denied")
        return real(path, limit)

    monkeypatch.setattr(sources, "read_regular", denied)
    notes: list[str] = []
    assert [s.display for s in read_sources([Path("inv")], notes=notes)] == ["inv/a.yaml"]
    assert notes == ["skipped inv/b.yaml: cannot read: Permission denied"]
    with pytest.raises(UsageError, match="inv/b.yaml: cannot read: Permission denied"):
        read_sources([Path("inv/b.yaml")])


def test_an_infinite_number_option_is_a_config_error(repo: Path) -> None:
    (repo / ".stackmap.yaml").write_text("options:\n  sprawl_ratio: .inf\n", encoding="utf-8")
    done = run(repo, "check", "inv")
    assert done.returncode == 2
    assert ".stackmap.yaml:2:17: options.sprawl_ratio: expected a finite number of 0 or more" in done.stderr


def test_the_inventory_as_a_whole_is_bounded(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    (repo / "inv" / "b.yaml").write_text(GOOD, encoding="utf-8")
    limits = Limits(max_total_bytes=len(GOOD) * 2 - 1)
    with pytest.raises(UsageError, match=f"hold more than {len(GOOD) * 2 - 1} bytes together"):
        read_sources([Path("inv")], limits=limits)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    with pytest.raises(UsageError, match="STACKMAP_MAX_TOTAL_BYTES"):
        sources_at(repo, "HEAD", [repo / "inv"], limits=limits)
    assert len(read_sources([Path("inv")], limits=Limits(max_total_bytes=len(GOOD) * 2))) == 2


def test_diff_base_reads_the_git_base_under_the_limits_of_the_environment(repo: Path) -> None:
    (repo / "inv" / "b.yaml").write_text("systems:\n  - id: big\n    name: Big\n# " + "x" * 5_000 + "\n",
                                         encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    (repo / "inv" / "b.yaml").unlink()
    done = run(repo, "check", "inv", "--diff-base", "HEAD", STACKMAP_MAX_FILE_BYTES="1000")
    assert done.returncode == 0, done.stderr
    assert "is invalid: every finding is new" in done.stdout
    done = run(repo, "check", "inv", "--diff-base", "HEAD")
    assert "is invalid" not in done.stdout
