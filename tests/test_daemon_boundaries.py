"""The daemon's boundaries: what keeps a check in the client, what the daemon refuses, and every way
found (by a review and by the tests) that an answer from the daemon could have differed from the
check in the client's own process: the time zone, a link the walk notes, the files an earlier check
read, paths of the process (``/dev/stdin``, ``-o sarif=/dev/stdout``), streams that are closed or not
UTF-8, interpreter settings, a relative runtime folder, a removed socket, Ctrl-C and a closed pipe,
a daemon that goes away mid-check, malformed requests.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from daemon_helpers import ROOT, Daemon

from stackmap.daemon import place
from stackmap.daemon.wire import MAX_HEADER, WireError, receive, send


@pytest.mark.parametrize("picked_up", [True, False])
def test_a_daemon_that_goes_away_is_replaced_by_this_process(daemon: Daemon, sample_repo: Path,
                                                             picked_up: bool) -> None:
    """A socket that takes the request and closes: before picking it up (nothing ran: checked here
    silently) or after (the client notes it, then checks here)."""
    path = place.socket_path({"STACKMAP_RUNTIME_DIR": str(daemon.runtime)}, daemon.identity())
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)

    def hang_up() -> None:
        conn, _ = listener.accept()
        receive(conn, max_body=0)
        if picked_up:
            send(conn, {"ack": True})
        conn.close()

    thread = threading.Thread(target=hang_up)
    thread.start()
    here = daemon.run(sample_repo, "check", STACKMAP_DAEMON="off")
    proc = daemon.run(sample_repo, "check")
    thread.join(timeout=30)
    listener.close()
    assert (proc.returncode, proc.stdout) == (here.returncode, here.stdout)
    if picked_up:
        assert proc.stderr.startswith("stackmap: note: the daemon did not answer (")
        assert proc.stderr.endswith("); checking in this process\n")
    else:
        assert proc.stderr == here.stderr


def test_a_bad_request_does_not_stop_the_daemon(started: Daemon, sample_repo: Path) -> None:
    for request in (b"\x00\x00\x00\x05hello", (MAX_HEADER + 1).to_bytes(4, "big"), b""):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(started.socket()))
            conn.sendall(request)
            conn.shutdown(socket.SHUT_WR)
            assert conn.recv(10) == b""  # no answer: the daemon closed the connection
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(started.socket()))
        send(conn, {"kind": "check", "argv": "check", "cwd": 3, "env": []})
        assert "local" in receive(conn)[0]
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(started.socket()))
        send(conn, {"kind": "check", "argv": ["check"], "cwd": 3, "env": []})
        with pytest.raises(WireError):
            receive(conn)
    started.run(sample_repo, "check")
    started.same(sample_repo, "check")


def test_identity_follows_every_file_but_compiled_ones(tmp_path: Path) -> None:
    package = tmp_path / "stackmap"
    shutil.copytree(ROOT / "stackmap" / "daemon", package / "daemon", ignore=shutil.ignore_patterns("__pycache__"))
    (package / "__init__.py").write_text("", encoding="utf-8")
    code = "import sys; sys.path.insert(0, sys.argv[1]); from stackmap.daemon.place import identity; " \
           "print(identity())"

    def digest(**extra: str) -> str:
        return subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **extra}).stdout

    first = digest()
    (package / "daemon" / "__pycache__").mkdir()
    (package / "daemon" / "__pycache__" / "x.pyc").write_bytes(b"compiled")
    assert digest() == first
    assert digest(STACKMAP_TODAY="2031-01-01", TZ="Etc/GMT-14") == first  # sent with each request
    assert digest(PYTHONINTMAXSTRDIGITS="0") != first  # read once, when Python starts
    os.utime(package / "__init__.py", ns=(1, 1))
    assert digest() != first


def test_the_clients_time_zone_decides_today(started: Daemon, sample_repo: Path) -> None:
    """The daemon started in UTC; a waiver expiring today (UTC) is judged in the client's zone."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    (sample_repo / ".stackmap.yaml").write_text(
        "paths: [inventories]\nwaivers:\n  - rule: duplicate-capability\n    target: '*'\n"
        f"    reason: Consolidation under way.\n    expires: {today.isoformat()}\n", encoding="utf-8")
    started.run(sample_repo, "check")
    east = started.same(sample_repo, "check", STACKMAP_TODAY="", TZ="Etc/GMT-14")
    west = started.same(sample_repo, "check", STACKMAP_TODAY="", TZ="Etc/GMT+12")
    assert east.stdout != west.stdout


