"""Limits that keep a check bounded whatever a pull request puts in the inventory.

Every limit has a default that no real inventory comes near, and can be changed with an
environment variable (for the CLI) or by passing a :class:`Limits` to the loader (for the library).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from ..errors import ConfigError


MAX_DEPTH_CEILING = 10_000
"""The highest ``max_depth`` accepted: libyaml's composer (used to point at a problem) recurses in C."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what the loader accepts. Exceeding one is a problem naming the file (or, for the
    number of files, a usage error), never a crash or a hang."""

    max_file_bytes: int = 20_000_000
    """Largest inventory file read (bytes). A file of 50 systems is about 30 kB."""
    max_depth: int = 1_000
    """Deepest nesting of mappings and lists in one file."""
    max_alias_expansion: int = 1_000_000
    """Nodes that aliases may bring in per file, each alias counted with its whole expanded value."""
    max_files: int = 100_000
    """Most files one inventory may have (a directory walk stops past it)."""
    max_total_bytes: int = 50_000_000
    """Most bytes all the files of one inventory may hold together (about 80,000 systems written like
    the sample): with the size of one file, what bounds the time and memory of a check."""
    max_config_bytes: int = 1_000_000
    """Largest configuration or waivers file read (``.stackmap.yaml``, ``.stackmap-waivers.yaml``)."""
    max_entries: int = 100_000
    """Most entries (systems, flows, capabilities, data categories) in one file, checked right after
    parsing: validating and joining cost per entry, so this bounds a file of many tiny entries, which
    costs far more per byte than a real one (a 10,000-system stack in one file has about 55,000)."""
    max_total_entries: int = 500_000
    """Most entries in all the files of one inventory together (a 50,000-system stack with 4.5 flows a
    system has about 275,000)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """Defaults, overridden by ``STACKMAP_MAX_FILE_BYTES``, ``STACKMAP_MAX_DEPTH``,
        ``STACKMAP_MAX_ALIAS_EXPANSION``, ``STACKMAP_MAX_FILES``, ``STACKMAP_MAX_TOTAL_BYTES``, ``STACKMAP_MAX_CONFIG_BYTES``, ``STACKMAP_MAX_ENTRIES`` and
        ``STACKMAP_MAX_TOTAL_ENTRIES``."""
        env = os.environ if environ is None else environ
        values: dict[str, int] = {}
        for f in fields(cls):
            name = env_name(f.name)
            raw = env.get(name)
            if raw is None or raw.strip() == "":
                continue
            try:
                value = int(raw.strip().replace("_", ""))
            except ValueError:
                value = 0
            if value < 1:
                raise ConfigError(f"{name}={raw[:40]!r}: expected a whole number of at least 1")
            if f.name == "max_depth" and value > MAX_DEPTH_CEILING:
                raise ConfigError(f"{name}={value}: at most {MAX_DEPTH_CEILING:,} (locating a problem composes "
                                  "the file with libyaml, which recurses once per level)")
            values[f.name] = value
        return cls(**values)


def env_name(field: str) -> str:
    """The environment variable that sets a limit: ``max_depth`` → ``STACKMAP_MAX_DEPTH``."""
    return f"STACKMAP_{field.upper()}"


DEFAULT_LIMITS = Limits()
