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
        f"{SRC}: 1 ApplicationInterface element not mapped (Salesforce REST API)",
        f"{SRC}: 1 Assignment relationship not mapped (id-r9)",
        f"{SRC}: 1 BusinessActor element not mapped (Marketing operations)",
        f"{SRC}: 1 Composition relationship not mapped (id-r8)",
        f"{SRC}: 1 Node element not mapped (AWS eu-west-1)",
        f"{SRC}: 1 Serving relationship not between two ApplicationComponents not mapped (id-r10)",
        "--data-map: 'Invoices': no DataObject has this name or identifier",
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
    assert problem.endswith("evil.xml:2: a DOCTYPE or ENTITY declaration: refused (an exchange file needs none, "
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