def test_a_link_noted_by_the_walk_is_noted_while_it_is_there(started: Daemon, sample_repo: Path) -> None:
    broken = sample_repo / "inventories" / "broken.yaml"
    broken.symlink_to(sample_repo / "nowhere.yaml")
    started.run(sample_repo, "check")
    assert "broken.yaml" in started.same(sample_repo, "check").stdout
    broken.unlink()
    assert "broken.yaml" not in started.same(sample_repo, "check").stdout


def test_files_read_by_an_earlier_check_are_not_this_ones(started: Daemon, sample_repo: Path) -> None:
    """An output may not replace a file the command read; a file an earlier check read is fair game."""
    other = sample_repo / "other"
    other.mkdir()
    (other / "stack.yaml").write_text("systems:\n  - id: crm\n    name: CRM\n    owner: sales\n", encoding="utf-8")
    started.run(sample_repo, "check", "inventories")
    started.run(sample_repo, "check", "other")
    target = sample_repo / "inventories" / "marketing.yaml"
    there = started.same(sample_repo, "check", "other", "-o", f"markdown={target}")
    assert there.returncode == 0 and target.read_text(encoding="utf-8").startswith("#")
    refused = started.same(sample_repo, "check", "other", "-o", "markdown=other/stack.yaml")
    assert refused.returncode == 2 and "refusing to write over an inventory file" in refused.stderr


def test_paths_of_this_process_run_here(started: Daemon, sample_repo: Path) -> None:
    """`/dev/stdout` or `/dev/stdin` in the daemon would be the daemon's own."""
    started.run(sample_repo, "check")
    before = started.counts()
    proc = started.run(sample_repo, "check", "-o", "sarif=/dev/stdout", "--format", "json")
    assert '"$schema"' in proc.stdout and proc.returncode == 1
    baseline = sample_repo / "base.json"
    assert started.run(sample_repo, "baseline", "create", "-o", str(baseline)).returncode == 0
    with baseline.open("rb") as stdin:
        proc = subprocess.run([sys.executable, "-m", "stackmap", "check", "--baseline", "/dev/stdin"], cwd=sample_repo,
                              env=started.env, stdin=stdin, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (sample_repo / "out").symlink_to("/dev/stdout")
    assert '"$schema"' in started.run(sample_repo, "check", "-o", "sarif=out").stdout
    env = {"GITHUB_STEP_SUMMARY": "/dev/stderr", "GITHUB_ACTIONS": "true"}
    assert "## " in started.run(sample_repo, "check", **env).stderr
    assert started.counts() == (before[0] + 4, before[1])  # each handed back before its load


def test_streams_it_could_not_write_like_this_process_run_here(started: Daemon, sample_repo: Path) -> None:
    started.run(sample_repo, "check")
    before = started.counts()
    here = started.run(sample_repo, "check", PYTHONIOENCODING="ascii", STACKMAP_DAEMON="off")
    there = started.run(sample_repo, "check", PYTHONIOENCODING="ascii")
    assert (there.returncode, there.stdout, there.stderr) == (here.returncode, here.stdout, here.stderr)
    closed = subprocess.run([sys.executable, "-m", "stackmap", "check"], cwd=sample_repo, env=started.env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=120,
                            preexec_fn=lambda: os.close(1))
    assert closed.returncode == 2 and "internal error" in closed.stderr and "Traceback" not in closed.stderr
    assert started.counts() == before


def test_interpreter_settings_make_another_identity(started: Daemon, sample_repo: Path) -> None:
    started.run(sample_repo, "check")
    before = started.counts()
    assert started.identity(PYTHONINTMAXSTRDIGITS="0") != started.identity()
    assert started.run(sample_repo, "check", PYTHONINTMAXSTRDIGITS="0").returncode == 1
    assert started.counts() == before


def test_only_checks_are_run_by_the_daemon(started: Daemon, sample_repo: Path) -> None:
    """Another command (here one that would ask the daemon itself and wait forever) is refused."""
    for argv in (["daemon", "status"], ["check", "--no-cache"], ["check", "--help"], []):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(started.socket()))
            send(conn, {"kind": "check", "argv": argv, "cwd": str(sample_repo), "env": started.env})
            assert receive(conn)[0] == {"local": "not a check the daemon answers", "sizes": []}
    started.run(sample_repo, "check")
    started.same(sample_repo, "check")


