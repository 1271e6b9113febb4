"""Loader tests: every bad input the inventory format rejects, with its exact ``file:line:col: message``.

Each test writes small inline YAML into ``tmp_path``, loads it with :func:`load_inventory` and compares
``str(problem)`` for every problem of the :class:`InventoryError` (or the loaded :class:`Inventory`).
Paths are displayed relative to the current directory (every test runs inside ``tmp_path``) unless a
``.git`` directory makes a work tree root.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from stackmap.errors import InventoryError, UsageError
from stackmap.load.inventory import Inventory, load_inventory

BAD_ID = ("is not a valid id: use lowercase letters, digits, '.', '_' and '-', starting with a letter "
          "or digit")
TOP_LEVEL = "the top level must be a mapping with systems, flows, capabilities or data_categories"
UNKNOWN_CATEGORY = "define it under data_categories or use a built-in one"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(root: Path, name: str, text: str | bytes) -> Path:
    """Write ``text`` (dedented) or raw bytes to ``root/name``; return the path."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems(*paths: Path | str) -> list[str]:
    """The problems of an inventory that must be invalid, as ``file:line:col: message`` strings."""
    with pytest.raises(InventoryError) as info:
        load_inventory([Path(p) for p in paths])
    return [str(p) for p in info.value.problems]


def load(*paths: Path | str) -> Inventory:
    return load_inventory([Path(p) for p in paths])


