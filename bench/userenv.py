"""Run ``stackmap`` in a benchmark the way users run it: its modules compiled to bytecode once.

With ``PYTHONDONTWRITEBYTECODE`` set (some shells and CI images set it) and no ``__pycache__``, every
fresh process compiles stackmap's modules again (~0.06–0.14 s for a `check`, measured), which no
installed copy does. The benches
that time whole processes compile the package first and drop the variable from their children;
they also turn the daemon off (``STACKMAP_DAEMON=off``) unless they time it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


_compiled = False


def compiled_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) for a child that runs compiled stackmap;
    compiles the package the first time."""
    global _compiled
    if not _compiled:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "stackmap")], check=True,
                       stdout=subprocess.DEVNULL)
        _compiled = True
    env = dict(os.environ if base is None else base)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["STACKMAP_DAEMON"] = "off"  # a daemon the user started must not answer a timed run
    return env
