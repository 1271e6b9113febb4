import dataclasses
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from interop_helpers import FIXTURES, imported

from stackmap.interop import InputError
from stackmap.interop.exporters.csv import ExportError, export_files
from stackmap.interop.draft import ImportOptions
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
    assert inv.systems["typeform"].data == ["lead"]  # 'Survey responses' is not a category: kept, not invented
    assert "survey-responses" not in inv.data_categories
    assert [(f.from_, f.to, f.mechanism, f.data) for f in inv.flows] == [
        ("adobe-marketo-engage", "salesforce-sales-cloud", "api", ["lead"]),
        ("google-analytics-4", "adobe-marketo-engage", None, ["behavioral"]),
        ("salesforce-sales-cloud", "adobe-marketo-engage", "api", ["contact", "lead"]),
        ("typeform", "salesforce-sales-cloud", "ipaas", ["lead"]),
    ]
    src = "tests/fixtures/interop/spreadsheet"
    assert result.draft.notes == [
        f"{src}/Applications.csv:1: column 'Contract end' is not a stackmap field: kept under x-csv, not checked",
        f"{src}/Applications.csv:8: 'Salesforce Sales Cloud' gets the id 'salesforce-sales-cloud-2': "
        "'salesforce-sales-cloud' is taken",
        f"{src}/Integrations.csv:2: 'Salesforce Sales Cloud' names several systems (salesforce-sales-cloud, "
        "salesforce-sales-cloud-2): flows use 'salesforce-sales-cloud'; write ids",
        f"{src}/Applications.csv:5: 1 value in the data column of 1 row is not a data category ('Survey "
        "responses'): not made into categories; the cells are kept under x-csv. Map a value with --data-map "
        "'VALUE=CATEGORY' or define it in a data categories sheet",
    ]
    assert '    x-csv:\n      Data stored: "Leads; Survey responses"' in result.text
    assert '      Contract end: "2026-01-31"' in result.text
    assert "  # mechanism 'Zapier' written as 'ipaas'" in result.text
    assert "  # lifecycle 'Sunset' written as 'retiring'" in result.text
    assert "  # lifecycle 'Live' written as 'active'" in result.text
    assert "written as 'api'" in result.text  # 'native connector'


def test_bad_rows_are_reported_with_file_and_row(tmp_path):
    with pytest.raises(InputError) as caught:
        run("csv", [FIXTURES / "bad"])
    src = "tests/fixtures/interop/bad"
    # only what cannot be decided is a problem: two rows claim one id
    assert caught.value.problems == [f"{src}/systems.csv:3: system id 'crm' is already used at {src}/systems.csv:2"]
    # cells that do not fit are left out and kept, rows that cannot be entries are skipped: all said
    assert caught.value.notes == [
        f"{src}/systems.csv:4: a row without a name: skipped",
        f"{src}/flows.csv:3: a flow from 'crm' to itself: skipped",
        f"{src}/flows.csv:4: to: no system 'erp' in the systems sheet: flow skipped",
        f"{src}/systems.csv:5: lifecycle: 1 value ('sunsetting soon') is not a lifecycle (planned, active, "
        "retiring, retired; written as active): left empty, the cells kept under x-csv",
        f"{src}/systems.csv:5: annual_cost: 1 value ('lots') is not a number: left empty, the cells kept under x-csv",
        f"{src}/systems.csv:5: it_reviewed: 1 value ('maybe') is not yes or no (true/false, yes/no, 1/0): left "
        "empty, the cells kept under x-csv",
        f"{src}/flows.csv:2: mechanism: 1 value ('carrier pigeon') is not a mechanism (api, batch, file, stream, "
        "webhook, ipaas, manual): left empty, the cells kept under x-csv",
    ]


def test_cells_that_do_not_fit_are_kept_and_totals_skipped(tmp_path):
    (tmp_path / "systems.csv").write_text(
        "name,status,cost,it approved\nHubSpot,phaseIn,Free,maybe\nCanva,Tolerate,120,yes\nTotal,,120,\n")
    result, inv = imported("csv", [tmp_path / "systems.csv"], tmp_path / "out")
    assert {s.id: (s.lifecycle, s.annual_cost, s.it_reviewed) for s in inv.systems.values()} == {
        "hubspot": ("planned", None, None), "canva": ("active", 120.0, True)}
    assert '    x-csv:\n      cost: Free\n      it approved: maybe\n' in result.text
    assert any(n.endswith(":4: a 'Total' row: skipped") for n in result.draft.notes)


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
    assert caught.value.problems[0].endswith("no systems sheet (a file or sheet named systems, or with a name column)")


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


# ---- real inventories: title rows, two columns for one field, free text in the data column ----

INVENTORY = """\
Marketing tool inventory,,,,,,
Exported 2024-05-02,,,,,,
Tool,Business owner,Team,Description,Notes,Personal data,Status
HubSpot,Jane Doe,Marketing Ops,Marketing automation,Renewal in May,"Contacts; Leads",Live
Hotjar,John Roe,Digital,Heatmaps,,"no personal data will be collected, only aggregated usage",Live
Notion,Jane Doe,Marketing Ops,Wiki,Free plan,tbd,Live
Segment,Ann Poe,Data,CDP,,"Contacts, Events, Loyalty points",Pilot
"""


