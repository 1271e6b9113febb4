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