def test_a_request_body_is_refused_before_it_is_read() -> None:
    left, right = socket.socketpair()
    with left, right:
        header = json.dumps({"kind": "check", "sizes": [1 << 30]}).encode()
        left.sendall(len(header).to_bytes(4, "big") + header)
        with pytest.raises(WireError, match="bad sizes"):
            receive(right, max_body=0)


def test_relative_runtime_folder_is_the_clients(daemon: Daemon, sample_repo: Path) -> None:
    relative = os.path.relpath(daemon.runtime, sample_repo)
    there = daemon.run(sample_repo, "check", STACKMAP_DAEMON="auto", STACKMAP_RUNTIME_DIR=relative)
    assert there.stderr == "" and there.returncode == 1
    assert list(daemon.runtime.glob("*.sock")) and daemon.counts() == (1, 0)


def test_a_daemon_whose_socket_was_removed_costs_no_wait(started: Daemon, sample_repo: Path) -> None:
    """A cleaner removed the socket: a new daemon cannot take the lock, so the check runs here at once
    (well within the 20 s a start may take), and the old daemon leaves at its next look."""
    socket_file = started.socket()
    socket_file.unlink()
    here = started.run(sample_repo, "check", STACKMAP_DAEMON="off")
    proc = subprocess.run([sys.executable, "-m", "stackmap", "check"], cwd=sample_repo, capture_output=True, text=True,
                          env={**started.env, "STACKMAP_DAEMON": "auto"}, timeout=15)
    assert (proc.returncode, proc.stdout, proc.stderr) == (here.returncode, here.stdout, here.stderr)


