"""`stackmap report` end to end: files written, formats, errors, Graphviz missing, determinism."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")

FILES = {
    "team-a.yaml": """\
        systems:
          - {id: crm, name: CRM, owner: sales, capabilities: [crm], data: [contact], roles: [system-of-record],
             annual_cost: 100000, it_reviewed: true}
          - {id: mailer, name: Mailer, owner: marketing, capabilities: [email-marketing], data: [contact],
             annual_cost: 12000, it_reviewed: true}
        flows:
          - {from: crm, to: mailer, data: [contact], mechanism: api}
    """,
    "team-b.yaml": """\
        systems:
          - {id: sender, name: Sender, owner: marketing, capabilities: [email-marketing], data: [contact],
             annual_cost: 3000, it_reviewed: false}
        flows:
          - {from: sender, to: crm, data: [contact], mechanism: file}
    """,
}


def run(cwd, *args, path=None):
    env = dict(os.environ)
    env["STACKMAP_TODAY"] = "2025-06-30"
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "stackmap", "report", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


@pytest.fixture
def stack(tmp_path):
    write(tmp_path / "inv", FILES)
    return tmp_path


def contents(folder):
    return {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir())}


@needs_dot
def test_writes_the_markdown_the_html_and_the_svgs(stack):
    done = run(stack, "inv", "-o", "out", "--title", "Northwind")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "wrote out/overview.svg, out/customer-data.svg, out/report.md, out/index.html\n"
    assert sorted(p.name for p in (stack / "out").iterdir()) == [
        "customer-data.svg", "index.html", "overview.svg", "report.md"]
    assert (stack / "out" / "report.md").read_text(encoding="utf-8").startswith("# Northwind\n\n| Systems |")
    assert (stack / "out" / "overview.svg").read_text(encoding="utf-8").startswith("<?xml")
    page = (stack / "out" / "index.html").read_text(encoding="utf-8")
    assert "<title>Northwind</title>" in page and page.count("<svg") == 2


@needs_dot
@pytest.mark.parametrize(("fmt", "names"), [
    ("html", ["index.html"]),
    ("markdown", ["customer-data.svg", "overview.svg", "report.md"]),
])
def test_one_format(stack, fmt, names):
    done = run(stack, "inv", "-o", "out", "--format", fmt)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (stack / "out").iterdir()) == names


def test_without_graphviz_the_report_is_written_with_a_note(stack):
    done = run(stack, "inv", "-o", "out", path=str(stack / "no-bin"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        "note: no SVG diagrams: Graphviz's dot program was not found on PATH, so there are no SVG diagrams. "
        "Install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; Fedora: sudo dnf install graphviz; "
        "macOS: brew install graphviz; Windows: winget install graphviz) and run stackmap report again.\n"
        "wrote out/report.md, out/index.html\n")
    assert sorted(p.name for p in (stack / "out").iterdir()) == ["index.html", "report.md"]
    assert (stack / "out" / "report.md").read_text(encoding="utf-8").count("```mermaid") == 2
    assert "<strong>No diagrams:</strong>" in (stack / "out" / "index.html").read_text(encoding="utf-8")


def test_same_inventory_same_bytes_whatever_the_file_order(tmp_path):
    write(tmp_path / "one", FILES)
    write(tmp_path / "two", dict(reversed(FILES.items())))  # written (and so listed by the OS) the other way
    for name in ("one", "two"):
        done = run(tmp_path / name, ".", "-o", "out")
        assert done.returncode == 0, done.stderr
    again = run(tmp_path / "one", ".", "-o", "again")
    assert again.returncode == 0, again.stderr
    first = contents(tmp_path / "one" / "out")
    assert first == contents(tmp_path / "two" / "out") == contents(tmp_path / "one" / "again")
    assert b"stackmap" in first["index.html"]


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "out", "--format", "htm"], "unknown --format 'htm' (did you mean 'html'?); valid values: both, html, "
                                       "markdown\n"),
    (["-o", "inv/team-a.yaml"], "inv/team-a.yaml is a file; -o names the folder to write the report into\n"),
])
def test_bad_choices_exit_2(stack, args, message):
    done = run(stack, "inv", *args)
    assert done.returncode == 2
    assert done.stderr == f"stackmap: {message}"
    assert not (stack / "out").exists()


def test_output_folder_is_required(stack):
    done = run(stack, "inv")
    assert done.returncode == 2
    assert "Missing option '--output'" in done.stderr


def test_invalid_inventory_exits_1_and_writes_nothing(tmp_path):
    write(tmp_path, {"stack.yaml": "systems:\n  - {id: a, name: A}\nflows:\n  - {from: a, to: b}\n"})
    done = run(tmp_path, "stack.yaml", "-o", "out")
    assert done.returncode == 1
    assert "stack.yaml:4:" in done.stderr and "'b'" in done.stderr
    assert not (tmp_path / "out").exists()


def test_configuration_applies(stack):
    write(stack, {".stackmap.yaml": """\
        rules:
          duplicate-capability: {enabled: false}
    """})
    done = run(stack, "inv", "-o", "out", "--format", "markdown", path=str(stack / "no-bin"))
    assert done.returncode == 0, done.stderr
    text = (stack / "out" / "report.md").read_text(encoding="utf-8")
    assert "`duplicate-capability`" not in text.split("## Diagrams")[0]


def test_command_and_library_agree_on_the_formats():
    from stackmap.commands.report import FORMATS
    from stackmap.report import FORMATS as LIBRARY

    assert FORMATS == LIBRARY


def test_an_empty_title_is_a_usage_error(stack):
    done = run(stack, "inv", "-o", "out", "--title", " ")
    assert done.returncode == 2
    assert done.stderr == "stackmap: --title must not be empty\n"
    assert not (stack / "out").exists()


@needs_dot
def test_a_summary_comes_with_every_detail_view_safely_named_and_linked(tmp_path):
    owners = ["../../etc", "Ops & <b>Data</b>", "ops-data", "web"]
    systems = "".join(f"  - {{id: s{i}, name: System {i}, owner: {owners[i % 4]!r}, data: [content]}}\n"
                      for i in range(80))
    flows = "".join(f"  - {{from: s{i}, to: s{(i + 1) % 80}, data: [content]}}\n" for i in range(80))
    (tmp_path / "stack.yaml").write_text(f"systems:\n{systems}flows:\n{flows}", encoding="utf-8")
    done = run(tmp_path, "stack.yaml", "-o", "out")
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["customer-data.svg", "index.html", "overview.svg", "owner-etc.svg", "owner-ops-b-data-b.svg",
                       "owner-ops-data.svg", "owner-web.svg", "report.md"]
    assert not (tmp_path / "etc").exists()
    page = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert ("these detail views, one SVG each, show every system: [Owner: ../../etc](owner-etc.svg), "
            "[Owner: Ops &amp; &lt;b&gt;Data&lt;/b&gt;](owner-ops-b-data-b.svg)") in page
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<a href="#diagram-owner-web-caption">Owner: web</a>' in html
    assert 'id="diagram-owner-web-caption"' in html
