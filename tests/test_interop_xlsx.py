"""``stackmap import xlsx``: workbooks built here with openpyxl, with the constructs of real inventories."""

import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from interop_helpers import imported, stackmap

from stackmap.interop import InputError
from stackmap.interop.draft import ImportOptions
from stackmap.interop.importing import run


def workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    readme = book.active
    readme.title = "README"
    readme["A1"] = "Marketing tool inventory. Owner: Jane Doe. Updated monthly."
    apps = book.create_sheet("Applications")
    apps["A1"] = "Tool"
    apps.merge_cells("A1:A2")  # a header merged over two rows: its name is in the row above
    apps["B1"] = "Ownership"
    apps.merge_cells("B1:C1")  # a group header above two columns
    apps["B2"], apps["C2"] = "Business owner", "Team"
    apps["D2"], apps["E2"], apps["F2"], apps["G2"] = "Personal data", "Annual cost", "Renewal", "Status"
    rows = [
        ("HubSpot", "Jane Doe", "Marketing Ops", "Contacts; Leads", 145000.0, dt.datetime(2025, 5, 1), "Live"),
        ("Hotjar", "John Roe", "Digital", "no personal data will be collected", 1200, None, "Pilot"),
        ("Notion", "Jane Doe", "Marketing Ops", "tbd", 0, dt.datetime(2025, 1, 31), "Live"),
    ]
    for i, row in enumerate(rows, start=3):
        for j, value in enumerate(row):
            apps.cell(row=i, column=j + 1, value=value)
    flows = book.create_sheet("Integrations")
    flows.append(["Source", "Target", "Method", "Data"])
    flows.append(["Hotjar", "HubSpot", "Zapier", "Events"])
    pivot = book.create_sheet("Pivot")
    pivot.append([None, 2023, 2024])
    pivot.append(["Total", 100, 200])
    book.save(path)
    return path


def test_workbook_sheets_merged_headers_types_and_notes(tmp_path):
    path = workbook(tmp_path / "tools.xlsx")
    result, inv = imported("xlsx", [path], tmp_path / "out")
    assert {s.id: (s.name, s.owner, s.annual_cost, s.lifecycle) for s in inv.systems.values()} == {
        "hubspot": ("HubSpot", "Marketing Ops", 145000.0, "active"),
        "hotjar": ("Hotjar", "Digital", 1200.0, "planned"),
        "notion": ("Notion", "Marketing Ops", 0.0, "active"),
    }
    assert inv.systems["hubspot"].data == ["contact", "lead"]
    assert inv.systems["hotjar"].data == [] and inv.systems["notion"].data == []
    assert [(f.from_, f.to, f.mechanism, f.data) for f in inv.flows] == [("hotjar", "hubspot", "ipaas", ["behavioral"])]
    notes = [n.split("]", 1)[1] if "]" in n.split(": ", 1)[0] else n for n in result.draft.notes]
    assert ":1: not a stackmap sheet: name it systems or flows, or give it a name column (systems) or from and " \
           "to columns (flows): skipped" in notes  # README
    assert ":2: the header is row 2: the 1 row above it is skipped" in notes
    assert ":2: columns 'Team' and 'Business owner' both mean 'owner': 'Team' is used (a team beats a person), " \
           "'Business owner' is kept under x-csv" in notes
    assert any(n.endswith("2 values in the data column of 2 rows are not a data category ('no personal data will "
                          "be collected', 'tbd'): not made into categories; the cells are kept under x-csv. Map a "
                          "value with --data-map 'VALUE=CATEGORY' or define it in a data categories sheet")
               for n in result.draft.notes)
    assert '      Renewal: "2025-05-01"' in result.text
    assert "tools.xlsx[Applications]:3" in result.text


def test_sheet_option_reads_one_sheet_and_names_the_others(tmp_path):
    path = workbook(tmp_path / "tools.xlsx")
    _, inv = imported("xlsx", [path], tmp_path / "out", ImportOptions(sheet="Applications"))
    assert sorted(inv.systems) == ["hotjar", "hubspot", "notion"] and inv.flows == []
    with pytest.raises(InputError) as caught:
        run("xlsx", [path], ImportOptions(sheet="Apps"))
    assert caught.value.problems[0].endswith(
        "--sheet 'Apps': no sheet has this name (the sheets are 'README', 'Applications', 'Integrations', 'Pivot')")


def test_cli_and_files_that_are_not_workbooks(tmp_path):
    workbook(tmp_path / "tools.xlsx")
    done = stackmap("import", "xlsx", "tools.xlsx", "-o", "inv", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == "wrote inv/xlsx.yaml: 3 systems, 1 flow"
    assert stackmap("check", "inv", "--fail-on", "never", cwd=tmp_path).returncode == 0
    (tmp_path / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    done = stackmap("import", "xlsx", "old.xlsx", "-o", "inv2", cwd=tmp_path)
    assert (done.returncode, done.stdout.splitlines()[0]) == (
        1, "old.xlsx: not an Excel .xlsx workbook (an old .xls workbook? save it as .xlsx)")
