"""`stackmap schema`: a valid draft 2020-12 schema, committed and current, used by the samples."""

import json
import sys
from pathlib import Path

import jsonschema
import yaml

sys.path.insert(0, str(Path(__file__).parent))
from ci_helpers import run

from stackmap.load.schema import DIALECT, SCHEMA_ID, schema_text

ROOT = Path(__file__).parent.parent
COMMITTED = ROOT / "schema" / "inventory.schema.json"
MODELINE = "# yaml-language-server: $schema=../schema/inventory.schema.json\n"


def test_committed_schema_is_current():
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "schema/inventory.schema.json is stale: run `stackmap schema -o schema/inventory.schema.json`"
    )


def test_command_prints_a_draft_2020_12_schema(tmp_path):
    done = run(["schema"], tmp_path)
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert schema["$schema"] == DIALECT == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    jsonschema.Draft202012Validator.check_schema(schema)
    assert run(["schema", "-o", "s.json"], tmp_path).stdout == ""
    assert (tmp_path / "s.json").read_text() == done.stdout


def test_samples_carry_the_modeline_and_validate():
    validator = jsonschema.Draft202012Validator(json.loads(COMMITTED.read_text(encoding="utf-8")))
    files = sorted((ROOT / "inventories").glob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith(MODELINE), path.name
        assert list(validator.iter_errors(yaml.safe_load(text))) == [], path.name


def test_schema_rejects_what_the_loader_rejects_and_allows_x_keys():
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))

    def errors(doc):
        best = jsonschema.exceptions.best_match(validator.iter_errors(doc))
        return [] if best is None else [best.message]

    ok = {"systems": [{"id": "crm", "name": "CRM", "x-note": [1, 2],
                       "x-stackmap-ignore": {"isolated-system": "kept"}}],
          "flows": [{"from": "a", "to": "b", "mechanism": "api", "x-stackmap-ignore": {"flow-without-data": "ok"}}],
          "x-anchors": {"anything": True}}
    assert errors(ok) == []
    assert errors({"sytems": []}) == ["'sytems' does not match any of the regexes: '^x-'"]
    assert errors({"systems": [{"id": "CRM", "name": "x"}]}) == ["'CRM' does not match '^[a-z0-9][a-z0-9._-]*$'"]
    assert errors({"systems": [{"id": "a", "name": "A", "tags": [False]}]}) == ["False is not of type 'string'"]
    assert errors({"flows": [{"from": "a", "to": "b", "mechanism": "fax"}]}) != []
    assert errors({"systems": [{"id": "a", "name": "A", "x-stackmap-ignore": {"isolated-system": ""}}]}) != []


# -- the schema and the CLI agree on invalid files -------------------------------------------------

BASE = "systems:\n  - {id: a, name: A}\n  - {id: b, name: B}\n"
INVALID: dict[str, str] = {
    "unknown top-level key": "sytems: []\n",
    "uppercase id": "systems:\n  - {id: CRM, name: CRM}\n",
    "id that YAML reads as a number": "systems:\n  - {id: 0123, name: x}\n",
    "no name": "systems:\n  - {id: a}\n",
    "empty name": 'systems:\n  - {id: a, name: ""}\n',
    "name a list": "systems:\n  - {id: a, name: [x]}\n",
    "tag a number": "systems:\n  - {id: a, name: A, tags: [1]}\n",
    "unknown lifecycle": "systems:\n  - {id: a, name: A, lifecycle: dead}\n",
    "negative cost": "systems:\n  - {id: a, name: A, annual_cost: -5}\n",
    "cost a string": 'systems:\n  - {id: a, name: A, annual_cost: "100"}\n',
    "infinite cost": "systems:\n  - {id: a, name: A, annual_cost: .inf}\n",
    "quoted yes": 'systems:\n  - {id: a, name: A, it_reviewed: "yes"}\n',
    "unknown system field": "systems:\n  - {id: a, name: A, colour: red}\n",
    "capability id with a space": "systems:\n  - {id: a, name: A, capabilities: [e mail]}\n",
    "empty waiver reason": 'systems:\n  - {id: a, name: A, x-stackmap-ignore: {isolated-system: ""}}\n',
    "unknown mechanism": BASE + "flows:\n  - {from: a, to: b, data: [contact], mechanism: fax}\n",
    "flow without to": BASE + "flows:\n  - {from: a, data: [contact]}\n",
    "unknown flow field": BASE + "flows:\n  - {from: a, to: b, via: x}\n",
    "category customer a string": 'data_categories:\n  - {id: loyalty, customer: "no"}\n',
    "capability aliases a string": "capabilities:\n  - {id: crm, aliases: sales}\n",
    # YAML 1.1 (stackmap) and YAML 1.2 (check-jsonschema, most editors) read these differently:
    "plain no in tags": "systems:\n  - {id: a, name: A, tags: [no]}\n",
    "plain yes for it_reviewed": "systems:\n  - {id: a, name: A, it_reviewed: yes}\n",
}
YAML_1_1: dict[str, tuple[bool, bool]] = {
    "plain no in tags": (True, False),
    "plain yes for it_reviewed": (False, True),
}
"""The documented differences (docs/output-formats.md, "stackmap schema"): case → (the CLI rejects, the schema rejects)."""


def test_the_cli_and_check_jsonschema_agree_on_every_invalid_case(tmp_path):
    import contextlib
    import shutil
    import subprocess

    from stackmap.errors import InventoryError
    from stackmap.load.inventory import load_inventory

    checker = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert checker, "check-jsonschema is a test dependency"
    files = {}
    for i, (case, text) in enumerate(INVALID.items()):
        files[case] = tmp_path / f"case{i}.yaml"
        files[case].write_text(text, encoding="utf-8")
    cli = {}
    for case, path in files.items():
        try:
            with contextlib.chdir(tmp_path):
                load_inventory([Path(path.name)])
            cli[case] = False
        except InventoryError:
            cli[case] = True
    schema = {}
    for case, path in files.items():
        done = subprocess.run([checker, "--schemafile", str(COMMITTED), str(path)], capture_output=True, text=True,
                              check=False)
        assert done.returncode in (0, 1), done.stderr
        schema[case] = done.returncode == 1
    differ = {case: (cli[case], schema[case]) for case in INVALID if cli[case] != schema[case]}
    assert differ == YAML_1_1
    assert all(cli[case] for case in INVALID if case not in YAML_1_1)


def test_every_field_has_editor_help():
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    missing = []
    for where, definition in [("", schema), *schema["$defs"].items()]:
        for field, prop in definition["properties"].items():
            for key in ("description", "markdownDescription", "examples"):
                if not prop.get(key):
                    missing.append(f"{where}.{field}: {key}")
            if "enum" in prop and len(prop.get("markdownEnumDescriptions", [])) != len(prop["enum"]):
                missing.append(f"{where}.{field}: markdownEnumDescriptions")
    assert missing == []
    validator = jsonschema.Draft202012Validator(schema)
    best = jsonschema.exceptions.best_match(validator.iter_errors({"systems": [{"id": "a", "name": "A", "vendor": 5}]}))
    assert best.message == "5 is not of type 'string', 'null'"