def test_ctrl_c_and_a_closed_pipe_end_as_in_process(daemon: Daemon, sample_repo: Path) -> None:
    path = place.socket_path({"STACKMAP_RUNTIME_DIR": str(daemon.runtime)}, daemon.identity())
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)
    with listener:  # a daemon that takes the request and thinks forever
        client = subprocess.Popen([sys.executable, "-m", "stackmap", "check"], cwd=sample_repo, env=daemon.env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        conn, _ = listener.accept()
        with conn:
            conn.recv(1 << 16)
            client.send_signal(signal.SIGINT)
            out, err = client.communicate(timeout=30)
    assert (client.returncode, out, err) == (130, "", "")
    path.unlink()
    started = daemon.run(ROOT, "daemon", "start")
    assert started.returncode == 0
    daemon.run(sample_repo, "check")
    for mode in ("off", ""):
        reader, writer = os.pipe()
        os.close(reader)  # nobody reads: the first write fails
        with os.fdopen(writer, "w") as out_pipe:
            proc = subprocess.run([sys.executable, "-m", "stackmap", "check"], cwd=sample_repo, stdout=out_pipe,
                                  stderr=subprocess.PIPE, text=True, env={**daemon.env, "STACKMAP_DAEMON": mode},
                                  timeout=120)
        assert (mode, proc.returncode, proc.stderr) == (mode, 1, "")


def test_option_spellings_and_discovered_files_of_this_process(started: Daemon, sample_repo: Path) -> None:
    """The daemon hands back whatever names a process file, however it is spelled or found."""
    started.run(sample_repo, "check")
    proc = started.run(sample_repo, "check", "--output=sarif=/dev/stdout")
    assert '"$schema"' in proc.stdout
    config = (sample_repo / ".stackmap.yaml").read_bytes()
    here = subprocess.run([sys.executable, "-m", "stackmap", "check", "inventories", "-c/dev/stdin"], cwd=sample_repo,
                          env={**started.env, "STACKMAP_DAEMON": "off"}, input=config, capture_output=True, timeout=120)
    there = subprocess.run([sys.executable, "-m", "stackmap", "check", "inventories", "-c/dev/stdin"], cwd=sample_repo,
                           env=started.env, input=config, capture_output=True, timeout=120)
    assert (there.returncode, there.stdout, there.stderr) == (here.returncode, here.stdout, here.stderr)


def test_a_busy_daemon_is_not_waited_for(started: Daemon, sample_repo: Path) -> None:
    """A client that connects and sends nothing holds the daemon; the next check runs here."""
    here = started.run(sample_repo, "check", STACKMAP_DAEMON="off")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as silent:
        silent.connect(str(started.socket()))
        there = started.run(sample_repo, "check")  # within its 120 s timeout, not behind the 30 s hold
    assert (there.returncode, there.stdout, there.stderr) == (here.returncode, here.stdout, here.stderr)


def test_a_client_that_hangs_up_gets_no_files_written(started: Daemon, tmp_path: Path) -> None:
    """Ctrl-C ends the client; the daemon stops before writing, as the client's own process would."""
    inventory = tmp_path / "big"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "2000", str(inventory)], check=True,
                   capture_output=True)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(started.socket()))
        send(conn, {"kind": "check", "argv": ["check", str(inventory), "-o", "sarif=out.sarif"],
                    "cwd": str(tmp_path), "env": started.env})
        assert receive(conn, max_body=0)[0] == {"ack": True, "sizes": []}
    started.status()  # answered once the check ended
    assert not (tmp_path / "out.sarif").exists()


def test_an_output_that_fails_is_the_same_internal_error(started: Daemon, sample_repo: Path) -> None:
    started.run(sample_repo, "check")
    results = []
    for mode in ("off", ""):
        with open("/dev/full", "w") as full:
            proc = subprocess.run([sys.executable, "-m", "stackmap", "check"], cwd=sample_repo, stdout=full,
                                  stderr=subprocess.PIPE, text=True, env={**started.env, "STACKMAP_DAEMON": mode},
                                  timeout=120)
        results.append((proc.returncode, proc.stderr))
    assert results[0] == results[1]
    assert results[0][0] == 2 and "internal error: OSError: [Errno 28] No space left on device" in results[0][1]


def test_a_request_too_large_to_send_runs_here_silently(started: Daemon, sample_repo: Path) -> None:
    here = started.run(sample_repo, "check", STACKMAP_DAEMON="off")
    huge = {f"HUGE_{i}": "é" * 50_000 for i in range(15)}  # escaped in JSON: over 4 MB
    there = started.run(sample_repo, "check", **huge)
    assert (there.returncode, there.stdout, there.stderr) == (here.returncode, here.stdout, here.stderr)


def test_a_memory_limit_keeps_the_check_here(started: Daemon, sample_repo: Path) -> None:
    import resource

    started.run(sample_repo, "check")
    before = started.counts()
    limit = 4 << 30

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    proc = subprocess.run([sys.executable, "-m", "stackmap", "check"], cwd=sample_repo, env=started.env,
                          capture_output=True, text=True, timeout=120, preexec_fn=limited)
    assert proc.returncode == 1 and proc.stderr == ""
    assert started.counts() == before


