"""The baseline file: findings accepted as existing debt, identified by their stable fingerprints.

A sorted, reviewable JSON document (``.stackmap-baseline.json`` by default)::

    {
      "version": 1,
      "findings": [
        {"fingerprint": "…", "rule": "customer-data-silo", "subject": "mailchimp", "message": "…"}
      ]
    }

Only ``fingerprint`` is used for matching; the other fields are there for the reviewer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..hints import safe_text
from ..load.limits import Limits, env_name
from ..load.sources import read_regular
from .findings import Finding

BASELINE_VERSION = 1


@dataclass(frozen=True)
class Entry:
    """One accepted finding."""

    fingerprint: str
    rule: str
    subject: str
    message: str


@dataclass(frozen=True)
class Baseline:
    """The accepted findings, by fingerprint."""

    entries: tuple[Entry, ...]
    source: str = ""
    """The file it was read from, as displayed."""

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(e.fingerprint for e in self.entries)


def subject(finding: Finding) -> str:
    """What a finding is about, for a reviewer reading the baseline."""
    if finding.flow is not None:
        return f"flow {finding.flow}"
    if finding.capability is not None:
        return f"capability {finding.capability}: {', '.join(finding.systems)}"
    return ", ".join(finding.systems) or "the whole stack"


def from_findings(findings: list[Finding]) -> Baseline:
    entries = {f.fingerprint: Entry(f.fingerprint, f.rule, subject(f), f.message) for f in findings}
    return Baseline(tuple(sorted(entries.values(), key=lambda e: (e.rule, e.subject, e.fingerprint))))


def dumps(baseline: Baseline) -> str:
    """The file's text: stable key order, one entry per finding, sorted by rule and subject."""
    doc = {
        "version": BASELINE_VERSION,
        "findings": [
            {"fingerprint": e.fingerprint, "rule": e.rule, "subject": e.subject, "message": e.message}
            for e in baseline.entries
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def read(path: Path, display: str | None = None, limits: Limits | None = None) -> Baseline:
    """Read a baseline file; a :class:`ConfigError` says what is wrong with it.

    The file is bounded like an inventory file (``STACKMAP_MAX_FILE_BYTES``); too deep a nesting is an error.
    """
    shown = display or safe_text(str(path))
    limits = Limits.from_env() if limits is None else limits
    try:
        data, size = read_regular(path, limits.max_file_bytes)
    except FileNotFoundError:
        raise ConfigError(f"{shown}: no such baseline file (create it with `stackmap baseline create`)") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {exc.strerror}") from None
    if len(data) > limits.max_file_bytes:
        raise ConfigError(f"{shown}: file too large: {size:,} bytes, over the limit of "
                          f"{limits.max_file_bytes:,} (set {env_name('max_file_bytes')} to raise it)")
    try:
        doc: Any = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise ConfigError(f"{shown}: not a baseline file: nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: not a baseline file: {safe_text(str(exc))[:200]}") from None
    version = doc.get("version") if isinstance(doc, dict) else None
    if type(version) is not int or version != BASELINE_VERSION or not isinstance(doc.get("findings"), list):
        raise ConfigError(f"{shown}: not a version {BASELINE_VERSION} baseline file "
                          "(expected {\"version\": 1, \"findings\": [...]})")
    entries: list[Entry] = []
    for i, item in enumerate(doc["findings"]):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise ConfigError(f"{shown}: findings[{i}] has no fingerprint")
        entries.append(Entry(item["fingerprint"], _text(item.get("rule")), _text(item.get("subject")),
                             _text(item.get("message"))))
    return Baseline(tuple(entries), shown)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""

