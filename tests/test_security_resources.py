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


def test_a_file_of_too_many_entries_is_refused_before_validation(tmp_path: Path) -> None:
    from stackmap.load.limits import Limits

    systems = "".join(f"  - {{id: s{i}, name: S{i}}}\n" for i in range(3))
    (tmp_path / "inv.yaml").write_text(
        f"systems:\n{systems}flows:\n  - {{from: s0, to: s1}}\n  - {{from: s1, to: s2}}\n", encoding="utf-8")
    with contextlib.chdir(tmp_path):
        assert len(load_inventory([Path("inv.yaml")], limits=Limits(max_entries=5)).systems) == 3
        with pytest.raises(InventoryError) as info:
            load_inventory([Path("inv.yaml")], limits=Limits(max_entries=4))
    assert [str(p) for p in info.value.problems] == [
        "inv.yaml:7:5: 5 entries (systems, flows, capabilities, data categories) in one file, over the limit "
        "of 4 (set STACKMAP_MAX_ENTRIES to raise it)"]


def test_the_entry_limit_is_set_from_the_environment(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "inv.yaml").write_text("systems:\n  - {id: a, name: A}\n  - {id: b, name: B}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "stackmap", "check", "inv.yaml", "--no-cache"], cwd=tmp_path,
                          capture_output=True, text=True, env={**os.environ, "STACKMAP_MAX_ENTRIES": "1"},
                          timeout=60)
    assert done.returncode == 1
    assert done.stdout.startswith("inv.yaml:3:5: 2 entries (systems, flows, capabilities, data categories)")


def test_too_many_entries_together_is_a_usage_error(tmp_path: Path) -> None:
    from stackmap.errors import UsageError
    from stackmap.load.limits import Limits

    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(
            "".join(["systems:\n"] + [f"  - {{id: {name}{i}, name: X}}\n" for i in range(3)]), encoding="utf-8")
    with contextlib.chdir(tmp_path):
        assert len(load_inventory([Path(".")], limits=Limits(max_total_entries=6)).systems) == 6
        with pytest.raises(UsageError, match="more than 5 entries together .*STACKMAP_MAX_TOTAL_ENTRIES"):
            load_inventory([Path(".")], limits=Limits(max_total_entries=5))


def test_a_huge_name_is_not_printed_whole_in_every_finding(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    huge = "N" * 1_000_000
    (tmp_path / "inv.yaml").write_text(
        f"systems:\n  - {{id: a, name: {huge}, owner: x, it_reviewed: true}}\n"
        "  - {id: b, name: B, owner: x, it_reviewed: true}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "stackmap", "check", "inv.yaml", "--no-cache", "--fail-on",
                           "never"], cwd=tmp_path, capture_output=True, text=True, env=os.environ, timeout=60)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if "(a) has no flow" in line or "N… (" in line)
    assert len(line) < 4_200 and "more characters)" in line


def test_import_notes_are_cut(tmp_path: Path) -> None:
    from stackmap.interop.draft import MAX_NOTE, Draft

    draft = Draft()
    draft.note("sheet.csv:2", "unknown data category " + "x" * 5_000_000)
    (note,) = draft.notes
    assert len(note) < MAX_NOTE + 40 and note.endswith(" more characters)")
