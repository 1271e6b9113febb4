"""Outputs named as streams are written into, never replaced: ``-o sarif=/dev/stdout`` prints the
SARIF (after nothing, before the main report), ``/dev/null`` stays the device, a named pipe gets the
bytes. Before, the atomic rename replaced the link ``/dev/stdout`` (or the device ``/dev/null``) with
a regular file wherever the process could write to ``/dev``, as root in a CI container can."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from stackmap.errors import UsageError
from stackmap.output import write_atomic

ROOT = Path(__file__).resolve().parents[1]


def check(*args: str, stdout: int | object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stackmap", "check", "inventories", "--fail-on", "never", *args],
                          cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120)


def test_sarif_to_dev_stdout_lands_in_the_output(tmp_path: Path) -> None:
    before = os.lstat("/dev/stdout")
    piped = check("-o", "sarif=/dev/stdout", "--format", "json")
    assert piped.returncode == 0, piped.stderr
    sarif, _, rest = piped.stdout.partition("\n}\n")
    assert json.loads(sarif + "\n}")["version"] == "2.1.0"
    assert json.loads(rest)["valid"] is True
    with (tmp_path / "out.txt").open("w") as redirected:  # `> out.txt`: appended to, not truncated
        assert check("-o", "sarif=/dev/stdout", "--format", "json", stdout=redirected).returncode == 0
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == piped.stdout
    after = os.lstat("/dev/stdout")
    assert (stat.S_ISLNK(after.st_mode), after.st_ino) == (stat.S_ISLNK(before.st_mode), before.st_ino)


def test_dev_null_stays_a_device() -> None:
    assert check("-o", "sarif=/dev/null").returncode == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_named_pipe_gets_the_bytes(tmp_path: Path) -> None:
    fifo = tmp_path / "findings.sarif"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, '{"version": "2.1.0"}\n')
    reader.join(timeout=30)
    assert got == [b'{"version": "2.1.0"}\n']
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_stream_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot write"):
        write_atomic(Path("/proc/self/no-such-file"), "x")
