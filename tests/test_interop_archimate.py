import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from interop_helpers import FIXTURES, imported

from stackmap.interop import InputError
from stackmap.interop.draft import ImportOptions
from stackmap.interop.importing import run

MODEL = FIXTURES / "archimate" / "northwind.xml"
SRC = "tests/fixtures/interop/archimate/northwind.xml"


def test_components_become_systems_and_relationships_flows(tmp_path):
    _, inv = imported("archimate", [MODEL], tmp_path, ImportOptions({"Customer": "contact"}))
    assert sorted(inv.systems) == ["adobe-marketo-engage", "google-analytics-4", "legacy-newsletter-tool",
                                   "salesforce-sales-cloud", "typeform"]
    sf = inv.systems["salesforce-sales-cloud"]
    assert (sf.vendor, sf.owner, sf.annual_cost, sf.roles, sf.data, sf.description) == (
        "Salesforce", "sales-ops", 186000.0, ["system-of-record"], ["contact"],
        "Customer master for contacts and accounts.")
    assert inv.systems["adobe-marketo-engage"].capabilities == ["marketing-automation", "email-marketing"]
    assert inv.systems["typeform"].lifecycle == "planned"
    assert inv.systems["legacy-newsletter-tool"].lifecycle == "retired"
    assert [(f.from_, f.to, f.data, f.mechanism, f.frequency, f.description) for f in inv.flows] == [
        ("adobe-marketo-engage", "salesforce-sales-cloud", [], None, None, "MQL hand-over"),
        # Marketo writes the Customer data object that Salesforce reads and writes
        ("adobe-marketo-engage", "salesforce-sales-cloud", ["contact"], None, None, "Customer (data object)"),
        ("salesforce-sales-cloud", "adobe-marketo-engage", ["contact"], None, None, None),
        ("typeform", "salesforce-sales-cloud", ["lead"], "ipaas", "real time", "Form fills become leads"),
    ]


def test_unmapped_elements_and_relationships_are_reported(tmp_path):
    result, _ = imported("archimate", [MODEL], tmp_path, ImportOptions({"Customer": "contact", "Invoices": "financial"}))
    assert result.draft.notes == [
        f"{SRC} id-do-survey: DataObject 'Survey answers' (accessed by Typeform) has no data category: pass "
        "--data-map 'Survey answers=CATEGORY' or give it a 'Data category' property",
        f"{SRC} id-do-web: DataObject 'Web sessions' (accessed by Google Analytics 4) has no data category: pass "
        "--data-map 'Web sessions=CATEGORY' or give it a 'Data category' property",
        f"{SRC}: property 'Contract end' (2 times) is not a stackmap field: kept under x-archimate, not checked",
        f"{SRC}: 1 Assignment relationship not mapped (id-r9)",
        f"{SRC}: 1 BusinessActor element not mapped (Marketing operations)",
        f"{SRC}: 1 Node element not mapped (AWS eu-west-1)",
        f"{SRC}: 1 Serving relationship not between application components or what they own not mapped (id-r10)",
        "--data-map: 'Invoices': no DataObject has this name or identifier (names and identifiers are compared "
        "ignoring case; the DataObjects read are 'Customer', 'Lead', 'Survey answers', 'Web sessions')",
    ]
    assert f"  # from {SRC} id-sf\n  - id: salesforce-sales-cloud" in result.text
    assert '    x-archimate:\n      Contract end: "2026-01-31"' in result.text
    assert "  # from a Triggering relationship: check that data moves" in result.text


def test_data_map_by_identifier_and_new_category(tmp_path):
    _, inv = imported("archimate", [MODEL], tmp_path,
                      ImportOptions({"id-do-customer": "contact", "web sessions": "behavioral",
                                     "Survey answers": "Survey response"}))
    assert inv.systems["google-analytics-4"].data == ["behavioral"]
    assert inv.systems["typeform"].data == ["survey-response"]
    assert inv.data_categories["survey-response"] is True


@pytest.mark.parametrize("declaration", [
    '<!DOCTYPE model [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE model [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!doctype model SYSTEM "http://example.com/model.dtd">',
])
def test_doctype_and_entities_are_refused_before_parsing(tmp_path, declaration):
    xml = f'<?xml version="1.0"?>\n{declaration}\n<model><name>&xxe;</name></model>\n'
    (tmp_path / "evil.xml").write_text(xml)
    with pytest.raises(InputError) as caught:
        run("archimate", [tmp_path / "evil.xml"])
    [problem] = caught.value.problems
    assert problem.endswith("evil.xml:2: a DOCTYPE or ENTITY declaration: refused (an ArchiMate file needs none, "
                            "and they are how XML entity attacks work)")


def test_malformed_xml_is_an_error_with_its_line(tmp_path):
    (tmp_path / "broken.xml").write_text('<?xml version="1.0"?>\n<model>\n  <elements>\n</model>\n')
    with pytest.raises(InputError) as caught:
        run("archimate", [tmp_path / "broken.xml"])
    [problem] = caught.value.problems
    assert "broken.xml:4: not well-formed XML: mismatched tag" in problem


