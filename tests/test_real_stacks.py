"""Precision and recall on real-stack fixtures (tests/fixtures/stacks/): findings matched to the
answer key a reviewing architect wrote, independent of the rules. The figures are the ones
docs/rules.md reports (stackmap.analysis.docgen.MEASURED): a regression fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stackmap.analysis.docgen import MEASURED
from stackmap.analysis.engine import analyse
from stackmap.analysis.findings import Finding
from stackmap.load.inventory import load_inventory

STACKS = Path(__file__).parent / "fixtures" / "stacks"

# What problem each rule's finding states, in the answer key's vocabulary.
KINDS: dict[str, set[str]] = {
    "duplicate-capability": {"duplicate-tool"},
    "conflicting-writers": {"conflicting-sync"},
    "sync-loop": {"conflicting-sync"},
    "flow-to-retired-system": {"retired-still-connected"},
    "shadow-it": {"shadow-it", "review-gap"},
    "unowned-system": {"unowned", "shadow-it"},
    "customer-data-to-unreviewed": {"shadow-it"},
    "customer-data-unsynced": {"unsynced-data", "consent-gap"},
    "consent-not-propagated": {"consent-gap"},
    "customer-data-silo": {"silo", "unsynced-data"},
    "isolated-system": {"isolated"},
    "no-system-of-record": {"no-master"},
    "integration-hotspot": {"single-point-of-failure"},
    "point-to-point-sprawl": {"sprawl"},
    "flow-without-data": {"undocumented-flow"},
}


def matches(finding: Finding, problem: dict[str, object]) -> bool:
    kinds = set(problem["kinds"])  # type: ignore[arg-type]
    systems = set(problem["systems"])  # type: ignore[arg-type]
    if not KINDS[finding.rule] & kinds:
        return False
    return bool(set(finding.systems) & systems) if finding.systems else not systems


def score(name: str) -> tuple[int, int, int, int]:
    """(matched findings, findings, problems found, problems)."""
    findings = analyse(load_inventory([STACKS / name])).findings
    problems = yaml.safe_load((STACKS / name / "answer-key.yaml").read_text(encoding="utf-8"))["problems"]
    matched = sum(1 for f in findings if any(matches(f, p) for p in problems))
    found = sum(1 for p in problems if any(matches(f, p) for f in findings))
    return matched, len(findings), found, len(problems)


@pytest.mark.parametrize("name", sorted(MEASURED))
def test_precision_and_recall_are_as_documented(name: str) -> None:
    assert score(name) == MEASURED[name]


def test_every_fixture_is_measured() -> None:
    assert sorted(p.name for p in STACKS.iterdir() if p.is_dir()) == sorted(MEASURED)
