"""Each rule's docstring is its manual: its examples must behave as documented, and docs/rules.md
must be the generated text."""

import re
from pathlib import Path

import pytest
from helpers import findings

from stackmap.analysis.docgen import rules_markdown
from stackmap.analysis.rules import RULES

ROOT = Path(__file__).parent.parent


def _examples(doc: str) -> tuple[str, str]:
    blocks = re.findall(r"(Passes|Fails)[^\n]*:\n\n```yaml\n(.*?)```", doc, re.S)
    kinds = dict(blocks)
    assert set(kinds) == {"Passes", "Fails"}, "a rule manual needs a passing and a failing example"
    return kinds["Passes"], kinds["Fails"]


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_docstring_examples(rule_id, tmp_path):
    passing, failing = _examples(RULES[rule_id].__doc__ or "")
    assert findings(tmp_path, passing, rule_id) == []
    assert findings(tmp_path, failing, rule_id) != []


def test_rules_reference_is_current():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `make docs`"
    )


def test_registry_keys_match_ids():
    assert all(key == rule.ID for key, rule in RULES.items())
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", key) for key in RULES)