def test_auto_passes_on_every_interpreter_option(daemon: Daemon, sample_repo: Path) -> None:
    """`-X int_max_str_digits` is part of the identity: the daemon started for it must have it too."""
    cmd = [sys.executable, "-X", "int_max_str_digits=5000", "-m", "stackmap", "check"]
    here = subprocess.run(cmd, cwd=sample_repo, env={**daemon.env, "STACKMAP_DAEMON": "off"}, capture_output=True,
                          text=True, timeout=120)
    there = subprocess.run(cmd, cwd=sample_repo, env={**daemon.env, "STACKMAP_DAEMON": "auto"}, capture_output=True,
                           text=True, timeout=120)
    assert (there.returncode, there.stdout, there.stderr) == (here.returncode, here.stdout, here.stderr)
    assert list(daemon.runtime.glob("*.sock")), "no daemon came up"
    log = next(daemon.runtime.glob("*.log")).read_text(encoding="utf-8")
    assert log == ""
    stop = [sys.executable, "-X", "int_max_str_digits=5000", "-m", "stackmap", "daemon", "stop"]
    assert "stopped the daemon" in subprocess.run(stop, env=daemon.env, capture_output=True, text=True).stdout


@pytest.mark.parametrize("where", ["walked", "configured"])
def test_links_to_the_process_found_by_the_walk_or_the_configuration(started: Daemon, sample_repo: Path,
                                                                      where: str) -> None:
    """A committed link to /dev/stdin is resolved by the client, as its own process would."""
    extra = sample_repo / ".extra.yaml"
    extra.write_text("systems:\n  - id: piped\n    name: Piped\n    owner: it\n", encoding="utf-8")
    if where == "walked":
        (sample_repo / "inventories" / "zz.yaml").symlink_to("/dev/stdin")
    else:
        (sample_repo / "in.yaml").symlink_to("/dev/stdin")
        (sample_repo / ".stackmap.yaml").write_text("paths: [inventories, in.yaml]\n", encoding="utf-8")
    started.run(sample_repo, "check", STACKMAP_DAEMON="")
    results = []
    for mode in ("off", ""):
        with extra.open("rb") as stdin:
            proc = subprocess.run([sys.executable, "-m", "stackmap", "check"], cwd=sample_repo, stdin=stdin,
                                  env={**started.env, "STACKMAP_DAEMON": mode}, capture_output=True, text=True,
                                  timeout=120)
        results.append((proc.returncode, proc.stdout, proc.stderr))
    assert results[0] == results[1]


def test_own_paths_are_followed_link_by_link(tmp_path: Path) -> None:
    from stackmap.process import own_path

    (tmp_path / "fds").symlink_to("/dev/fd")
    (tmp_path / "w.yaml").symlink_to("fds/../fd/0")  # `fds/..` is /proc/self, not tmp_path
    (tmp_path / "plain.yaml").write_text("", encoding="utf-8")
    (tmp_path / "near.yaml").symlink_to("plain.yaml")
    assert own_path(tmp_path / "w.yaml") and own_path(tmp_path / "fds")
    assert own_path("/dev/stdout") and own_path("/proc/self/status") and own_path("/dev/null")
    assert not own_path(tmp_path / "near.yaml") and not own_path(tmp_path / "plain.yaml")


def test_a_stand_in_that_began_writing_is_not_handed_back() -> None:
    from stackmap import process

    assert not process.can_hand_back()  # an ordinary process: nothing to hand back to
    process.stand_in(lambda: False)
    try:
        assert process.can_hand_back()
        process.before_effects()
        assert not process.can_hand_back()  # the client would write the same files again
        with pytest.raises(process.RunInClient):
            process.guard("/dev/stdin")
    finally:
        process.stand_in(None)
    process.guard("/dev/stdin")  # does nothing outside a stand-in