def test_utf16_exchange_file(tmp_path):
    xml = ('<?xml version="1.0" encoding="UTF-16"?>\n'
           '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><elements>'
           '<element identifier="a" xsi:type="ApplicationComponent"><name>Café CRM</name></element>'
           '</elements></model>')
    (tmp_path / "m.xml").write_bytes(xml.encode("utf-16"))
    _, inv = imported("archimate", [tmp_path / "m.xml"], tmp_path / "out")
    assert inv.systems["cafe-crm"].name == "Café CRM"


# ---- formats, versions, derived flows ---------------------------------------------------------

from interop_helpers import stackmap  # noqa: E402

ARCHI = FIXTURES / "archimate"


def _flows(inv):
    return sorted((f.from_, f.to) for f in inv.flows)


def test_exchange_2_1_labels_usedby_and_realisation_chains(tmp_path):
    result, inv = imported("archimate", [ARCHI / "exchange21.xml"], tmp_path,
                           ImportOptions({"customer file": "contact"}))
    assert {s: inv.systems[s].name for s in inv.systems} == {
        "web-shop": "Web shop", "crm": "CRM", "billing": "Billing", "email-platform": "Email platform",
        "application-component-id-nameless": "Application component id-nameless"}
    assert inv.systems["crm"].owner == "Sales"
    assert inv.systems["web-shop"].part_of == "Front office"
    assert _flows(inv) == [("billing", "web-shop"), ("crm", "billing"), ("crm", "email-platform"),
                           ("crm", "web-shop"), ("web-shop", "crm")]
    assert [f.data for f in inv.flows if (f.from_, f.to) == ("crm", "billing")] == [["contact"]]
    assert result.draft.summary[0].endswith(
        "exchange21.xml: Open Exchange 2.1 (ArchiMate 2); 5 application components → systems; flows: 2 direct, "
        "2 derived through services/functions/interfaces, 1 from data-object access; 2 relationships not mapped "
        "(listed below)")
    assert "  # derived: 'Billing' is assigned to 'Invoicing' (ApplicationFunction) realizes 'Invoice service' " \
           "(ApplicationService) serves 'Web shop'\n  - from: billing\n    to: web-shop" in result.text
    assert "  # derived: 'CRM' writes 'Customer file' (DataObject); 'Billing' is assigned to 'Invoicing' " \
           "(ApplicationFunction) reads it" in result.text


def test_lang_picks_the_names_and_is_said_when_missing(tmp_path):
    result, inv = imported("archimate", [ARCHI / "exchange21.xml"], tmp_path, ImportOptions(lang="nl"))
    assert inv.systems["webwinkel"].name == "Webwinkel"
    assert inv.systems["facturatie"].name == "Facturatie"
    assert inv.systems["crm"].name == "CRM"  # only in English: the first given
    result, _ = imported("archimate", [ARCHI / "exchange21.xml"], tmp_path / "fr", ImportOptions(lang="fr"))
    assert any("--lang fr: no name is given in it (the model has en, nl)" in n for n in result.draft.notes)


