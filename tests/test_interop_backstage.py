import contextlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from interop_helpers import FIXTURES, imported

from stackmap.interop import InputError
from stackmap.interop.importers.backstage import parse_ref
from stackmap.interop.importing import run

CATALOG = FIXTURES / "backstage"
SRC = "tests/fixtures/interop/backstage"


def test_catalog_becomes_systems_and_flows(tmp_path):
    _, inv = imported("backstage", [CATALOG], tmp_path)
    assert sorted(inv.systems) == ["customer-platform", "lead-router", "lead-scores-db", "marketing.event-app",
                                   "marketing.newsletter", "web-forms"]
    platform = inv.systems["customer-platform"]
    assert (platform.name, platform.owner, platform.vendor, platform.roles, platform.annual_cost) == (
        "Customer Platform", "sales-ops", "Salesforce", ["system-of-record"], 186000.0)
    assert platform.data == ["contact", "account", "lead"]
    router = inv.systems["lead-router"]
    assert (router.lifecycle, router.tags, router.data) == ("active", ["python", "leads", "service"],
                                                            ["lead", "behavioral"])
    assert inv.systems["web-forms"].lifecycle == "planned"
    assert inv.systems["marketing.newsletter"].lifecycle == "retiring"
    assert inv.systems["marketing.newsletter"].owner == "events"
    assert [(f.from_, f.to, f.mechanism, f.data) for f in inv.flows] == [
        ("lead-scores-db", "lead-router", None, []),
        ("web-forms", "lead-router", "api", ["lead"]),
    ]


def test_what_cannot_be_mapped_is_reported(tmp_path):
    result, _ = imported("backstage", [CATALOG], tmp_path)
    assert result.draft.notes == [
        f"{SRC}/docs/mkdocs.yml: 1 YAML document is not a Backstage entity (no backstage.io apiVersion): skipped",
        f"{SRC}/marketing/catalog-info.yaml:13: component:marketing/event-app: lifecycle 'beta' is not known: "
        "written as active",
        f"{SRC}/marketing/catalog-info.yaml:13: data category 'loyalty-points' is not built in: defined under "
        "data_categories as customer data",
        f"{SRC}/catalog-info.yaml:17: component:default/lead-router: dependsOn 'component:billing-engine' is not "
        "in the files read: no flow",
        f"{SRC}/catalog-info.yaml:64: api:default/contacts-api: no provider in the files read: no flow",
        f"{SRC}/marketing/catalog-info.yaml:26: api:marketing/event-stream: no consumer in the files read: no flow",
        f"{SRC}/marketing/catalog-info.yaml:51: 1 Location entity is not mapped to systems or flows "
        "(location:default/more)",
        f"{SRC}/marketing/catalog-info.yaml:37: 2 User entities are not mapped to systems or flows "
        "(user:default/jdoe, user:default/asmith)",
    ]
    for note in result.draft.notes:
        assert f"#   {note}" in result.text
    assert f"  # from {SRC}/catalog-info.yaml:17 component:default/lead-router" in result.text
    assert "  # part of system customer-platform" in result.text


def test_entity_refs():
    assert parse_ref("billing", "component") == "component:default/billing"
    assert parse_ref("Resource:Ops/DB", "component") == "resource:ops/db"
    assert parse_ref("events", "group", "marketing") == "group:marketing/events"


def test_provider_to_consumer_by_default_and_both(tmp_path):
    (tmp_path / "c.yaml").write_text("""\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: crm}
spec: {type: service, lifecycle: production, owner: a, providesApis: [contacts, sync]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: email}
spec: {type: service, lifecycle: production, owner: a, consumesApis: [contacts, sync]}
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: contacts, annotations: {stackmap/data: contacts}}
spec: {type: openapi, lifecycle: production, owner: a, definition: x}
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: sync, annotations: {stackmap/data: consent, stackmap/direction: both}}
spec: {type: asyncapi, lifecycle: production, owner: a, definition: x}
""")
    _, inv = imported("backstage", [tmp_path / "c.yaml"], tmp_path / "out")
    assert [(f.from_, f.to, f.mechanism, f.data) for f in inv.flows] == [
        ("crm", "email", "api", ["contact"]),
        ("crm", "email", "stream", ["consent"]),
        ("email", "crm", "stream", ["consent"]),
    ]


def test_invalid_yaml_is_an_error_with_its_line(tmp_path):
    (tmp_path / "catalog-info.yaml").write_text("apiVersion: backstage.io/v1alpha1\nkind: [Component\n")
    with contextlib.chdir(tmp_path), pytest.raises(InputError) as caught:
        run("backstage", [Path(".")])
    assert caught.value.problems == ["catalog-info.yaml:3: invalid YAML: did not find expected ',' or ']'"]


def test_alias_bomb_under_an_unread_key_is_not_walked(tmp_path):
    bomb = "\n".join([
        "apiVersion: backstage.io/v1alpha1",
        "kind: Component",
        "metadata:",
        "  name: safe",
        "  labels:",
        '    a: &a ["x","x","x","x","x","x","x","x","x","x"]',
        *[f"    {chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
          f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]"
          for i in range(8)],
        "spec: {type: service, lifecycle: production, owner: a, dependsOn: *i}",
    ])
    (tmp_path / "catalog-info.yaml").write_text(bomb + "\n")
    result, inv = imported("backstage", [tmp_path / "catalog-info.yaml"], tmp_path / "out")  # 10**9 leaves
    assert sorted(inv.systems) == ["safe"]
    assert any("spec.dependsOn: a list is not a name: ignored" in n for n in result.draft.notes)
