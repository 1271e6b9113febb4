"""Edge cases found in review: bounded messages, odd keys, option aliases, non-finite costs, merge keys,
argument order, folders without inventories, control characters in CI formats."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import findings, write

from stackmap.errors import InventoryError, UsageError
from stackmap.analysis.options import Options
from stackmap.load.inventory import load_inventory
from stackmap.formats.github import escape_data


def _problems(tmp: Path, text: str) -> list[str]:
    write(tmp, {"stack.yaml": text})
    with contextlib.chdir(tmp), pytest.raises(InventoryError) as err:
        load_inventory([Path("stack.yaml")])
    return [str(p) for p in err.value.problems]


def test_long_values_are_cut_in_messages(tmp_path):
    long = "v" * 5000
    problems = _problems(tmp_path, f"systems:\n  - {{id: a, name: A, data: [{long}]}}\n"
                                   f"flows:\n  - {{from: a, to: {long}}}\n")
    assert all(len(p) < 300 for p in problems), [len(p) for p in problems]
    assert problems[0].startswith("stack.yaml:2:29: systems[0].data: unknown data category 'vvv")


def test_keys_yaml_reads_as_other_types_are_unknown_fields_at_the_key(tmp_path):
    assert _problems(tmp_path, "systems:\n  - id: a\n    name: A\n    yes: 1\n    3: x\n") == [
        'stack.yaml:4:5: systems[0]: unknown field yes; YAML reads it as a boolean: quote it if it is meant: "yes"',
        'stack.yaml:5:5: systems[0]: unknown field 3; YAML reads it as a number: quote it if it is meant: "3"',
    ]


def test_non_finite_cost_is_rejected(tmp_path):
    assert _problems(tmp_path, "systems:\n  - {id: a, name: A, annual_cost: .inf}\n") == [
        "stack.yaml:2:35: systems[0].annual_cost: expected a finite number, got inf"]


def test_two_merge_keys_in_one_mapping_are_a_duplicate_key(tmp_path):
    assert _problems(tmp_path, "x-d: &d {owner: m}\nsystems:\n  - id: a\n    name: A\n    <<: *d\n"
                               "    <<: {owner: it}\n") == ["stack.yaml:6:5: duplicate key '<<'"]


def test_non_exclusive_option_resolves_aliases(tmp_path):
    text = """
        capabilities:
          - {id: social-ads, aliases: [paid-social]}
        systems:
          - {id: a, name: A, capabilities: [paid-social]}
          - {id: b, name: B, capabilities: [social-ads]}
    """
    assert len(findings(tmp_path, text, "duplicate-capability")) == 1
    assert findings(tmp_path, text, "duplicate-capability", Options(non_exclusive=("paid-social",))) == []


def test_duplicate_id_of_an_invalid_entry_is_reported_at_once(tmp_path):
    write(tmp_path, {"1.yaml": "systems:\n  - {id: a, name: A, lifecycle: dead}\n",
                     "2.yaml": "systems:\n  - {id: a, name: A2}\n"})
    with contextlib.chdir(tmp_path), pytest.raises(InventoryError) as err:
        load_inventory([Path(".")])
    assert [str(p) for p in err.value.problems] == [
        "1.yaml:2:33: systems[0].lifecycle: 'dead' is not one of planned, active, retiring, retired",
        "2.yaml:2:10: duplicate system id 'a': another entry, one with problems of its own, has it too",
    ]


def test_stack_wide_findings_do_not_depend_on_argument_order(tmp_path):
    write(tmp_path, {"a.yaml": "systems:\n  - {id: a, name: A, data: [contact]}\n",
                     "b.yaml": "systems:\n  - {id: b, name: B, data: [contact]}\n", "0-empty.yaml": ""})
    with contextlib.chdir(tmp_path):
        one = load_inventory([Path("a.yaml"), Path("b.yaml"), Path("0-empty.yaml")]).first_location
        two = load_inventory([Path("0-empty.yaml"), Path("b.yaml"), Path("a.yaml")]).first_location
    assert str(one) == str(two) == "a.yaml:1:1"


def test_a_folder_without_inventories_is_a_usage_error(tmp_path):
    write(tmp_path, {"inv/mkdocs.yml": "site_name: x\n", "inv/k8s.yaml": "apiVersion: v1\nkind: Pod\n"})
    with contextlib.chdir(tmp_path), pytest.raises(UsageError) as err:
        load_inventory([Path("inv")])
    assert str(err.value) == ("no inventory files in inv: 2 YAML files skipped as not inventories "
                              "(inv/k8s.yaml, inv/mkdocs.yml)")


def test_github_annotations_escape_control_characters():
    assert escape_data("a\x1b[31mb\x07 50%\nc") == "a\\x1b[31mb\\x07 50%25%0Ac"


def test_unwritable_step_summary_is_a_note_not_a_crash(tmp_path):
    write(tmp_path, {"stack.yaml": "systems:\n  - {id: a, name: A, owner: o, it_reviewed: true}\n"})
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(tmp_path / "missing" / "summary.md")}
    run = subprocess.run([sys.executable, "-m", "stackmap", "check", "stack.yaml", "--format", "github"],
                         cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0
    assert run.stderr.startswith("stackmap: note: cannot write the step summary ")
    assert "internal error" not in run.stderr


def test_paths_outside_the_current_directory_stay_relative_without_git(tmp_path):
    from stackmap.load.sources import display_path

    (tmp_path / "here").mkdir()
    write(tmp_path, {"shared/stack.yaml": "systems: []\n"})
    assert display_path(tmp_path / "shared" / "stack.yaml", tmp_path / "here") == "../shared/stack.yaml"


def test_excluding_every_file_says_so(tmp_path):
    write(tmp_path, {"inv/a.yaml": "systems: []\n"})
    with contextlib.chdir(tmp_path), pytest.raises(UsageError) as err:
        load_inventory([Path("inv")], exclude=("*.yaml",))
    assert str(err.value) == "no YAML files found in inv (after the exclude patterns *.yaml)"
