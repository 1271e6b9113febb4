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


def read(path: Path, display: str | None = None) -> Baseline:
    """Read a baseline file; a :class:`ConfigError` says what is wrong with it."""
    shown = display or str(path)
    try:
        doc: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{shown}: no such baseline file (create it with `stackmap baseline create`)") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: not a baseline file: {exc}") from None
    if not isinstance(doc, dict) or doc.get("version") != BASELINE_VERSION or not isinstance(
        doc.get("findings"), list
    ):
        raise ConfigError(f"{shown}: not a version {BASELINE_VERSION} baseline file "
                          "(expected {\"version\": 1, \"findings\": [...]})")
    entries: list[Entry] = []
    for i, item in enumerate(doc["findings"]):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise ConfigError(f"{shown}: findings[{i}] has no fingerprint")
        entries.append(Entry(item["fingerprint"], str(item.get("rule", "")), str(item.get("subject", "")),
                             str(item.get("message", ""))))
    return Baseline(tuple(entries), shown)
