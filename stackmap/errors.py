"""The one error family that library code raises; only the CLI turns it into output and exit codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in an inventory, reported as ``file:line:col: message``."""

    file: str
    """Path of the file, as displayed (relative to the git work tree or the current directory)."""
    line: int
    """1-based line."""
    column: int
    """1-based column."""
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class StackmapError(Exception):
    """Base of every error stackmap raises on purpose. Exit code 2 unless a subclass says otherwise."""

    exit_code = 2


class UsageError(StackmapError):
    """A bad command line, path or option."""


class ConfigError(StackmapError):
    """A bad configuration file or value."""


class ToolMissingError(StackmapError):
    """An external program (Graphviz, git) that the command needs is not available."""


class InventoryError(StackmapError):
    """The inventory is invalid: carries every problem found, across all files."""

    exit_code = 1

    def __init__(self, problems: list[Problem], files: int = 0) -> None:
        self.problems = sorted(problems)
        self.files = files
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the inventory")
