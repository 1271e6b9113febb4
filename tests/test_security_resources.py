"""What hostile input can cost is bounded: did-you-mean is an index, not a scan."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from stackmap.errors import InventoryError
from stackmap.hints import Suggester, suggest
from stackmap.load.inventory import load_inventory


def test_did_you_mean_answers_20000_unknown_ids_against_20000_from_an_index() -> None:
    ids = [f"sys-{i:05d}" for i in range(20_000)]
    near = Suggester(ids)
    answers = [near(f"sys-{i:05d}x") for i in range(20_000)]
    assert answers[0] == " (did you mean 'sys-00000'?)" and answers[-1] == " (did you mean 'sys-19999'?)"
    assert [near(f"tool-{i}") for i in range(20_000)] == [""] * 20_000
    assert near._budget < len(ids)  # the scans stopped: the rest came from the index
    assert near._index is not None and len(near._index) < 11 * len(ids)


@pytest.mark.parametrize(("word", "expected"), [
    ("salesforse", " (did you mean 'salesforce'?)"),   # substitution
    ("hubspt", " (did you mean 'hubspot'?)"),           # deletion
    ("mailchimpp", " (did you mean 'mailchimp'?)"),     # insertion
    ("zendeks", " (did you mean 'zendesk'?)"),          # transposition
    ("tableau", ""),
])
def test_the_index_finds_what_a_full_scan_finds_for_typos(word: str, expected: str) -> None:
    choices = ["salesforce", "hubspot", "mailchimp", "zendesk", *(f"filler-{i:05d}" for i in range(10_000))]
    assert suggest(word, choices) == expected
    near = Suggester(choices)
    near._budget = 0  # straight to the index
    assert near(word) == expected


def test_many_dangling_flows_are_each_reported_with_a_hint(tmp_path: Path) -> None:
    n = 3_000
    lines = ["systems:", *(f"  - {{id: sys-{i:05d}, name: S}}" for i in range(n)), "flows:",
             *(f"  - {{from: sys-{i:05d}, to: sys-{i:05d}x, data: [contact]}}" for i in range(n))]
    (tmp_path / "a.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with contextlib.chdir(tmp_path), pytest.raises(InventoryError) as raised:
        load_inventory([Path("a.yaml")])
    problems = [str(p) for p in raised.value.problems]
    assert len(problems) == n
    assert problems[0] == f"a.yaml:{n + 3}:27: flows[0].to: no system has the id 'sys-00000x' (did you mean 'sys-00000'?)"
    assert problems[-1].endswith("no system has the id 'sys-02999x' (did you mean 'sys-02999'?)")
