"""The daemon: an opt-in resident process that keeps a workspace warm between ``stackmap check`` runs.

A new process pays, before any cross-file work, for starting, importing and reading every file's
kept result back (~0.4 s at 10,000 systems); a process that stays up pays only for what changed.
``stackmap daemon start`` starts one for the current user and this installation (more exactly, for
every process that would run the same code with the same rights: see :mod:`.place`); while it runs,
``stackmap check`` sends it the command line, the working folder and the environment over a private
Unix socket, the daemon runs the very same command with its kept workspace and analysis, and the
client prints what it wrote and exits with its code. Anything that stops the daemon from answering
makes the client check in its own process. See ``docs/performance.md`` and ``docs/configuration.md``.

Modules: :mod:`.place` (where the socket is, which processes it serves), :mod:`.wire` (framing),
:mod:`.client` (the light entry point every ``stackmap`` command starts in), :mod:`.server`,
:mod:`.pool` (the kept workspaces). Only :mod:`.server` and :mod:`.pool` import the heavy modules.
"""
