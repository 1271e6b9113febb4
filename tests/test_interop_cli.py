import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from interop_helpers import FIXTURES, stackmap


def test_import_then_check_then_export_csv_round_trip(tmp_path):
    shutil.copytree(FIXTURES / "canonical", tmp_path / "sheets")
    done = stackmap("import", "csv", "sheets", "-o", "inv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "wrote inv/csv.yaml: 6 systems, 5 flows, 1 data category defined"
    assert stackmap("check", "inv", "--fail-on", "never", cwd=tmp_path).returncode == 0
    done = stackmap("export", "csv", "inv", "-o", "back", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for name in ("systems.csv", "flows.csv", "capabilities.csv", "data_categories.csv"):
        assert (tmp_path / "back" / name).read_bytes() == (tmp_path / "sheets" / name).read_bytes()


def test_import_refuses_to_overwrite_without_force(tmp_path):
    shutil.copytree(FIXTURES / "canonical", tmp_path / "sheets")
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "csv.yaml").write_text("systems: []\n")
    done = stackmap("import", "csv", "sheets", "-o", "inv", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "stackmap: inv/csv.yaml exists: pass --force to overwrite it\n")
    assert stackmap("import", "csv", "sheets", "-o", "inv", "--force", cwd=tmp_path).returncode == 0
    assert "id: salesforce" in (tmp_path / "inv" / "csv.yaml").read_text()


def test_import_with_bad_rows_exits_1_and_writes_nothing(tmp_path):
    shutil.copytree(FIXTURES / "bad", tmp_path / "bad")
    done = stackmap("import", "csv", "bad", "-o", "inv", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == "bad/systems.csv:3: system id 'crm' is already used at bad/systems.csv:2"
    assert done.stdout.splitlines()[1] == "notes (7):"
    assert done.stdout.splitlines()[-1] == "import failed: 1 problem in the input; nothing written"
    assert not (tmp_path / "inv").exists()


def test_unknown_formats_suggest(tmp_path):
    done = stackmap("import", "backstag", "x", "-o", "out", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, "stackmap: unknown import format 'backstag' (did you mean 'backstage'?); choose one of archimate, backstage, csv, xlsx\n")
    done = stackmap("export", "graphm", "x", cwd=tmp_path)
    assert done.stderr == ("stackmap: unknown export format 'graphm' (did you mean 'graphml'?); "
                           "choose one of csv, cypher, graphml, json, structurizr\n")


def test_export_to_stdout_and_file(tmp_path):
    shutil.copytree(FIXTURES / "stack", tmp_path / "stack")
    to_stdout = stackmap("export", "structurizr", "stack", cwd=tmp_path)
    assert to_stdout.returncode == 0 and to_stdout.stdout.startswith("workspace ")
    done = stackmap("export", "cypher", "stack", "-o", "out/stack.cypher", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == ""
    assert (tmp_path / "out" / "stack.cypher").read_text().startswith("// A stackmap export")
    done = stackmap("export", "csv", "stack", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "stackmap: csv writes several files: name the folder with -o\n")


def test_export_of_invalid_inventory_exits_1(tmp_path):
    (tmp_path / "stack.yaml").write_text("systems:\n  - {id: a, name: A, lifecycle: gone}\n")
    done = stackmap("export", "json", "stack.yaml", cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("stack.yaml:2:")


def test_options_only_for_the_formats_that_read_them(tmp_path):
    done = stackmap("import", "backstage", ".", "-o", "out", "--data-map", "Customer=contact", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, "stackmap: --data-map applies to the archimate, csv and xlsx formats only\n")
    done = stackmap("import", "csv", ".", "-o", "out", "--lang", "nl", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "stackmap: --lang applies to the archimate format only\n")


def test_import_output_ends_with_counts_and_never_prints_control_characters(tmp_path):
    (tmp_path / "c.yaml").write_text(
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: web}\n'
        'spec: {owner: team, lifecycle: "\\x1b[31mbeta\\x07"}\n')
    done = stackmap("import", "backstage", "c.yaml", "-o", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "component:default/web: lifecycle '\\x1b[31mbeta\\x07' is not known: written as active" in done.stdout
    lines = done.stdout.splitlines()
    assert lines[-2] == "read 1 file, 1 entity (1 Component); 1 system, 0 flows"
    assert lines[-1] == "next: review it, then run `stackmap check out`"
