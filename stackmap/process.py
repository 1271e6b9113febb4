"""Paths that name the process itself, and whether this process stands in for another one.

``/dev/stdin``, ``/dev/stdout``, ``/dev/fd/3`` and ``/proc/self/...`` (or a link to one) mean the
streams and state of whichever process opens them. A command run by the daemon on a client's behalf
(:mod:`stackmap.daemon`) must not open one: it would read or write the daemon's own streams. While
:func:`stand_in` is on, :func:`guard` raises :class:`RunInClient` for such a path, and the daemon
hands the command back to the client, which runs it in its own process. In any other process
:func:`guard` does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable

_PROCESS_ROOTS = ("/dev/", "/proc/")
_MAX_LINKS = 40
_stand_in: Callable[[], bool] | None = None
_effects = False
"""Whether the command standing in has begun writing: from then on it cannot be handed back."""


class RunInClient(BaseException):
    """The command must run in the client's own process (not an ``Exception``: no error handling of a
    command catches it)."""


def own_path(path: str | os.PathLike[str]) -> bool:
    """Whether ``path``, or any link on the way to what it names, is under ``/dev`` or ``/proc``. Every
    step counts: ``/dev/stdout`` itself resolves, in the process that asks, to that process's own
    output (a log file, say), which is no longer under ``/dev``."""
    current = os.path.join(os.getcwd(), os.fspath(path))  # not normalised: `link/..` is not `.`
    for _ in range(_MAX_LINKS):
        folder = os.path.realpath(os.path.dirname(current))  # resolves `..` after a link as the system does
        if any((p + "/").startswith(_PROCESS_ROOTS) for p in (os.path.normpath(current), folder)):
            return True
        step = os.path.join(folder, os.path.basename(current))
        if not os.path.islink(step):
            return False
        try:
            current = os.path.join(folder, os.readlink(step))
        except OSError:
            return False
    return False  # a loop of links: opening it fails alike in every process


def stand_in(client_gone: Callable[[], bool] | None) -> None:
    """Start standing in for a client (``client_gone`` says whether it hung up), or stop (``None``)."""
    global _stand_in, _effects
    _stand_in = client_gone
    _effects = False


def guard(*paths: str | os.PathLike[str] | None) -> None:
    """Raise :class:`RunInClient` when standing in and one of ``paths`` names a process's own file."""
    if _stand_in is None:
        return
    found = next((p for p in paths if p is not None and os.fspath(p) != "" and own_path(p)), None)
    if found is not None:
        raise RunInClient(f"{found} names the client's own file")


def before_effects() -> None:
    """Call before writing anything: a stand-in whose client hung up (Ctrl-C) stops here, writing
    nothing, as the client's own process would have stopped."""
    global _effects
    if _stand_in is not None and _stand_in():
        raise RunInClient("the client hung up")
    _effects = True


def can_hand_back() -> bool:
    """Whether this process runs a command on a client's behalf that has written nothing yet (so the
    client may run it again from the start)."""
    return _stand_in is not None and not _effects
