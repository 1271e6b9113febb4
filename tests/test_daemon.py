"""The daemon (``stackmap daemon``): a check it answers is the check this process would have made.

Every test runs the real command (``python -m stackmap``) against a daemon of its own, in a private
runtime folder of its own, and compares what the daemon's answer prints, byte for byte, with the same
command run with ``STACKMAP_DAEMON=off``: output, errors and exit code, after edits that make the
inventory invalid and valid again, in every format, with the configuration, the working folder, the
environment and files written with ``-o``. Also: the refusals (a folder others may enter, a link),
what happens when the daemon is gone or goes away mid-check, and how it stops.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from stackmap.daemon import place
from stackmap.daemon.wire import MAX_HEADER, WireError, receive, send

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "markdown")


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
def stack(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    shutil.copytree(ROOT / "inventories", folder / "inventories")
    (folder / ".stackmap.yaml").write_text("paths: [inventories]\n", encoding="utf-8")
    return folder


def test_every_format_is_the_in_process_check(started: Daemon, stack: Path) -> None:
    started.run(stack, "check")  # the daemon's first, cold load
    for fmt in FORMATS:
        proc = started.same(stack, "check", "--format", fmt, "--fail-on", "warning")
        assert proc.returncode == 1 and proc.stdout


def test_edits_invalid_and_valid_again(started: Daemon, stack: Path) -> None:
    marketing = stack / "inventories" / "marketing.yaml"
    original = marketing.read_text(encoding="utf-8")
    started.run(stack, "check")
    marketing.write_text(original + "  - from: marketo\n    to: nowhere\n    data: [contact]\n", encoding="utf-8")
    broken = started.same(stack, "check")
    assert broken.returncode == 1 and "nowhere" in broken.stdout
    marketing.write_text(original.replace("owner:", "owner: x-", 1), encoding="utf-8")
    started.same(stack, "check", "--format", "json")
    marketing.write_text("systems: [", encoding="utf-8")
    started.same(stack, "check")
    marketing.unlink()
    started.same(stack, "check", "--format", "sarif")
    marketing.write_text(original, encoding="utf-8")
    (stack / "inventories" / "new.yaml").write_text(
        "systems:\n  - id: lonely\n    name: Lonely\n    owner: it\n", encoding="utf-8")
    assert "lonely" in started.same(stack, "check").stdout


def test_configuration_folder_environment_and_outputs(started: Daemon, stack: Path) -> None:
    started.run(stack, "check")
    (stack / ".stackmap.yaml").write_text("paths: [inventories]\nrules:\n  isolated-system: off\n"
                                          "fail_on: never\n", encoding="utf-8")
    assert started.same(stack, "check").returncode == 0
    # paths relative to another working folder, a fail level and a date from the environment
    started.run(stack / "inventories", "check", ".")
    started.same(stack / "inventories", "check", ".", "--fail-on", "info", STACKMAP_TODAY="2031-01-01")
    started.same(stack / "inventories", "check", ".", kept=False, NO_COLOR="1",
                 STACKMAP_MAX_FILE_BYTES="1000")
    # a file written with -o lands in the client's folder, with the client's umask
    proc = started.run(stack, "check", "-o", "sarif=out/findings.sarif")
    assert proc.returncode == 0, proc.stderr
    assert (stack / "out" / "findings.sarif").read_text(encoding="utf-8").startswith("{")
    # usage errors come back as the command line gives them
    assert started.same(stack, "check", "--format", "xml", kept=False).returncode == 2
    assert started.same(stack, "check", "no-such-folder", kept=False).returncode == 2


def test_no_cache_help_and_off_run_here(started: Daemon, stack: Path) -> None:
    started.run(stack, "check")
    before = started.status()["checks"]
    for args, extra in ((("check", "--no-cache"), {}), (("check", "--help"), {}),
                        (("check",), {"STACKMAP_DAEMON": "off"}), (("rules",), {})):
        assert started.run(stack, *args, **extra).returncode in (0, 1)
    assert started.status()["checks"] == before


def test_auto_starts_one(daemon: Daemon, stack: Path) -> None:
    assert daemon.run(ROOT, "daemon", "status").returncode == 1
    here = daemon.run(stack, "check", STACKMAP_DAEMON="off")
    there = daemon.run(stack, "check", STACKMAP_DAEMON="auto")
    assert (there.returncode, there.stdout, there.stderr) == (here.returncode, here.stdout, here.stderr)
    assert daemon.status()["checks"].startswith("1 ")
    assert daemon.run(ROOT, "daemon", "start").stdout.startswith("stackmap: the daemon already runs")


def test_bad_mode_is_a_usage_error(daemon: Daemon, stack: Path) -> None:
    proc = daemon.run(stack, "check", STACKMAP_DAEMON="sometimes")
    assert proc.returncode == 2
    assert proc.stderr == "stackmap: STACKMAP_DAEMON='sometimes' is not a mode: use auto or off, or leave it unset\n"
    proc = daemon.run(ROOT, "daemon", "start", STACKMAP_DAEMON="off")
    assert proc.returncode == 2 and "STACKMAP_DAEMON=off" in proc.stderr


def test_stop_status_and_none_running(started: Daemon) -> None:
    assert started.status()["checks"].startswith("0 ")
    proc = started.run(ROOT, "daemon", "stop")
    assert proc.stdout.startswith("stackmap: stopped the daemon (pid ")
    deadline = time.monotonic() + 10
    while list(started.runtime.glob("*.sock")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(started.runtime.glob("*.sock"))
    none = started.run(ROOT, "daemon", "status")
    assert (none.returncode, none.stdout) == (1, "stackmap: no daemon runs for this installation\n")
    assert started.run(ROOT, "daemon", "stop").stdout == "stackmap: no daemon runs\n"


@pytest.mark.parametrize("unsafe", ["shared", "link"])
def test_a_folder_others_may_enter_is_never_used(daemon: Daemon, stack: Path, tmp_path: Path, unsafe: str) -> None:
    if unsafe == "shared":
        daemon.runtime.chmod(0o755)
        runtime = daemon.runtime
    else:
        runtime = tmp_path / "rt"
        runtime.symlink_to(daemon.runtime)
    proc = daemon.run(ROOT, "daemon", "start", STACKMAP_RUNTIME_DIR=str(runtime))
    assert proc.returncode == 2
    assert f"cannot use {runtime} for the daemon's socket" in proc.stderr
    assert not list(daemon.runtime.glob("*.sock"))
    # and a check does not start one there either: it runs here
    here = daemon.run(stack, "check", STACKMAP_DAEMON="auto", STACKMAP_RUNTIME_DIR=str(runtime))
    assert here.returncode == 1 and here.stderr == ""
    assert not list(daemon.runtime.glob("*.sock"))


def test_killed_daemon_leaves_nothing_that_matters(started: Daemon, stack: Path) -> None:
    pid = int(started.status()["pid"])
    os.kill(pid, signal.SIGKILL)
    _wait_gone(pid)
    assert list(started.runtime.glob("*.sock")), "a killed daemon cannot remove its socket"
    here = started.run(stack, "check", STACKMAP_DAEMON="off")
    left = started.run(stack, "check")  # the socket refuses: checked here, silently
    assert (left.returncode, left.stdout, left.stderr) == (here.returncode, here.stdout, here.stderr)
    assert started.run(ROOT, "daemon", "start").returncode == 0  # the lock died with it
    started.same(stack, "check", kept=False)
    started.same(stack, "check")


def test_sigterm_removes_the_socket(started: Daemon) -> None:
    pid = int(started.status()["pid"])
    os.kill(pid, signal.SIGTERM)
    _wait_gone(pid)
    assert not list(started.runtime.glob("*.sock"))


def test_idle_daemon_exits(daemon: Daemon) -> None:
    server = subprocess.Popen([sys.executable, "-m", "stackmap.daemon.server", place.installation(), "1"],
                              env=daemon.env, cwd=ROOT)
    assert server.wait(timeout=30) == 0
    assert not list(daemon.runtime.glob("*.sock"))


def test_a_daemon_that_goes_away_mid_check_is_replaced_by_this_process(daemon: Daemon, stack: Path) -> None:
    """A socket that takes the request and closes: the client notes it and checks here."""
    path = place.socket_path({"STACKMAP_RUNTIME_DIR": str(daemon.runtime)}, place.installation())
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)

    def hang_up() -> None:
        conn, _ = listener.accept()
        conn.recv(1 << 16)
        conn.close()

    thread = threading.Thread(target=hang_up)
    thread.start()
    here = daemon.run(stack, "check", STACKMAP_DAEMON="off")
    proc = daemon.run(stack, "check")
    thread.join(timeout=30)
    listener.close()
    assert (proc.returncode, proc.stdout) == (here.returncode, here.stdout)
    assert proc.stderr.startswith("stackmap: note: the daemon did not answer (")
    assert proc.stderr.endswith("); checking in this process\n")


def test_a_bad_request_does_not_stop_the_daemon(started: Daemon, stack: Path) -> None:
    for request in (b"\x00\x00\x00\x05hello", (MAX_HEADER + 1).to_bytes(4, "big"), b""):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(started.socket()))
            conn.sendall(request)
            conn.shutdown(socket.SHUT_WR)
            assert conn.recv(10) == b""  # no answer: the daemon closed the connection
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(started.socket()))
        send(conn, {"kind": "check", "argv": "check", "cwd": 3, "env": []})
        with pytest.raises(WireError):
            receive(conn)
    started.run(stack, "check")
    started.same(stack, "check")


def test_installation_digest_follows_every_file_but_compiled_ones(tmp_path: Path) -> None:
    package = tmp_path / "stackmap"
    shutil.copytree(ROOT / "stackmap" / "daemon", package / "daemon", ignore=shutil.ignore_patterns("__pycache__"))
    (package / "__init__.py").write_text("", encoding="utf-8")
    code = "import sys; sys.path.insert(0, sys.argv[1]); from stackmap.daemon.place import installation; " \
           "print(installation())"

    def digest() -> str:
        return subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}).stdout

    first = digest()
    (package / "daemon" / "__pycache__").mkdir()
    (package / "daemon" / "__pycache__" / "x.pyc").write_bytes(b"compiled")
    assert digest() == first
    os.utime(package / "__init__.py", ns=(1, 1))
    assert digest() != first


def _wait_gone(pid: int) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        if _zombie(pid):
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} did not exit")


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] == "Z"
    except OSError:
        return True