def bomb(levels: int = 9, width: int = 9, prefix: str = "") -> str:
    """A "billion laughs" document: ``levels`` levels of ``width`` aliases to the level below."""
    lines = [f'{prefix}l0: &l0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"{prefix}l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


# --- Malformed YAML, top level, documents -----------------------------------------------------------


def test_malformed_yaml_unclosed_flow_sequence(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: [unclosed
        flows: []
        """)
    assert problems("inv.yaml") == ["inv.yaml:4:6: invalid YAML: did not find expected ',' or ']'"]


def test_malformed_yaml_bad_indentation(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
           name: A
        """)
    assert problems("inv.yaml") == ["inv.yaml:3:4: invalid YAML: did not find expected '-' indicator"]


def test_malformed_yaml_tab_indentation(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", "systems:\n\t- id: a\n")
    assert problems("inv.yaml") == [
        "inv.yaml:2:1: invalid YAML: found character that cannot start any token"
    ]


def test_top_level_list_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        - id: a
          name: A
        """)
    assert problems("inv.yaml") == [f"inv.yaml:1:1: {TOP_LEVEL}, not a list"]


def test_top_level_scalar_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", "hello\n")
    assert problems("inv.yaml") == [f"inv.yaml:1:1: {TOP_LEVEL}, not a single value ('hello')"]


def test_top_level_list_is_an_error_even_when_walking_a_directory(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", "- a\n- b\n")
    assert problems("inv") == [f"inv/a.yaml:1:1: {TOP_LEVEL}, not a list"]


def test_a_second_document_is_an_error_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: A
        ---
        flows: []
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:4:1: invalid YAML: a second YAML document in one file (only one is allowed)"
    ]


def test_an_empty_second_document_is_still_a_second_document(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", "---\nsystems: []\n---\n")
    assert problems("inv.yaml") == [
        "inv.yaml:3:1: invalid YAML: a second YAML document in one file (only one is allowed)"
    ]


def test_one_explicit_document_start_is_fine(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        ---
        systems:
          - id: a
            name: A
        ...
        """)
    assert list(load("inv.yaml").systems) == ["a"]


# --- Duplicate keys and merge keys ------------------------------------------------------------------


def test_duplicate_key_in_a_system(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: A
            owner: marketing
            name: B
        """)
    assert problems("inv.yaml") == ["inv.yaml:5:5: duplicate key 'name'"]


def test_duplicate_top_level_key(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: A
        systems:
          - id: b
            name: B
        """)
    assert problems("inv.yaml") == ["inv.yaml:4:1: duplicate key 'systems'"]


def test_duplicate_key_in_flow_style(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", "systems: [{id: a, name: A, id: b}]\n")
    assert problems("inv.yaml") == ["inv.yaml:1:28: duplicate key 'id'"]


def test_a_key_overriding_a_merge_key_is_not_a_duplicate(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        x-defaults: &defaults
          owner: marketing
          lifecycle: planned
          tags: [emea]
        systems:
          - <<: *defaults
            id: a
            name: A
            owner: it
          - id: b
            owner: sales
            <<: *defaults
            name: B
        """)
    inventory = load("inv.yaml")
    a, b = inventory.systems["a"], inventory.systems["b"]
    assert (a.owner, a.lifecycle, a.tags) == ("it", "planned", ["emea"])
    assert (b.owner, b.lifecycle, b.tags) == ("sales", "planned", ["emea"])


def test_a_literal_key_twice_is_a_duplicate_even_next_to_a_merge(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        x-defaults: &defaults
          owner: marketing
        systems:
          - <<: *defaults
            id: a
            name: A
            owner: it
            owner: sales
        """)
    assert problems("inv.yaml") == ["inv.yaml:8:5: duplicate key 'owner'"]


def test_merge_of_a_list_of_mappings_earlier_wins(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        x-team: &team {owner: marketing}
        x-base: &base {owner: it, vendor: Acme}
        systems:
          - <<: [*team, *base]
            id: a
            name: A
        """)
    a = load("inv.yaml").systems["a"]
    assert (a.owner, a.vendor) == ("marketing", "Acme")


def test_merge_key_of_a_scalar_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - <<: 5
            id: a
            name: A
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:2:9: a merge key (<<) takes a mapping or a list of mappings"
    ]


# --- Unknown fields ---------------------------------------------------------------------------------


def test_unknown_system_field_with_did_you_mean(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: A
            capabilites: [crm]
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:4:5: systems[0].capabilites: unknown field 'capabilites' (did you mean 'capabilities'?)"
    ]


def test_unknown_field_without_a_close_match(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: A
            colour: blue
        """)
    assert problems("inv.yaml") == ["inv.yaml:4:5: systems[0].colour: unknown field 'colour'"]


def test_unknown_flow_field_also_reports_the_missing_one(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: A
          - id: b
            name: B
        flows:
          - form: a
            to: b
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:7:5: flows[0].form: unknown field 'form' (did you mean 'from'?)",
        "inv.yaml:7:5: flows[0]: missing required field 'from'",
    ]


def test_unknown_fields_in_definitions(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        capabilities:
          - id: crm
            alias: [customer-db]
        data_categories:
          - id: loyalty
            custmer: false
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:3:5: capabilities[0].alias: unknown field 'alias' (did you mean 'aliases'?)",
        "inv.yaml:6:5: data_categories[0].custmer: unknown field 'custmer' (did you mean 'customer'?)",
    ]


def test_unknown_top_level_key_with_did_you_mean(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        sytems:
          - id: a
            name: A
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:1:1: sytems: unknown field 'sytems' (did you mean 'systems'?)"
    ]


def test_a_top_level_key_close_to_an_inventory_key_is_not_skipped_by_a_walk(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", """
        systems:
          - id: a
            name: A
        """)
    write(tmp_path, "inv/b.yaml", """
        # a typo must not make the whole file disappear
        sytems:
          - id: b
            name: B
        """)
    assert problems("inv") == [
        "inv/b.yaml:2:1: sytems: unknown field 'sytems' (did you mean 'systems'?)"
    ]


def test_non_string_top_level_key(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", "systems: []\n1: x\n")
    assert problems("inv.yaml") == [
        'inv.yaml:2:1: file: unknown field 1; YAML reads it as a number: quote it if it is meant: "1"']


def test_collection_as_a_mapping_key(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", "systems: []\n? [a, b]\n: x\n")
    assert problems("inv.yaml") == ["inv.yaml:2:3: a mapping key must be a plain value"]


# --- Wrong types and bad enum values ----------------------------------------------------------------


def test_wrong_types_and_bad_enum_values(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: A
            lifecycle: activ
            annual_cost: -5
            capabilities: crm
          - id: b
            name: B
            lifecycle: dead
            annual_cost: lots
            roles: {system-of-record: true}
        flows:
          - from: a
            to: b
            mechanism: carrier-pigeon
            data: [lead]
          - from: b
            to: a
            mechanism: webhooks
            data: lead
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:4:16: systems[0].lifecycle: 'activ' is not one of planned, active, retiring, retired "
        "(did you mean 'active'?)",
        "inv.yaml:5:18: systems[0].annual_cost: must be 0 or more, got -5",
        "inv.yaml:6:19: systems[0].capabilities: expected a list, got 'crm'",
        "inv.yaml:9:16: systems[1].lifecycle: 'dead' is not one of planned, active, retiring, retired",
        "inv.yaml:10:18: systems[1].annual_cost: expected a number, got 'lots'",
        "inv.yaml:11:12: systems[1].roles: expected a list, got a mapping",
        "inv.yaml:15:16: flows[0].mechanism: 'carrier-pigeon' is not one of api, batch, file, stream, "
        "webhook, ipaas, manual",
        "inv.yaml:19:16: flows[1].mechanism: 'webhooks' is not one of api, batch, file, stream, webhook, "
        "ipaas, manual (did you mean 'webhook'?)",
        "inv.yaml:20:11: flows[1].data: expected a list, got 'lead'",
    ]


def test_wrong_section_and_entry_shapes(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          a: {name: A}
        flows:
          - just a string
          - 5
          - null
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:2:3: systems: expected a list, got a mapping",
        "inv.yaml:4:5: flows[0]: expected a mapping, got 'just a string'",
        "inv.yaml:5:5: flows[1]: expected a mapping, got 5",
        "inv.yaml:6:5: flows[2]: expected a mapping, got null",
    ]


def test_wrong_types_in_definitions(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        capabilities:
          - id: paid-social
            exclusive: "no"
        data_categories:
          - id: loyalty
            customer: 1
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:3:16: capabilities[0].exclusive: expected true or false, got 'no'",
        "inv.yaml:6:15: data_categories[0].customer: expected true or false, got 1",
    ]


def test_empty_values(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: ''
          - id: b
            name:
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:3:11: systems[0].name: must not be empty",
        "inv.yaml:5:10: systems[1].name: is empty; give it a value",
    ]


def test_a_bad_value_reports_the_right_line_in_a_long_file(tmp_path: Path) -> None:
    entries = "".join(f"  - id: s{i}\n    name: System {i}\n" for i in range(50))
    write(tmp_path, "inv.yaml", "systems:\n" + entries + "  - id: last\n    name: Last\n    annual_cost: x\n")
    assert problems("inv.yaml") == ["inv.yaml:104:18: systems[50].annual_cost: expected a number, got 'x'"]


# --- Required fields and ids ------------------------------------------------------------------------


def test_missing_id_and_name(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
          - name: B
          - vendor: Acme
        capabilities:
          - name: CRM
        data_categories:
          - customer: false
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:2:5: systems[0]: missing required field 'name'",
        "inv.yaml:3:5: systems[1]: missing required field 'id'",
        "inv.yaml:4:5: systems[2]: missing required field 'id'",
        "inv.yaml:4:5: systems[2]: missing required field 'name'",
        "inv.yaml:6:5: capabilities[0]: missing required field 'id'",
        "inv.yaml:8:5: data_categories[0]: missing required field 'id'",
    ]


def test_ids_that_break_the_pattern(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: Marketo CRM
            name: A
            capabilities: [CRM, email]
          - id: -dash
            name: B
          - id: ''
            name: C
        flows:
          - id: Sync
            from: a
            to: b
        capabilities:
          - id: Email_Marketing
            aliases: [e mail]
        data_categories:
          - id: Loyalty
        """)
    assert problems("inv.yaml") == [
        f"inv.yaml:2:9: systems[0].id: 'Marketo CRM' {BAD_ID}",
        f"inv.yaml:4:20: systems[0].capabilities[0]: 'CRM' {BAD_ID}",
        f"inv.yaml:5:9: systems[1].id: '-dash' {BAD_ID}",
        f"inv.yaml:7:9: systems[2].id: '' {BAD_ID}",
        f"inv.yaml:10:9: flows[0].id: 'Sync' {BAD_ID}",
        "inv.yaml:11:11: flows[0].from: no system has the id 'a'",  # the invalid flow's ends still count
        "inv.yaml:12:9: flows[0].to: no system has the id 'b'",
        f"inv.yaml:14:9: capabilities[0].id: 'Email_Marketing' {BAD_ID}",
        f"inv.yaml:15:15: capabilities[0].aliases[0]: 'e mail' {BAD_ID}",
        f"inv.yaml:17:9: data_categories[0].id: 'Loyalty' {BAD_ID}",
    ]


def test_a_long_bad_id_is_cut_in_the_message(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", f"systems:\n  - id: {'X' * 500}\n    name: A\n")
    assert problems("inv.yaml") == [f"inv.yaml:2:9: systems[0].id: '{'X' * 59}…' {BAD_ID}"]


def test_valid_id_characters(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: 0-ga4.web_analytics
            name: A
        """)
    assert list(load("inv.yaml").systems) == ["0-ga4.web_analytics"]


def test_duplicate_system_ids_across_two_files_name_both_places(tmp_path: Path) -> None:
    write(tmp_path, "inv/marketing.yaml", """
        systems:
          - id: marketo
            name: Marketo
        """)
    write(tmp_path, "inv/sales.yaml", """
        systems:
          - id: salesforce
            name: Salesforce
          - id: marketo
            name: Marketo again
        """)
    assert problems("inv") == [
        "inv/sales.yaml:4:9: duplicate system id 'marketo': first defined at inv/marketing.yaml:2:5"
    ]


def test_duplicate_system_ids_in_one_file(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - {id: a, name: A}
          - {id: a, name: B}
        """)
    assert problems("inv.yaml") == ["inv.yaml:3:10: duplicate system id 'a': first defined at inv.yaml:2:5"]


# --- References -------------------------------------------------------------------------------------


def test_flow_endpoint_naming_no_system(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: marketo
            name: Marketo
          - id: salesforce
            name: Salesforce
        flows:
          - from: marketo
            to: salesfroce
            data: [lead]
          - from: nothing
            to: marketo
            data: [lead]
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:8:9: flows[0].to: no system has the id 'salesfroce' (did you mean 'salesforce'?)",
        "inv.yaml:10:11: flows[1].from: no system has the id 'nothing'",
    ]


def test_flow_endpoint_may_name_a_system_in_another_file(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", """
        systems:
          - id: a
            name: A
        flows:
          - from: a
            to: b
            data: [lead]
        """)
    write(tmp_path, "inv/b.yaml", """
        systems:
          - id: b
            name: B
        """)
    inventory = load("inv")
    assert [(f.from_, f.to, f.data) for f in inventory.flows] == [("a", "b", ["lead"])]
    assert inventory.files == ["inv/a.yaml", "inv/b.yaml"]


def test_a_reference_to_an_invalid_system_is_not_reported_twice(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: A
            lifecycle: gone
          - id: b
            name: B
        flows:
          - from: a
            to: b
            data: [lead]
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:4:16: systems[0].lifecycle: 'gone' is not one of planned, active, retiring, retired"
    ]


def test_undefined_data_categories(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: A
            data: [contacts, loyalty-points]
          - id: b
            name: B
        flows:
          - from: a
            to: b
            data: [lead, leads]
        """)
    assert problems("inv.yaml") == [
        f"inv.yaml:4:12: systems[0].data: unknown data category 'contacts' (did you mean 'contact'?); "
        f"{UNKNOWN_CATEGORY}",
        f"inv.yaml:4:22: systems[0].data: unknown data category 'loyalty-points'; {UNKNOWN_CATEGORY}",
        f"inv.yaml:10:18: flows[0].data: unknown data category 'leads' (did you mean 'lead'?); "
        f"{UNKNOWN_CATEGORY}",
    ]


def test_data_categories_defined_in_another_file_and_builtins_redefined(tmp_path: Path) -> None:
    write(tmp_path, "inv/definitions.yaml", """
        data_categories:
          - id: loyalty-points
            name: Loyalty points
          - id: behavioral
            customer: false
        """)
    write(tmp_path, "inv/systems.yaml", """
        systems:
          - id: a
            name: A
            data: [loyalty-points, behavioral]
        """)
    inventory = load("inv")
    assert inventory.data_categories["loyalty-points"] is True
    assert inventory.data_categories["behavioral"] is False
    assert inventory.data_categories["contact"] is True
    assert inventory.customer_data(["behavioral", "loyalty-points", "content"]) == ["loyalty-points"]


# --- Encoding ---------------------------------------------------------------------------------------


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", b"systems:\n  - id: cafe\n    name: Caf\xe9 Wifi\n")
    assert problems("inv.yaml") == [
        "inv.yaml:3:14: not UTF-8: byte 0xe9 cannot be decoded (save the file as UTF-8)"
    ]


def test_utf16_is_not_utf8(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", "systems: []\n".encode("utf-16"))
    assert problems("inv.yaml") == [
        "inv.yaml:1:1: not UTF-8: byte 0xff cannot be decoded (save the file as UTF-8)"
    ]


def test_utf8_with_a_byte_order_mark_and_non_ascii_text(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", "\ufeffsystems:\n  - id: cafe\n    name: Café Ünïcødé\n".encode())
    assert load("inv.yaml").systems["cafe"].name == "Café Ünïcødé"


def test_control_characters_are_reported_at_their_place(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", "systems:\n  - id: a\n    name: Café ü\x07\n")
    assert problems("inv.yaml") == [
        "inv.yaml:3:17: invalid YAML: unacceptable character #x0007: control characters are not allowed"
    ]


# --- YAML 1.1 surprises -----------------------------------------------------------------------------


def test_yaml11_octal_looking_id_must_be_quoted(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: 0123
            name: A
        """)
    assert problems("inv.yaml") == [
        'inv.yaml:2:9: systems[0].id: expected a string, but YAML reads 0123 as a number; quote it: "0123"'
    ]


def test_yaml11_no_in_a_string_list_must_be_quoted(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: A
            tags: [emea, no]
        """)
    assert problems("inv.yaml") == [
        'inv.yaml:4:18: systems[0].tags[1]: expected a string, but YAML reads no as a boolean; '
        'quote it: "no"'
    ]


def test_yaml11_quoted_yes_is_not_a_boolean(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: A
            it_reviewed: "yes"
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:4:18: systems[0].it_reviewed: expected true or false, got 'yes'"
    ]


def test_yaml11_surprises_in_names_and_free_text(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: yes
            vendor: 1.5
          - id: b
            name: 2024-01-01
        flows:
          - from: a
            to: b
            frequency: 12:30
            data: [on]
        """)
    assert problems("inv.yaml") == [
        'inv.yaml:3:11: systems[0].name: expected a string, but YAML reads yes as a boolean; quote it: "yes"',
        'inv.yaml:4:13: systems[0].vendor: expected a string, but YAML reads 1.5 as a number; '
        'quote it: "1.5"',
        'inv.yaml:6:11: systems[1].name: expected a string, but YAML reads 2024-01-01 as a date; '
        'quote it: "2024-01-01"',
        'inv.yaml:10:16: flows[0].frequency: expected a string, but YAML reads 12:30 as a number; '
        'quote it: "12:30"',
        'inv.yaml:11:12: flows[0].data[0]: expected a string, but YAML reads on as a boolean; quote it: "on"',
    ]


def test_numbers_and_booleans_are_strict(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: a
            name: A
            annual_cost: "1000"
            it_reviewed: 1
          - id: b
            name: B
            annual_cost: true
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:4:18: systems[0].annual_cost: expected a number, got '1000'",
        "inv.yaml:5:18: systems[0].it_reviewed: expected true or false, got 1",
        "inv.yaml:8:18: systems[1].annual_cost: expected a number, got true",
    ]


def test_quoted_yaml11_values_and_real_booleans_are_accepted(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - id: "0123"
            name: "yes"
            tags: ["no", 'on']
            it_reviewed: false
            annual_cost: 1_000.50
        """)
    system = load("inv.yaml").systems["0123"]
    assert (system.name, system.tags, system.it_reviewed, system.annual_cost) == (
        "yes", ["no", "on"], False, 1000.5)


def test_values_that_their_yaml_type_cannot_hold(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", """
        systems:
          - id: a
            name: A
            description: 2024-02-30
        """)
    write(tmp_path, "b.yaml", f"systems:\n  - id: b\n    name: B\n    annual_cost: 1{'0' * 5000}\n")
    write(tmp_path, "c.yaml", "systems:\n  - id: c\n    name: !!int abc\n")
    write(tmp_path, "d.yaml", "systems: !!map [a]\n")
    assert problems("a.yaml", "b.yaml", "c.yaml", "d.yaml") == [
        "a.yaml:4:18: invalid YAML: cannot read '2024-02-30' as a date",
        f"b.yaml:4:18: invalid YAML: cannot read '1{'0' * 58}…' as an integer",
        "c.yaml:3:11: invalid YAML: cannot read 'abc' as an integer",
        "d.yaml:1:10: invalid YAML: !!map on a value that is not a mapping",
    ]


def test_python_tags_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", "systems: !!python/object/apply:os.system [echo hi]\n")
    assert problems("inv.yaml") == [
        "inv.yaml:1:10: invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"
    ]


# --- Alias bombs, recursion, nesting ----------------------------------------------------------------


def test_alias_bomb_is_rejected_quickly(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", bomb() + "systems: []\n")
    start = time.monotonic()
    found = problems("inv.yaml")
    assert time.monotonic() - start < 5
    assert found == ["inv.yaml:7:5: aliases expand to more than 1,000,000 nodes (an alias bomb?)"]


def test_alias_bomb_under_an_x_key_referenced_from_a_real_field(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", bomb(prefix="x-") + "systems:\n  - id: a\n    name: A\n    tags: *l9\n")
    start = time.monotonic()
    found = problems("inv.yaml")
    assert time.monotonic() - start < 5
    assert found == ["inv.yaml:9:7: aliases expand to more than 1,000,000 nodes (an alias bomb?)"]


def test_alias_bomb_in_a_string_field_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", bomb(prefix="x-") + "systems:\n  - id: a\n    name: *l9\n")
    start = time.monotonic()
    found = problems("inv.yaml")
    assert time.monotonic() - start < 5
    assert found == ["inv.yaml:9:7: aliases expand to more than 1,000,000 nodes (an alias bomb?)"]


def test_alias_bomb_merged_into_a_system_is_rejected(tmp_path: Path) -> None:
    text = bomb(prefix="x-") + "x-big: &big {tags: *l9}\nsystems:\n  - <<: *big\n    id: a\n    name: A\n"
    write(tmp_path, "inv.yaml", text)
    start = time.monotonic()
    found = problems("inv.yaml")
    assert time.monotonic() - start < 5
    assert found == ["inv.yaml:11:8: aliases expand to more than 1,000,000 nodes (an alias bomb?)"]


def test_unused_alias_bomb_under_an_x_key_is_ignored(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", bomb(prefix="x-") + "systems:\n  - id: a\n    name: A\n")
    start = time.monotonic()
    inventory = load("inv.yaml")
    assert time.monotonic() - start < 5
    assert list(inventory.systems) == ["a"]


def test_a_small_alias_expansion_that_is_wrong_reports_bounded_messages(tmp_path: Path) -> None:
    # 3 levels of 3: within the budget, so validation runs and says each entry is a list.
    write(tmp_path, "inv.yaml", bomb(3, 3, prefix="x-") + "systems:\n  - id: a\n    name: *l3\n")
    assert problems("inv.yaml") == ["inv.yaml:4:7: systems[0].name: expected a string, got a list"]


def test_recursive_alias_under_an_x_key_referenced_from_a_real_field(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        x-loop: &loop [a, *loop]
        systems:
          - id: a
            name: A
            tags: *loop
        """)
    assert problems("inv.yaml") == ["inv.yaml:1:9: recursive alias: a node contains itself"]


def test_recursive_alias_in_a_real_section(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems: &systems
          - id: a
            name: A
            tags: *systems
        """)
    assert problems("inv.yaml") == ["inv.yaml:1:10: recursive alias: a node contains itself"]


def test_recursive_merge_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        systems:
          - &a
            id: a
            name: A
            <<: *a
        """)
    assert problems("inv.yaml") == ["inv.yaml:2:5: recursive alias: a node contains itself"]


def test_unused_recursive_alias_under_an_x_key_is_ignored(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        x-loop: &loop
          again: *loop
        systems:
          - id: a
            name: A
        """)
    assert list(load("inv.yaml").systems) == ["a"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("systems: " + "[" * 50_000 + "]" * 50_000 + "\n",
         "inv.yaml:1:1009: nested more than 1,000 levels deep"),
        ("x-deep: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n",
         "inv.yaml:1:4005: nested more than 1,000 levels deep"),
        ("systems:\n" + "- " * 50_000 + "a\n", "inv.yaml:2:1999: nested more than 1,000 levels deep"),
    ],
    ids=["flow-sequences", "flow-mappings-under-x-key", "compact-block-sequences"],
)
def test_absurd_nesting_is_rejected_without_crashing(tmp_path: Path, text: str, expected: str) -> None:
    # libyaml's composer recurses in C: without a bound this overflows the stack (a segfault).
    write(tmp_path, "inv.yaml", text)
    assert problems("inv.yaml") == [expected]


def test_moderate_nesting_is_fine(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", "x-deep: " + "[" * 900 + "]" * 900 + "\nsystems: [{id: a, name: A}]\n")
    assert list(load("inv.yaml").systems) == ["a"]


# --- Standard YAML and extension keys ---------------------------------------------------------------


def test_anchors_aliases_merge_keys_flow_style_and_comments(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        # Shared defaults live under x- keys.
        x-marketing: &marketing
          owner: marketing
          it_reviewed: true
        x-customer-data: &customer [contact, lead]   # a reusable list

        systems:
          - <<: *marketing
            id: marketo
            name: Marketo
            data: *customer
            capabilities: [marketing-automation, email]
          - {id: salesforce, name: Salesforce, data: *customer,
             roles: [system-of-record], annual_cost: 1.5e+5}
          - &zendesk
            id: zendesk
            name: Zendesk
        flows: [{from: marketo, to: salesforce, data: *customer, mechanism: api}]
        capabilities: [{id: email-marketing, aliases: [email], exclusive: false}]
        """)
    inventory = load("inv.yaml")
    assert list(inventory.systems) == ["marketo", "salesforce", "zendesk"]
    marketo = inventory.systems["marketo"]
    assert (marketo.owner, marketo.it_reviewed, marketo.data) == ("marketing", True, ["contact", "lead"])
    assert inventory.capabilities_of(marketo) == ("marketing-automation", "email-marketing")
    salesforce = inventory.systems["salesforce"]
    assert (salesforce.roles, salesforce.annual_cost, salesforce.owner) == (
        ["system-of-record"], 150000.0, None)
    assert [(f.from_, f.to, f.mechanism, f.data) for f in inventory.flows] == [
        ("marketo", "salesforce", "api", ["contact", "lead"])
    ]
    assert inventory.capabilities["email-marketing"].exclusive is False
    assert inventory.system_locations["salesforce"].line == 13


def test_x_keys_are_ignored_anywhere(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        x-top: {anything: [1, 2, {deep: true}]}
        systems:
          - id: a
            name: A
            x-notes: 5
            x-owner-history: [marketing, it]
          - id: b
            name: B
        flows:
          - from: a
            to: b
            data: [lead]
            x-ticket: JIRA-1
        capabilities:
          - id: crm
            x-comment: ours
        data_categories:
          - id: loyalty
            x-since: 2024-01-01
        """)
    inventory = load("inv.yaml")
    assert list(inventory.systems) == ["a", "b"]
    assert inventory.systems["a"].model_dump(exclude_defaults=True) == {"id": "a", "name": "A"}
    assert len(inventory.flows) == 1
    assert list(inventory.capabilities) == ["crm"]
    assert inventory.data_categories["loyalty"] is True


def test_a_file_with_only_x_keys_is_not_an_inventory_when_walked(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", "systems:\n  - id: a\n    name: A\n")
    write(tmp_path, "inv/shared.yaml", "x-defaults: &d {owner: it}\n")
    inventory = load("inv")
    assert inventory.files == ["inv/a.yaml"]
    assert inventory.skipped == ["inv/shared.yaml"]


# --- Files, directories and display paths -----------------------------------------------------------


def test_an_empty_file_contributes_nothing(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", "systems:\n  - id: a\n    name: A\n")
    write(tmp_path, "inv/empty.yaml", "")
    write(tmp_path, "inv/comments.yaml", "# nothing here yet\n---\n")
    inventory = load("inv")
    assert list(inventory.systems) == ["a"]
    assert inventory.files == ["inv/a.yaml", "inv/comments.yaml", "inv/empty.yaml"]
    assert inventory.skipped == []


def test_an_explicit_empty_file_is_a_valid_empty_inventory(tmp_path: Path) -> None:
    write(tmp_path, "empty.yaml", "")
    inventory = load("empty.yaml")
    assert (inventory.systems, inventory.flows, inventory.files) == ({}, [], ["empty.yaml"])


def test_empty_sections_are_fine(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", "systems:\nflows: []\ncapabilities: ~\n")
    inventory = load("inv.yaml")
    assert (inventory.systems, inventory.flows, inventory.files) == ({}, [], ["inv.yaml"])


def test_directory_walk_skips_hidden_and_non_inventory_files(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", "systems:\n  - id: a\n    name: A\n")
    write(tmp_path, "inv/team/b.yml", "systems:\n  - id: b\n    name: B\n")
    write(tmp_path, "inv/.hidden.yaml", "this: [is not even valid\n")
    write(tmp_path, "inv/.github/workflows/ci.yaml", "on: [push\n")
    write(tmp_path, "inv/notes.txt", "systems: [\n")
    write(tmp_path, "inv/mkdocs.yml", "site_name: Our stack\nnav:\n  - index.md\n")
    write(tmp_path, "inv/tools/action.yml", "name: Check\nruns:\n  using: composite\n")
    inventory = load("inv")
    assert list(inventory.systems) == ["a", "b"]
    assert inventory.files == ["inv/a.yaml", "inv/team/b.yml"]
    assert inventory.skipped == ["inv/mkdocs.yml", "inv/tools/action.yml"]


def test_directory_walk_is_sorted_by_relative_path(tmp_path: Path) -> None:
    for name in ("z.yaml", "a/b.yaml", "a.yml", "m/n/o.yaml"):
        write(tmp_path, f"inv/{name}", f"systems:\n  - id: s-{name.replace('/', '-')}\n    name: S\n")
    assert load("inv").files == ["inv/a.yml", "inv/a/b.yaml", "inv/m/n/o.yaml", "inv/z.yaml"]


def test_an_explicitly_named_non_inventory_file_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "mkdocs.yml", "site_name: Our stack\n")
    assert problems("mkdocs.yml") == ["mkdocs.yml:1:1: site_name: unknown field 'site_name'"]


def test_an_explicit_file_is_strict_even_if_a_walked_directory_holds_it(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", "systems:\n  - id: a\n    name: A\n")
    write(tmp_path, "inv/mkdocs.yml", "site_name: Our stack\n")
    assert problems("inv", "inv/mkdocs.yml") == ["inv/mkdocs.yml:1:1: site_name: unknown field 'site_name'"]
    assert problems("inv/mkdocs.yml", "inv") == ["inv/mkdocs.yml:1:1: site_name: unknown field 'site_name'"]


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", "systems:\n  - id: a\n    name: A\n")
    assert load("inv", "inv/a.yaml", "./inv/a.yaml").files == ["inv/a.yaml"]


def test_missing_path_and_empty_directory_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match=r"^nope\.yaml: no such file or directory$"):
        load("nope.yaml")
    with pytest.raises(UsageError, match=r"^no YAML files found in empty$"):
        load("empty")


def test_paths_are_relative_to_the_git_work_tree_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    write(tmp_path, "repo/stack/team/a.yaml", "systems: [\n")
    monkeypatch.chdir(tmp_path / "repo" / "stack" / "team")
    expected = ["stack/team/a.yaml:2:1: invalid YAML: did not find expected node content"]
    assert problems("a.yaml") == expected
    assert problems(".") == expected
    assert problems(tmp_path / "repo" / "stack") == expected
    monkeypatch.chdir(tmp_path)
    assert problems("repo/stack") == expected


def test_paths_through_dot_dot_are_normalised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    write(tmp_path, "repo/stack/a.yaml", "systems: [\n")
    (tmp_path / "repo" / "stack" / "team").mkdir()
    monkeypatch.chdir(tmp_path / "repo" / "stack" / "team")
    assert problems("../a.yaml") == ["stack/a.yaml:2:1: invalid YAML: did not find expected node content"]


def test_paths_are_relative_to_the_current_directory_outside_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "work/stack/team/a.yaml", "systems: [\n")
    monkeypatch.chdir(tmp_path / "work")
    assert problems("stack") == ["stack/team/a.yaml:2:1: invalid YAML: did not find expected node content"]
    monkeypatch.chdir(tmp_path / "work" / "stack")
    assert problems(tmp_path / "work" / "stack" / "team") == [
        "team/a.yaml:2:1: invalid YAML: did not find expected node content"
    ]


# --- Definitions ------------------------------------------------------------------------------------


def test_capability_and_data_category_defined_twice_across_files(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", """
        capabilities:
          - id: crm
            aliases: [customer-db]
        data_categories:
          - id: loyalty
        """)
    write(tmp_path, "inv/b.yaml", """
        capabilities:
          - id: email-marketing
          - id: crm
            name: CRM
        data_categories:
          - id: loyalty
            customer: false
        """)
    assert problems("inv") == [
        "inv/b.yaml:3:9: duplicate capability 'crm': first defined at inv/a.yaml:2:5",
        "inv/b.yaml:6:9: duplicate data category 'loyalty': first defined at inv/a.yaml:5:5",
    ]


def test_alias_equal_to_another_capability_or_another_alias(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        capabilities:
          - id: email-marketing
            aliases: [email, crm, email-marketing]
          - id: crm
            aliases: [customer-db]
          - id: newsletters
            aliases: [email, customer-db, news]
        """)
    assert problems("inv.yaml") == [
        "inv.yaml:3:22: alias 'crm' of capability 'email-marketing' is itself a capability, "
        "defined at inv.yaml:4:5",
        "inv.yaml:7:15: alias 'email' of capability 'newsletters' is already an alias of "
        "'email-marketing' at inv.yaml:2:5",
        "inv.yaml:7:22: alias 'customer-db' of capability 'newsletters' is already an alias of "
        "'crm' at inv.yaml:4:5",
    ]


def test_alias_clash_across_files(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", "capabilities:\n  - id: email-marketing\n    aliases: [email]\n")
    write(tmp_path, "inv/b.yaml", "capabilities:\n  - id: email\n")
    assert problems("inv") == [
        "inv/a.yaml:3:15: alias 'email' of capability 'email-marketing' is itself a capability, "
        "defined at inv/b.yaml:2:5"
    ]


def test_a_system_listing_a_capability_and_its_alias_has_it_once(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", """
        capabilities:
          - id: email-marketing
            aliases: [email, email-campaigns]
        systems:
          - id: a
            name: A
            capabilities: [email, crm, email-marketing, email-campaigns, crm]
        """)
    inventory = load("inv.yaml")
    assert inventory.capabilities_of(inventory.systems["a"]) == ("email-marketing", "crm")
    assert inventory.aliases == {"email": "email-marketing", "email-campaigns": "email-marketing"}


# --- Flows ------------------------------------------------------------------------------------------

FLOW_SYSTEMS = """
systems:
  - id: a
    name: A
  - id: b
    name: B
"""


def test_flow_identity_duplicates(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", FLOW_SYSTEMS + textwrap.dedent("""
        flows:
          - from: a
            to: b
            mechanism: api
            data: [lead, contact]
          - from: a
            to: b
            mechanism: api
            data: [contact, lead, contact]
          - from: a
            to: b
            mechanism: batch
            data: [contact, lead]
          - from: b
            to: a
            mechanism: api
            data: [contact, lead]
        """))
    assert problems("inv.yaml") == [
        "inv.yaml:12:5: duplicate flow a → b (api: contact, lead): the same flow is at inv.yaml:8:5 "
        "(give one of them an `id` if both are meant)"
    ]


def test_flow_identity_duplicates_across_files(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", FLOW_SYSTEMS + "flows:\n  - {from: a, to: b}\n")
    write(tmp_path, "inv/b.yaml", "flows:\n  - from: a\n    to: b\n")
    assert problems("inv") == [
        "inv/b.yaml:2:5: duplicate flow a → b: the same flow is at inv/a.yaml:7:5 "
        "(give one of them an `id` if both are meant)"
    ]


def test_flows_with_ids_may_share_endpoints_but_ids_are_unique(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", FLOW_SYSTEMS + textwrap.dedent("""
        flows:
          - id: nightly
            from: a
            to: b
            data: [lead]
          - id: realtime
            from: a
            to: b
            data: [lead]
          - id: nightly
            from: b
            to: a
        """))
    assert problems("inv.yaml") == [
        "inv.yaml:16:5: duplicate flow id 'nightly': the same flow is at inv.yaml:8:5"
    ]


def test_parallel_flows_with_different_identities_are_all_kept(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", FLOW_SYSTEMS + textwrap.dedent("""
        flows:
          - {from: a, to: b, data: [lead]}
          - {from: a, to: b, data: [lead], mechanism: api}
          - {id: second, from: a, to: b, data: [lead]}
          - {from: b, to: a, data: [lead]}
        """))
    inventory = load("inv.yaml")
    assert sorted(inventory.flow_locations) == ["a->b::lead", "a->b:api:lead", "b->a::lead", "second"]
    assert len(inventory.flows) == 4


def test_a_flow_from_a_system_to_itself(tmp_path: Path) -> None:
    write(tmp_path, "inv.yaml", FLOW_SYSTEMS + textwrap.dedent("""
        flows:
          - from: a
            to: a
            data: [lead]
        """))
    assert problems("inv.yaml") == ["inv.yaml:9:9: flows[0]: a flow from 'a' to itself"]


# --- Everything at once -----------------------------------------------------------------------------


def test_every_problem_across_several_bad_files_is_reported_at_once(tmp_path: Path) -> None:
    write(tmp_path, "inv/1-broken.yaml", "systems: [\n")
    write(tmp_path, "inv/2-list.yaml", "- a\n")
    write(tmp_path, "inv/3-latin1.yaml", b"systems:\n  - id: caf\xe9\n")
    write(tmp_path, "inv/4-systems.yaml", """
        systems:
          - id: crm
            name: CRM
            data: [contacts]
          - id: erp
            nmae: ERP
          - id: crm
            name: CRM again
        """)
    write(tmp_path, "inv/5-flows.yaml", """
        flows:
          - from: crm
            to: crmm
            data: [lead]
          - from: erp
            to: crm
            data: [lead]
          - from: crm
            to: crm
        """)
    write(tmp_path, "inv/6-dupkey.yaml", "capabilities:\n  - id: crm\n    id: crm2\n")
    assert problems("inv") == [
        "inv/1-broken.yaml:2:1: invalid YAML: did not find expected node content",
        f"inv/2-list.yaml:1:1: {TOP_LEVEL}, not a list",
        "inv/3-latin1.yaml:2:12: not UTF-8: byte 0xe9 cannot be decoded (save the file as UTF-8)",
        f"inv/4-systems.yaml:4:12: systems[0].data: unknown data category 'contacts' "
        f"(did you mean 'contact'?); {UNKNOWN_CATEGORY}",
        "inv/4-systems.yaml:5:5: systems[1]: missing required field 'name'",
        "inv/4-systems.yaml:6:5: systems[1].nmae: unknown field 'nmae' (did you mean 'name'?)",
        "inv/4-systems.yaml:7:9: duplicate system id 'crm': first defined at inv/4-systems.yaml:2:5",
        "inv/5-flows.yaml:3:9: flows[0].to: no system has the id 'crmm' (did you mean 'crm'?) (it may be "
        "defined in inv/1-broken.yaml, inv/2-list.yaml, inv/3-latin1.yaml, which could not be read)",
        "inv/5-flows.yaml:9:9: flows[2]: a flow from 'crm' to itself",
        "inv/6-dupkey.yaml:3:5: duplicate key 'id'",
    ]


def test_inventory_error_counts_files_and_problems(tmp_path: Path) -> None:
    write(tmp_path, "inv/a.yaml", "systems: [\n")
    write(tmp_path, "inv/b.yaml", "- a\n")
    write(tmp_path, "inv/c.yaml", "systems:\n  - id: c\n    name: C\n")
    with pytest.raises(InventoryError) as info:
        load("inv")
    assert (str(info.value), info.value.files) == ("2 problems in the inventory", 3)


def test_every_error_in_one_pass_across_entries_and_files(tmp_path):
    """A bad mechanism does not hide a dangling `to` in the same flow, and a reference into a file
    that failed to parse says so."""
    import contextlib

    import pytest

    from stackmap.errors import InventoryError
    from stackmap.load.inventory import load_inventory

    (tmp_path / "a.yaml").write_text(
        "systems:\n  - {id: a, name: A}\nflows:\n  - {from: a, to: nowhere, mechanism: pigeon}\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("systems:\n  - {id: b, name: B}\nflows:\n  - {from: b, to: c}\n",
                                     encoding="utf-8")
    (tmp_path / "c.yaml").write_text("systems:\n  - {id: c, name: C\n", encoding="utf-8")
    with contextlib.chdir(tmp_path), pytest.raises(InventoryError) as caught:
        load_inventory([tmp_path])
    messages = [(p.file.rsplit("/", 1)[-1], p.line, p.message) for p in caught.value.problems]
    hint = " (it may be defined in c.yaml, which could not be read)"
    assert ("a.yaml", 4, "flows[0].to: no system has the id 'nowhere'" + hint) in messages
    assert ("b.yaml", 4, "flows[0].to: no system has the id 'c'" + hint) in messages
    assert any(m[0] == "a.yaml" and "mechanism" in m[2] for m in messages)
    assert any(m[0] == "c.yaml" and m[2].startswith("invalid YAML") for m in messages)
