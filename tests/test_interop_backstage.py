import contextlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from interop_helpers import FIXTURES, imported

from stackmap.interop import InputError
from stackmap.interop.draft import ImportOptions
from stackmap.interop.importers.backstage import parse_ref
from stackmap.interop.importing import run

CATALOG = FIXTURES / "backstage"
SRC = "tests/fixtures/interop/backstage"


def test_catalog_becomes_systems_and_flows(tmp_path):
    _, inv = imported("backstage", [CATALOG], tmp_path)
    # the System is the group its components are drawn in, not a system next to them
    assert sorted(inv.systems) == ["lead-router", "lead-scores-db", "marketing.event-app",
                                   "marketing.newsletter", "web-forms"]
    router = inv.systems["lead-router"]
    assert (router.lifecycle, router.tags, router.data, router.part_of) == (
        "active", ["python", "leads", "service"], ["lead", "behavioral"], "go-to-market / Customer Platform")
    assert inv.systems["web-forms"].lifecycle == "active"  # experimental: running, not planned
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
        f"{SRC}/catalog-info.yaml:2: system:default/customer-platform: its stackmap/ annotations are not read: a "
        "System with components is their group (part_of), not a system; annotate the components",
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
        f"{SRC}/catalog-info.yaml:83: spec.children of 1 Group entity is not mapped (group:default/marketing-ops)",
    ]
    for note in result.draft.notes:
        assert f"#   {note}" in result.text
    assert f"  # from {SRC}/catalog-info.yaml:17 component:default/lead-router" in result.text
    assert "    part_of: go-to-market / Customer Platform\n    x-backstage:\n      " \
           "annotation/github.com/project-slug: northwind/lead-router\n" in result.text


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


def test_invalid_yaml_alone_is_skipped_and_no_systems_fails(tmp_path):
    (tmp_path / "catalog-info.yaml").write_text("apiVersion: backstage.io/v1alpha1\nkind: [Component\n")
    with contextlib.chdir(tmp_path), pytest.raises(InputError) as caught:
        run("backstage", [Path(".")])
    assert caught.value.problems == [
        "catalog-info.yaml: no systems to import: no Component, Resource or System entity in the files read"]
    assert caught.value.notes == [
        "catalog-info.yaml:3: not valid YAML (did not find expected ',' or ']'): the rest of the file is skipped "
        "(nothing read from it); a Helm template or scaffolder skeleton can be left out with --exclude",
    ]


def test_a_value_its_tag_does_not_allow_is_a_note_not_a_crash(tmp_path):
    """`!!int` on text reached PyYAML's constructor and escaped as a ValueError (found by the fuzzer)."""
    (tmp_path / "catalog-info.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: crm}\n"
        "spec: {type: service, lifecycle: production, owner: sales}\n---\n"
        "!!int  The catalog: a system\napiVersion: backstage.io/v1alpha1\n")
    with contextlib.chdir(tmp_path):
        result = run("backstage", [Path(".")])
    assert "id: crm\n" in result.text
    assert "catalog-info.yaml:6: not valid YAML (a value its tag does not allow: \"invalid literal for int() " \
           "with base 10: 'The catalog'\"): the rest of the file is skipped (the 1 entity before it are kept); " \
           "a Helm template or scaffolder skeleton can be left out with --exclude" in result.draft.notes


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


# ---- a showcase repository: hierarchy, owners, templates next to the catalog ------------------

from interop_helpers import stackmap  # noqa: E402

SHOWCASE = FIXTURES / "backstage-showcase"
SHOW = "tests/fixtures/interop/backstage-showcase"


def test_domain_system_component_hierarchy_is_part_of_not_systems(tmp_path):
    _, inv = imported("backstage", [SHOWCASE], tmp_path)
    assert {s: inv.systems[s].part_of for s in inv.systems} == {
        "rhdh": "Commerce / payments / Developer Hub",
        "rhdh-plugins": "Commerce / payments / Developer Hub / Developer Hub backend",  # subcomponentOf
        "portal": "Commerce / payments / Developer Hub",
        "orders-db": "Commerce / payments / Developer Hub",
        "lonely": None,  # a System with nothing in it stays a system
    }
    assert sorted((f.from_, f.to) for f in inv.flows) == [
        ("lonely", "portal"), ("orders-db", "portal"), ("rhdh", "portal"), ("rhdh", "rhdh-plugins")]


