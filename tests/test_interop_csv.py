import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from interop_helpers import FIXTURES, imported

from stackmap.interop import InputError
from stackmap.interop.exporters.csv import ExportError, export_files
from stackmap.interop.importing import run


def test_canonical_sheets_round_trip_byte_for_byte(tmp_path):
    _, inv = imported("csv", [FIXTURES / "canonical"], tmp_path)
    files = export_files(inv)
    assert sorted(files) == ["capabilities.csv", "data_categories.csv", "flows.csv", "systems.csv"]
    for name, text in files.items():
        assert text == (FIXTURES / "canonical" / name).read_text(encoding="utf-8"), name


def test_inventory_to_csv_to_inventory_keeps_every_field(tmp_path):
    _, first = imported("csv", [FIXTURES / "canonical"], tmp_path / "a")
    out = tmp_path / "sheets"
    out.mkdir()
    for name, text in export_files(first).items():
        (out / name).write_text(text, encoding="utf-8")
    _, second = imported("csv", [out], tmp_path / "b")
    assert second.systems == first.systems
    assert second.flows == first.flows
    assert second.capabilities == first.capabilities
    assert second.data_categories == first.data_categories
    sf = second.systems["salesforce"]
    assert (sf.annual_cost, sf.roles, sf.tags, sf.it_reviewed) == (186000.5, ["system-of-record"], ["tier-1"], True)
    assert second.systems["zendesk"].description == 'Old helpdesk; replaced by "Intercom"'
    assert second.systems["mailchimp"].tags == ["shadow-it", "events"]


def test_every_entry_says_which_row_it_came_from(tmp_path):
    result, _ = imported("csv", [FIXTURES / "canonical"], tmp_path)
    lines = result.text.splitlines()
    at = lines.index("  - id: salesforce")
    assert lines[at - 1] == "  # from tests/fixtures/interop/canonical/systems.csv:5"
    assert "  # from tests/fixtures/interop/canonical/flows.csv:3" in lines


def test_spreadsheet_headers_synonyms_and_cells(tmp_path):
    result, inv = imported("csv", [FIXTURES / "spreadsheet"], tmp_path)
    assert sorted(inv.systems) == ["adobe-marketo-engage", "google-analytics-4", "mailchimp",
                                   "salesforce-sales-cloud", "salesforce-sales-cloud-2", "typeform", "zendesk"]
    sf = inv.systems["salesforce-sales-cloud"]
    assert (sf.vendor, sf.owner, sf.capabilities, sf.annual_cost, sf.it_reviewed) == (
        "Salesforce", "Sales Ops", ["crm"], 186000.0, True)
    assert sf.data == ["contact", "account", "lead", "consent"]
    marketo = inv.systems["adobe-marketo-engage"]
    assert marketo.capabilities == ["marketing-automation", "email-marketing"]
    assert marketo.data == ["contact", "lead", "behavioral", "consent"]
    assert marketo.annual_cost == 145000.0
    assert inv.systems["typeform"].lifecycle == "planned"
    assert inv.systems["typeform"].annual_cost == 1200.0
    assert inv.systems["zendesk"].lifecycle == "retiring"
    assert inv.systems["zendesk"].annual_cost == 30000.0
    assert inv.data_categories["survey-responses"] is True
    assert [(f.from_, f.to, f.mechanism, f.data) for f in inv.flows] == [
        ("adobe-marketo-engage", "salesforce-sales-cloud", "api", ["lead"]),
        ("google-analytics-4", "adobe-marketo-engage", None, ["behavioral"]),
        ("salesforce-sales-cloud", "adobe-marketo-engage", "api", ["contact", "lead"]),
        ("typeform", "salesforce-sales-cloud", "ipaas", ["lead"]),
    ]
    src = "tests/fixtures/interop/spreadsheet"
    assert result.draft.notes == [
        f"{src}/Applications.csv:1: column 'Contract end' is not a stackmap field: kept under x-csv, not checked",
        f"{src}/Applications.csv:5: data category 'survey-responses' is not built in: defined under "
        "data_categories as customer data",
        f"{src}/Applications.csv:8: 'Salesforce Sales Cloud' gets the id 'salesforce-sales-cloud-2': "
        "'salesforce-sales-cloud' is taken",
        f"{src}/Integrations.csv:2: 'Salesforce Sales Cloud' names several systems (salesforce-sales-cloud, "
        "salesforce-sales-cloud-2): flows use 'salesforce-sales-cloud'; write ids",
    ]
    assert '      Contract end: "2026-01-31"' in result.text
    assert "  # mechanism 'Zapier' written as 'ipaas'" in result.text
    assert "  # lifecycle 'Sunset' written as 'retiring'" in result.text
    assert "  # lifecycle 'Live' written as 'active'" in result.text
    assert "written as 'api'" in result.text  # 'native connector'