def test_title_rows_team_beats_person_and_both_descriptions_kept(tmp_path):
    (tmp_path / "tools.csv").write_text(INVENTORY, encoding="utf-8")
    result, inv = imported("csv", [tmp_path / "tools.csv"], tmp_path / "out")
    assert sorted(inv.systems) == ["hotjar", "hubspot", "notion", "segment"]
    assert {s.owner for s in inv.systems.values()} == {"Marketing Ops", "Digital", "Data"}  # teams, not people
    assert inv.systems["hubspot"].description == "Marketing automation"
    notes = [n.split(": ", 1)[1] if "tools.csv" in n.split(": ", 1)[0] else n for n in result.draft.notes]
    assert "the header is row 3: the 2 rows above it are skipped" in notes
    assert "columns 'Team' and 'Business owner' both mean 'owner': 'Team' is used (a team beats a person), " \
           "'Business owner' is kept under x-csv" in notes
    assert "columns 'Description' and 'Notes' both mean 'description': 'Description' is used, 'Notes' is kept " \
           "under x-csv" in notes
    assert "      Business owner: Jane Doe\n      Notes: Renewal in May\n" in result.text


def test_free_text_in_the_data_column_never_becomes_categories(tmp_path):
    (tmp_path / "tools.csv").write_text(INVENTORY, encoding="utf-8")
    result, inv = imported("csv", [tmp_path / "tools.csv"], tmp_path / "out")
    assert "data_categories:" not in result.text  # nothing defined, so nothing invented
    assert inv.systems["hubspot"].data == ["contact", "lead"]
    assert inv.systems["hotjar"].data == []
    assert inv.systems["notion"].data == []
    assert inv.systems["segment"].data == ["contact", "behavioral"]
    [note] = [n for n in result.draft.notes if "not a data category" in n]
    assert note.split(": ", 1)[1] == (
        "4 values in the data column of 3 rows are not a data category ('no personal data will be collected', "
        "'only aggregated usage', 'tbd', 'Loyalty points'): not made into categories; the cells are kept under "
        "x-csv. Map a value with --data-map 'VALUE=CATEGORY' or define it in a data categories sheet")
    assert '      Personal data: "Contacts, Events, Loyalty points"' in result.text


def test_data_map_maps_cell_values(tmp_path):
    (tmp_path / "tools.csv").write_text(INVENTORY, encoding="utf-8")
    result, inv = imported("csv", [tmp_path / "tools.csv"], tmp_path / "out",
                           ImportOptions({"loyalty points": "loyalty", "TBD": "contact", "nothing": "x"}))
    assert inv.systems["segment"].data == ["contact", "behavioral", "loyalty"]
    assert inv.systems["notion"].data == ["contact"]
    assert inv.data_categories["loyalty"] is True  # named by the user, so defined
    assert "--data-map: 'nothing': no data cell has this value (compared ignoring case)" in result.draft.notes


@pytest.mark.parametrize(("data", "why"), [
    ("\ufeffname\nCRM\n".encode("utf-16-le")[:-1], "an odd number of bytes"),
    (b"\xff\xfe" + "name\n".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le"),
     "a broken character (a lone surrogate) at byte 12"),
])
def test_broken_utf16_is_a_clear_error(tmp_path, data, why):
    (tmp_path / "systems.csv").write_bytes(data)
    with pytest.raises(InputError) as caught:
        run("csv", [tmp_path / "systems.csv"])
    assert caught.value.problems[0].endswith(f"systems.csv: not valid UTF-16 ({why}): save the sheet again, "
                                             "as CSV UTF-8")


def test_a_group_column_is_part_of(tmp_path):
    (tmp_path / "systems.csv").write_text("Tool,Domain\nHubSpot,Marketing / Web\nCanva,\n")
    _, inv = imported("csv", [tmp_path / "systems.csv"], tmp_path / "out")
    assert (inv.systems["hubspot"].part_of, inv.systems["canva"].part_of) == ("Marketing / Web", None)


def test_saas_management_export_with_people_only_as_owners(tmp_path):
    (tmp_path / "apps.csv").write_text(
        "App Name,Vendor Name,Owner Email,Status,Annual Spend,Sanctioned\n"
        "Miro,Miro,jane@example.com,Sanctioned,\"$12,000\",yes\n"
        "Grammarly,Grammarly,john@example.com,Unsanctioned,0,no\n")
    result, inv = imported("csv", [tmp_path / "apps.csv"], tmp_path / "out")
    assert {s.id: (s.vendor, s.owner, s.lifecycle, s.annual_cost, s.it_reviewed) for s in inv.systems.values()} == {
        "miro": ("Miro", "jane@example.com", "active", 12000.0, True),
        "grammarly": ("Grammarly", "john@example.com", "active", 0.0, False)}
    assert any(n.endswith(":1: owner is read from 'Owner Email', a column of people: stackmap's owner is the "
                          "owning team; add a team column or edit the owners") for n in result.draft.notes)


def test_utf16_without_byte_order_mark(tmp_path):
    (tmp_path / "systems.csv").write_bytes("name;vendor\nCafé CRM;Acme\n".encode("utf-16-le"))
    _, inv = imported("csv", [tmp_path / "systems.csv"], tmp_path / "out")
    assert inv.systems["cafe-crm"].name == "Café CRM"


def test_names_protected_from_spreadsheet_formulas_round_trip(tmp_path):
    _, first = imported("csv", [FIXTURES / "canonical"], tmp_path / "a")
    hostile = {"=cmd|' /C calc'!A0", "@SUM(A1)", "+1 shop", "-minus"}
    systems = dict(first.systems)
    for (sid, system), name in zip(sorted(systems.items()), sorted(hostile)):
        systems[sid] = system.model_copy(update={"name": name})
    files = export_files(dataclasses.replace(first, systems=systems))
    assert all(f"'{name}" in files["systems.csv"] for name in hostile)
    out = tmp_path / "sheets"
    out.mkdir()
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    _, second = imported("csv", [out], tmp_path / "b")
    assert {s.name for s in second.systems.values()} >= hostile