def test_owners_are_groups_users_are_resolved_or_reported(tmp_path):
    result, inv = imported("backstage", [SHOWCASE], tmp_path)
    assert inv.systems["rhdh"].owner == "platform"  # user:jdoe, member of platform
    assert "  # owner 'user:jdoe' is a user: written as their group 'platform'\n  - id: rhdh" in result.text
    assert inv.systems["rhdh-plugins"].owner == "guest"
    assert (f"{SHOW}/catalog/components.yaml:22: owner user:default/guest is a user, not a group (a member of "
            "0 groups): kept as the owner; write the owning team") in result.draft.notes


def test_templates_helm_files_and_bad_yaml_are_skipped_with_notes(tmp_path):
    result, inv = imported("backstage", [SHOWCASE], tmp_path)
    notes = result.draft.notes
    assert f"{SHOW}/charts/portal/templates/deployment.yaml:1: not valid YAML (did not find expected node " \
           "content): the rest of the file is skipped (nothing read from it); a Helm template or scaffolder " \
           "skeleton can be left out with --exclude" in notes
    assert f"{SHOW}/templates/service/skeleton/catalog-info.yaml: 1 YAML document is a template (a scaffolder " \
           "skeleton or Helm chart: '${{' or '{{' in its kind or name): skipped" in notes
    assert f"{SHOW}/templates/service/template.yaml:1: 1 Template entity is not mapped to systems or flows " \
           "(template:default/service)" in notes
    assert f"{SHOW}/catalog/components.yaml:33: spec.deploymentTarget of 1 Component entity is not mapped " \
           "(component:default/portal)" in notes
    assert not any("values" in s for s in inv.systems)


def test_exclude_leaves_files_out(tmp_path):
    result, _ = imported("backstage", [SHOWCASE], tmp_path,
                         ImportOptions(exclude=("charts", "*/skeleton/*")))
    assert not any("charts/" in s or "skeleton" in s for s in result.draft.sources)
    assert "--exclude: 4 files left out (charts, */skeleton/*)" in result.draft.notes


def test_lifecycle_links_labels_and_annotations_are_kept(tmp_path):
    result, inv = imported("backstage", [SHOWCASE], tmp_path)
    assert inv.systems["rhdh-plugins"].lifecycle == "active"
    assert ("    x-backstage:\n"
            "      label/tier: backend\n"
            '      annotation/backstage.io/techdocs-ref: "dir:."\n'
            "      annotation/github.com/project-slug: example/rhdh\n"
            '      link/Dashboard: "https://dashboard.example.com/rhdh"\n'
            '      link/2: "https://runbook.example.com"\n') in result.text
    assert "      lifecycle: experimental\n" in result.text


def test_control_characters_in_names_are_escaped_in_comments(tmp_path):
    (tmp_path / "c.yaml").write_text(
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: "web\\x01app"\n'
        '  title: "Web\\x01 App\\x85x"\nspec: {owner: "te\\x01am", lifecycle: production}\n')
    done = stackmap("import", "backstage", "c.yaml", "-o", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (tmp_path / "out" / "backstage.yaml").read_text()
    assert "  # from c.yaml:1 component:default/web\\x01app\n" in text
    assert "\x01" not in text
    assert stackmap("check", "out", "--fail-on", "never", cwd=tmp_path).returncode == 0


def test_the_hierarchy_is_a_diagram_grouping(tmp_path):
    done = stackmap("import", "backstage", str(SHOWCASE), "-o", "inv", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    done = stackmap("render", "inv", "-o", "-", "-f", "mermaid", "--group-by", "part_of", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    groups = [line.split('["', 1)[1].rstrip('"]') for line in done.stdout.splitlines()
              if line.lstrip().startswith("subgraph g_part")]
    assert groups == ["Commerce / payments / Developer Hub",
                      "Commerce / payments / Developer Hub / Developer Hub backend"]
