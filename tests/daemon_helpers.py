"""What the daemon tests share: a daemon of their own in a private runtime folder, the command runner
that compares its answers with the in-process check, and a copy of the sample inventory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


class Daemon:
    """A runtime folder, the environment that points commands at it, and the command runner."""

    def __init__(self, runtime: Path, cache: Path) -> None:
        self.runtime = runtime
        env = {k: v for k, v in os.environ.items() if k != "STACKMAP_DAEMON"}
        self.env = {**env, "STACKMAP_RUNTIME_DIR": str(runtime), "STACKMAP_CACHE_DIR": str(cache),
                    "STACKMAP_TODAY": "2026-06-30"}

    def run(self, cwd: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "stackmap", *args], cwd=cwd, env={**self.env, **extra},
                              capture_output=True, text=True, encoding="utf-8", timeout=120)

    def same(self, cwd: Path, *args: str, kept: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        """Run through the daemon and in process; assert that both print and exit alike. ``kept``:
        the daemon answers from a workspace it kept (else from a new one: other limits, say)."""
        before = self.counts()
        there = self.run(cwd, *args, **extra)
        assert self.counts() == (before[0] + 1, before[1] + kept), "the check did not go to the daemon"
        here = self.run(cwd, *args, **{**extra, "STACKMAP_DAEMON": "off"})
        assert (there.returncode, there.stdout, there.stderr) == (here.returncode, here.stdout, here.stderr)
        return there

    def status(self) -> dict[str, str]:
        proc = self.run(ROOT, "daemon", "status")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return dict(line.split(": ", 1) for line in proc.stdout.splitlines() if not line.startswith("kept"))

    def counts(self) -> tuple[int, int]:
        """Checks the daemon answered, and how many of them from a kept workspace."""
        checks = self.status()["checks"]
        return int(checks.split()[0]), int(checks.split("(")[1].split()[0])

    def socket(self) -> Path:
        return Path(self.status()["socket"])

    def identity(self, **extra: str) -> str:
        """The identity a command run with :meth:`run` has (the name of the socket it looks for)."""
        code = "from stackmap.daemon.place import identity; print(identity())"
        return subprocess.run([sys.executable, "-c", code], env={**self.env, **extra}, capture_output=True,
                              text=True, check=True).stdout.strip()


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[Daemon]:
    runtime = Path(tempfile.mkdtemp(prefix="smd-"))  # short: a socket path has ~100 bytes
    found = Daemon(runtime, tmp_path / "cache")
    try:
        yield found
    finally:
        found.run(ROOT, "daemon", "stop")
        shutil.rmtree(runtime, ignore_errors=True)


@pytest.fixture
def started(daemon: Daemon) -> Daemon:
    proc = daemon.run(ROOT, "daemon", "start", "--idle", "5")
    assert proc.returncode == 0, proc.stderr
    assert "the daemon runs (pid " in proc.stdout
    return daemon


@pytest.fixture
def sample_repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    shutil.copytree(ROOT / "inventories", folder / "inventories")
    (folder / ".stackmap.yaml").write_text("paths: [inventories]\n", encoding="utf-8")
    return folder


def wait_gone(pid: int) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        if zombie(pid):
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} did not exit")


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] == "Z"
    except OSError:
        return True