def test_bad_rows_are_reported_with_file_and_row(tmp_path):
    with pytest.raises(InputError) as caught:
        run("csv", [FIXTURES / "bad"])
    src = "tests/fixtures/interop/bad"
    assert caught.value.problems == [
        f"{src}/systems.csv:3: system id 'crm' is already used at {src}/systems.csv:2",
        f"{src}/systems.csv:4: a system needs a name",
        f"{src}/systems.csv:5: lifecycle: 'sunsetting soon' is not a lifecycle; use one of planned, active, "
        "retiring, retired",
        f"{src}/systems.csv:5: annual_cost: 'lots' is not a number",
        f"{src}/systems.csv:5: it_reviewed: 'maybe' is not yes or no (use true/false, yes/no, 1/0)",
        f"{src}/flows.csv:2: mechanism: 'carrier pigeon' is not a mechanism; use one of api, batch, file, "
        "stream, webhook, ipaas, manual",
        f"{src}/flows.csv:3: a flow from 'crm' to itself",
        f"{src}/flows.csv:4: to: no system 'erp' in the systems sheet",
    ]


def test_sheets_are_recognised_by_columns_and_ids_slugified(tmp_path):
    (tmp_path / "apps.txt.csv").write_text("Name,ID\nHubSpot CRM,HubSpot CRM\nÉvénements,\n", encoding="utf-8")
    (tmp_path / "links.csv").write_text("From,To,Payload\nhubspot-crm,Événements,Contacts\n", encoding="utf-8")
    result, inv = imported("csv", [tmp_path / "apps.txt.csv", tmp_path / "links.csv"], tmp_path / "out")
    assert sorted(inv.systems) == ["evenements", "hubspot-crm"]
    assert [(f.from_, f.to, f.data) for f in inv.flows] == [("hubspot-crm", "evenements", ["contact"])]
    assert any("id 'HubSpot CRM' is not a valid id: written as 'hubspot-crm'" in n for n in result.draft.notes)


def test_windows_1252_and_tab_separated(tmp_path):
    (tmp_path / "systems.tsv").write_bytes("name\tvendor\nCaf\xe9 CRM\tAcme\n".encode("cp1252"))
    result, inv = imported("csv", [tmp_path / "systems.tsv"], tmp_path / "out")
    assert inv.systems["cafe-crm"].name == "Café CRM"
    assert result.draft.notes[0].endswith("not UTF-8: read as Windows-1252 (check accented letters)")


def test_flows_without_systems_sheet_is_an_error(tmp_path):
    (tmp_path / "flows.csv").write_text("from,to\na,b\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        run("csv", [tmp_path])
    assert caught.value.problems[0].endswith("no systems sheet (a file named systems.csv, or with a name column)")


def test_list_that_cannot_round_trip_is_refused(tmp_path):
    shutil.copytree(FIXTURES / "canonical", tmp_path / "in")
    _, inv = imported("csv", [tmp_path / "in"], tmp_path)
    inv.systems["ga4"] = inv.systems["ga4"].model_copy(update={"tags": ["a;b"]})
    with pytest.raises(ExportError, match=r"the list \['a;b'\] cannot be written to one CSV cell"):
        export_files(inv)


def test_single_item_with_comma_survives(tmp_path):
    shutil.copytree(FIXTURES / "canonical", tmp_path / "in")
    _, inv = imported("csv", [tmp_path / "in"], tmp_path / "a")
    inv.systems["ga4"] = inv.systems["ga4"].model_copy(update={"tags": ["web, app"]})
    out = tmp_path / "out"
    out.mkdir()
    for name, text in export_files(inv).items():
        (out / name).write_text(text, encoding="utf-8")
    _, back = imported("csv", [out], tmp_path / "b")
    assert back.systems["ga4"].tags == ["web, app"]