def test_components_connected_only_through_what_they_own_are_not_isolated(tmp_path):
    result, inv = imported("archimate", [ARCHI / "derived31.xml"], tmp_path)
    assert result.draft.summary[0].split(": ", 1)[1].startswith("Open Exchange 3.1 (ArchiMate 3); 6 application")
    assert _flows(inv) == [("marketing-hub", "data-warehouse"), ("order-service", "marketing-hub"),
                           ("order-service", "payment-gateway"), ("payment-gateway", "data-warehouse"),
                           ("payment-gateway", "marketing-hub")]
    assert {s: inv.systems[s].part_of for s in inv.systems} == {
        "commerce-platform": None, "order-service": "Commerce platform", "payment-gateway": "Commerce platform",
        "marketing-hub": "Front office / Customer engagement",  # a grouping inside a grouping
        "data-warehouse": "Back office", "intranet": "Back office"}
    done = stackmap("check", "archimate.yaml", "--format", "json", "--fail-on", "never", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    import json
    isolated = sorted(s for f in json.loads(done.stdout)["findings"] if f["rule"] == "isolated-system"
                      for s in f["systems"])
    assert isolated == ["commerce-platform", "intranet"]  # drawn with no relationship of their own


def test_archi_native_file_with_folders_numbers_and_junctions(tmp_path):
    result, inv = imported("archimate", [ARCHI / "native.archimate"], tmp_path,
                           ImportOptions({"Visitor data": "behavioral"}))
    assert {s: (inv.systems[s].name, inv.systems[s].part_of) for s in inv.systems} == {
        "crm": ("CRM", "Marketing"), "newsletter-tool": ("Newsletter tool", "Marketing"),
        "web-analytics": ("Web analytics", "Analytics")}  # drawn inside the grouping in a view
    assert (inv.systems["crm"].owner, inv.systems["crm"].vendor, inv.systems["crm"].description) == (
        "Sales operations", "Acme", "Holds every contact.")
    assert _flows(inv) == [("crm", "newsletter-tool"), ("crm", "web-analytics"), ("newsletter-tool", "web-analytics"),
                           ("web-analytics", "crm"), ("web-analytics", "newsletter-tool")]
    # no accessType in Archi's file means write; 1 means read; the reading function is drawn inside CRM
    assert [f.data for f in inv.flows if f.from_ == "web-analytics"] == [["behavioral"], ["behavioral"]]
    assert "  # derived: 'Web analytics' writes 'Visitor data' (DataObject); 'CRM' contains 'Lead scoring' " \
           "(ApplicationFunction, drawn inside it) reads it" in result.text
    assert "Archi model file (Archi 4.9.0)" in result.draft.summary[0]


def test_archi_archive_with_images_is_read(tmp_path):
    import zipfile
    with zipfile.ZipFile(tmp_path / "model.archimate", "w") as archive:
        archive.writestr("model.xml", (ARCHI / "native.archimate").read_bytes())
        archive.writestr("images/a.png", b"\x89PNG")
    _, inv = imported("archimate", [tmp_path / "model.archimate"], tmp_path / "out")
    assert sorted(inv.systems) == ["crm", "newsletter-tool", "web-analytics"]


@pytest.mark.parametrize(("xml", "message"), [
    ('<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion></project>',
     "not an ArchiMate model: the root element is <project> (namespace http://maven.apache.org/POM/4.0.0); "
     "expected an Open Exchange file (3.x or 2.1) or an Archi .archimate file"),
    ('<model xmlns="http://www.opengroup.org/xsd/archimate/4.0/"/>',
     "an ArchiMate exchange file in a version this does not read (namespace "
     "http://www.opengroup.org/xsd/archimate/4.0/): export it as Open Exchange 3.x or 2.1"),
])
def test_other_xml_is_refused_with_what_was_found(tmp_path, xml, message):
    (tmp_path / "pom.xml").write_text(xml)
    done = stackmap("import", "archimate", "pom.xml", "-o", "out", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == f"pom.xml:1: {message}"
    assert not (tmp_path / "out").exists()


def test_a_model_without_components_fails_saying_why(tmp_path):
    (tmp_path / "m.xml").write_text('<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
                                    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><elements>'
                                    '<element identifier="a" xsi:type="BusinessActor"><name>Clerk</name></element>'
                                    '</elements></model>')
    done = stackmap("import", "archimate", "m.xml", "-o", "out", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == ("m.xml: no systems to import: no ApplicationComponent element in the "
                                           "model (stackmap maps application components to systems)")
    assert done.stdout.splitlines()[-1].startswith("import failed:")


def test_shared_data_object_access_kinds(tmp_path):
    def model(kinds: tuple[str, str]) -> str:
        return ('<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><elements>'
                '<element identifier="a" xsi:type="ApplicationComponent"><name>Shop</name></element>'
                '<element identifier="b" xsi:type="ApplicationComponent"><name>CRM</name></element>'
                '<element identifier="d" xsi:type="DataObject"><name>Customer</name></element>'
                '</elements><relationships>'
                f'<relationship identifier="r1" source="a" target="d" xsi:type="Access" accessType="{kinds[0]}"/>'
                f'<relationship identifier="r2" source="b" target="d" xsi:type="Access" accessType="{kinds[1]}"/>'
                '</relationships></model>')
    (tmp_path / "m.xml").write_text(model(("Write", "Access")))
    _, inv = imported("archimate", [tmp_path / "m.xml"], tmp_path / "a", ImportOptions({"customer": "contact"}))
    assert [(f.from_, f.to, f.data) for f in inv.flows] == [("shop", "crm", ["contact"])]  # Access: may read
    (tmp_path / "m.xml").write_text(model(("Write", "Write")))
    result, inv = imported("archimate", [tmp_path / "m.xml"], tmp_path / "b", ImportOptions({"customer": "contact"}))
    assert inv.flows == []
    assert any(n.endswith("d: DataObject 'Customer' is used by 2 components but none reads what another writes: "
                          "no flow (set the access type of its readers to Read)") for n in result.draft.notes)


def test_other_xml_in_a_folder_is_skipped_with_a_note(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "pom.xml").write_text('<project xmlns="http://maven.apache.org/POM/4.0.0"/>')
    (tmp_path / "models" / "native.archimate").write_bytes((ARCHI / "native.archimate").read_bytes())
    done = stackmap("import", "archimate", "models", "-o", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert "  models/pom.xml:1: not an ArchiMate model: the root element is <project> (namespace " \
           "http://maven.apache.org/POM/4.0.0); expected an Open Exchange file (3.x or 2.1) or an Archi .archimate " \
           "file: skipped" in done.stdout.splitlines()
