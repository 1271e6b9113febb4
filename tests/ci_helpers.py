"""Helpers for the CI-facing tests: run the real command, make real git repositories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m stackmap ARGS`` in ``cwd``, outside GitHub Actions unless ``env`` says otherwise."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "STACKMAP_"))}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "stackmap", *args], cwd=cwd, env=full,
                          capture_output=True, text=True, check=False)


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})
    return done.stdout


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
