"""The daemon (``stackmap daemon``): a check it answers is the check this process would have made.

Every test runs the real command (``python -m stackmap``) against a daemon of its own, in a private
runtime folder of its own, and compares what the daemon's answer prints, byte for byte, with the same
command run with ``STACKMAP_DAEMON=off``: output, errors and exit code, after edits that make the
inventory invalid and valid again, in every format, with the configuration, the working folder, the
environment and files written with ``-o``. Also how it starts, stops and refuses to start. What stays
in the client and what the daemon refuses: ``tests/test_daemon_boundaries.py``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from daemon_helpers import ROOT, Daemon, wait_gone

from stackmap.daemon import place
from stackmap.daemon.client import _BOOT as BOOT

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "markdown")


def test_every_format_is_the_in_process_check(started: Daemon, sample_repo: Path) -> None:
    started.run(sample_repo, "check")  # the daemon's first, cold load
    for fmt in FORMATS:
        proc = started.same(sample_repo, "check", "--format", fmt, "--fail-on", "warning")
        assert proc.returncode == 1 and proc.stdout


def test_edits_invalid_and_valid_again(started: Daemon, sample_repo: Path) -> None:
    marketing = sample_repo / "inventories" / "marketing.yaml"
    original = marketing.read_text(encoding="utf-8")
    started.run(sample_repo, "check")
    marketing.write_text(original + "  - from: marketo\n    to: nowhere\n    data: [contact]\n", encoding="utf-8")
    broken = started.same(sample_repo, "check")
    assert broken.returncode == 1 and "nowhere" in broken.stdout
    marketing.write_text(original.replace("owner:", "owner: x-", 1), encoding="utf-8")
    started.same(sample_repo, "check", "--format", "json")
    marketing.write_text("systems: [", encoding="utf-8")
    started.same(sample_repo, "check")
    marketing.unlink()
    started.same(sample_repo, "check", "--format", "sarif")
    marketing.write_text(original, encoding="utf-8")
    (sample_repo / "inventories" / "new.yaml").write_text(
        "systems:\n  - id: lonely\n    name: Lonely\n    owner: it\n", encoding="utf-8")
    assert "lonely" in started.same(sample_repo, "check").stdout


def test_configuration_folder_environment_and_outputs(started: Daemon, sample_repo: Path) -> None:
    started.run(sample_repo, "check")
    (sample_repo / ".stackmap.yaml").write_text("paths: [inventories]\nrules:\n  isolated-system: off\n"
                                          "fail_on: never\n", encoding="utf-8")
    assert started.same(sample_repo, "check").returncode == 0
    # paths relative to another working folder, a fail level and a date from the environment
    started.run(sample_repo / "inventories", "check", ".")
    started.same(sample_repo / "inventories", "check", ".", "--fail-on", "info", STACKMAP_TODAY="2031-01-01")
    started.same(sample_repo / "inventories", "check", ".", kept=False, NO_COLOR="1",
                 STACKMAP_MAX_FILE_BYTES="1000")
    # a file written with -o lands in the client's folder, with the client's umask
    proc = started.run(sample_repo, "check", "-o", "sarif=out/findings.sarif")
    assert proc.returncode == 0, proc.stderr
    assert (sample_repo / "out" / "findings.sarif").read_text(encoding="utf-8").startswith("{")
    # usage errors come back as the command line gives them
    assert started.same(sample_repo, "check", "--format", "xml", kept=False).returncode == 2
    assert started.same(sample_repo, "check", "no-such-folder", kept=False).returncode == 2


def test_no_cache_help_and_off_run_here(started: Daemon, sample_repo: Path) -> None:
    started.run(sample_repo, "check")
    before = started.status()["checks"]
    for args, extra in ((("check", "--no-cache"), {}), (("check", "--help"), {}),
                        (("check",), {"STACKMAP_DAEMON": "off"}), (("rules",), {})):
        assert started.run(sample_repo, *args, **extra).returncode in (0, 1)
    assert started.status()["checks"] == before


def test_auto_starts_one(daemon: Daemon, sample_repo: Path) -> None:
    assert daemon.run(ROOT, "daemon", "status").returncode == 1
    here = daemon.run(sample_repo, "check", STACKMAP_DAEMON="off")
    there = daemon.run(sample_repo, "check", STACKMAP_DAEMON="auto")
    assert (there.returncode, there.stdout, there.stderr) == (here.returncode, here.stdout, here.stderr)
    assert daemon.status()["checks"].startswith("1 ")
    assert daemon.run(ROOT, "daemon", "start").stdout.startswith("stackmap: the daemon already runs")


def test_bad_mode_is_a_usage_error(daemon: Daemon, sample_repo: Path) -> None:
    proc = daemon.run(sample_repo, "check", STACKMAP_DAEMON="sometimes")
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
def test_a_folder_others_may_enter_is_never_used(daemon: Daemon, sample_repo: Path, tmp_path: Path, unsafe: str) -> None:
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
    here = daemon.run(sample_repo, "check", STACKMAP_DAEMON="auto", STACKMAP_RUNTIME_DIR=str(runtime))
    assert here.returncode == 1 and here.stderr == ""
    assert not list(daemon.runtime.glob("*.sock"))


def test_killed_daemon_leaves_nothing_that_matters(started: Daemon, sample_repo: Path) -> None:
    pid = int(started.status()["pid"])
    os.kill(pid, signal.SIGKILL)
    wait_gone(pid)
    assert list(started.runtime.glob("*.sock")), "a killed daemon cannot remove its socket"
    here = started.run(sample_repo, "check", STACKMAP_DAEMON="off")
    left = started.run(sample_repo, "check")  # the socket refuses: checked here, silently
    assert (left.returncode, left.stdout, left.stderr) == (here.returncode, here.stdout, here.stderr)
    assert started.run(ROOT, "daemon", "start").returncode == 0  # the lock died with it
    started.same(sample_repo, "check", kept=False)
    started.same(sample_repo, "check")


def test_sigterm_removes_the_socket(started: Daemon) -> None:
    pid = int(started.status()["pid"])
    os.kill(pid, signal.SIGTERM)
    wait_gone(pid)
    assert not list(started.runtime.glob("*.sock"))


def test_idle_daemon_exits(daemon: Daemon) -> None:
    key = place.identity()  # this process's: the daemon below imports through the same path
    server = subprocess.Popen([sys.executable, "-c", BOOT, json.dumps(sys.path), key, "1", str(daemon.runtime)],
                              env=daemon.env, cwd="/")
    assert server.wait(timeout=30) == 0
    assert not list(daemon.runtime.glob("*.sock"))


def test_a_daemon_of_other_code_or_settings_does_not_start(daemon: Daemon) -> None:
    server = subprocess.run([sys.executable, "-c", BOOT, json.dumps(sys.path), "0" * 64, "1", str(daemon.runtime)],
                            env=daemon.env, cwd="/", capture_output=True, text=True, timeout=60)
    assert server.returncode == 2
    assert "does not share the client's identity" in server.stderr
    assert not list(daemon.runtime.glob("*"))


def test_stop_ends_a_daemon_that_does_not_answer(started: Daemon) -> None:
    """A client that connects and sends nothing holds the daemon up to 30 s: `stop` waits 10 s,
    then ends it by the pid in its lock file."""
    pid = int(started.status()["pid"])
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as silent:
        silent.connect(str(started.socket()))
        proc = started.run(ROOT, "daemon", "stop")
        assert proc.stdout == (f"stackmap: stopped the daemon (pid {pid}) with SIGTERM: it did not answer "
                               "within 10 s (busy with a long check, or stuck)\n"), proc.stderr
        wait_gone(pid)
    assert not list(started.runtime.glob("*.sock"))
