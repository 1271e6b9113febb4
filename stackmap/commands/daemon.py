"""``stackmap daemon start|stop|status``: the opt-in process that keeps checks warm (see
:mod:`stackmap.daemon`)."""

from __future__ import annotations

import datetime
from typing import Annotated

import typer

daemon_app = typer.Typer(
    help="Keep a check process warm between runs: `stackmap check` then answers from it.",
    no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(daemon_app, name="daemon")


@daemon_app.command()
def start(
    idle: Annotated[int, typer.Option(
        "--idle", metavar="MINUTES", min=1, max=24 * 60,
        help="Exit after this many minutes without a check.")] = 60,
) -> None:
    """Start the daemon for this installation (nothing to do when one runs)."""
    from ..daemon.client import ask, cpu_limited, daemon_pid, log_path, mode, start as spawn
    from ..daemon.place import identity, private_dir, runtime_dir, socket_path
    from ..errors import UsageError

    if mode() == "off":
        raise UsageError("STACKMAP_DAEMON=off: unset it to use the daemon")
    if cpu_limited():
        raise UsageError("a CPU time limit is set (ulimit -t): it counts a daemon's whole life, so checks "
                         "run in their own process; lift the limit to use the daemon")
    try:
        running = ask("status")
    except TimeoutError:
        running = {"pid": f"{daemon_pid()}, busy"}
    if running is not None:
        typer.echo(f"stackmap: the daemon already runs (pid {running['pid']}), at {socket_path()}")
        return
    try:
        private_dir(runtime_dir(), create=True)
    except OSError as exc:
        raise UsageError(f"cannot use {runtime_dir()} for the daemon's socket: {exc}; "
                         "set STACKMAP_RUNTIME_DIR to a private folder") from None
    if len(str(socket_path())) > 100:
        raise UsageError(f"the socket path {socket_path()} is too long for a Unix socket; "
                         "set STACKMAP_RUNTIME_DIR to a shorter folder")
    conn = spawn(identity(), idle * 60)
    if conn is None:
        raise UsageError(f"the daemon did not start; see {log_path()}")
    conn.close()
    try:
        status = ask("status") or {}
    except TimeoutError:  # another client's check came first
        status = {"pid": daemon_pid()}
    typer.echo(f"stackmap: the daemon runs (pid {status.get('pid', '?')}), at {socket_path()}; "
               f"`stackmap check` now answers from it; it exits after {idle} minutes without a check")


@daemon_app.command()
def stop() -> None:
    """Stop the daemon for this installation."""
    import os
    import signal

    from ..daemon.client import ASK_TIMEOUT, ask, daemon_pid
    from ..errors import UsageError

    try:
        answer = ask("stop")
    except TimeoutError:
        pid = daemon_pid()
        if pid is None:
            raise UsageError(f"the daemon did not answer within {ASK_TIMEOUT:.0f} s and its process is "
                             "unknown") from None
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:  # it ended meanwhile
            pass
        typer.echo(f"stackmap: stopped the daemon (pid {pid}) with SIGTERM: it did not answer within "
                   f"{ASK_TIMEOUT:.0f} s (busy with a long check, or stuck)")
        return
    typer.echo("stackmap: no daemon runs" if answer is None else f"stackmap: stopped the daemon (pid {answer['stopped']})")


@daemon_app.command()
def status() -> None:
    """Say whether the daemon runs, since when, and what it keeps. Exit 1 when none runs."""
    from ..daemon.client import ASK_TIMEOUT, ask, daemon_pid
    from ..daemon.place import socket_path

    try:
        answer = ask("status")
    except TimeoutError:
        typer.echo(f"pid: {daemon_pid()}\nsocket: {socket_path()}\nbusy: it did not answer within "
                   f"{ASK_TIMEOUT:.0f} s (a long check, or stuck: `stackmap daemon stop` ends it)")
        return
    if answer is None:
        typer.echo("stackmap: no daemon runs for this installation")
        raise typer.Exit(1)
    started = datetime.datetime.fromtimestamp(answer["started"]).isoformat(timespec="seconds")
    typer.echo(f"pid: {answer['pid']}\nsocket: {socket_path()}\nstarted: {started}\n"
               f"checks: {answer['requests']} ({answer['warm']} from a kept workspace)\n"
               f"idle exit: after {int(answer['idle'] // 60)} minutes\npeak memory: {answer['peak_mb']} MB")
    for line in answer["workspaces"]:
        typer.echo(f"kept: {line}")
