"""`stackmap render` end to end: formats, output, errors, and Graphviz missing from PATH."""

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from helpers import write

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")

STACK = """
    systems:
      - {id: crm, name: CRM, owner: sales, roles: [system-of-record], data: [contact]}
      - {id: mailer, name: Mailer, owner: marketing, data: [contact]}
    flows:
      - {from: crm, to: mailer, data: [contact]}
"""


def run(tmp_path, *args, path=None):
    env = dict(os.environ)
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "stackmap", "render", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=False)


@pytest.fixture
def stack(tmp_path):
    write(tmp_path, {"stack.yaml": STACK})
    return tmp_path


def test_dot_to_stdout(stack):
    done = run(stack, "stack.yaml", "-o", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("digraph stackmap {\n")
    assert '"crm" -> "mailer"' in done.stdout


def test_format_from_extension_and_atomic_file(stack):
    done = run(stack, "stack.yaml", "-o", "out/diagram.mmd")
    assert done.returncode == 0, done.stderr
    assert (stack / "out" / "diagram.mmd").read_text(encoding="utf-8").splitlines()[3] == "flowchart TB"
    assert done.stderr == "wrote out/diagram.mmd (mermaid, 2 systems)\n"
    assert sorted(p.name for p in (stack / "out").iterdir()) == ["diagram.mmd"]


@needs_dot
def test_svg_file_parses_as_xml(stack):
    done = run(stack, "stack.yaml", "-o", "d.svg", "--view", "customer-data")
    assert done.returncode == 0, done.stderr
    root = ET.parse(stack / "d.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert {"system_crm", "system_mailer"} <= {e.get("id") for e in root.iter()}


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "d.svg", "--format", "mermiad"], "unknown format 'mermiad' (did you mean 'mermaid'?); choose one "
                                             "of: svg, png, pdf, dot, mermaid"),
    (["-o", "d.txt"], "cannot tell the format of 'd.txt' (extension '.txt'): give --format"),
    (["-o", "-", "--format", "png"], "png is binary and cannot go to standard output"),
    (["-o", "d.svg", "-f", "png"], "--format png does not match the extension of 'd.svg' (.svg is svg); "
                                   "name the file *.png or leave out --format"),
    (["-o", "d.dot", "--format", "mermaid"], "--format mermaid does not match the extension of 'd.dot' "
                                             "(.dot is dot); name the file *.mmd"),
    (["-o", "d.dot", "--engine", "sfpd"], "unknown engine 'sfpd' (did you mean 'sfdp'?); choose one of: auto, "
                                          "dot, sfdp, neato"),
    (["-o", "d.dot", "--group-by", "owners"], "unknown --group-by value 'owners' (did you mean 'owner'?)"),
    (["-o", "d.dot", "--view", "system:crn"], "no system has the id 'crn'"),
    (["-o", "d.dot", "--width", "100"], "--width must be at least 200 px, not 100"),
])
def test_bad_choices_exit_2_with_the_valid_values(stack, args, message):
    done = run(stack, "stack.yaml", *args)
    assert done.returncode == 2
    assert done.stderr.startswith(f"stackmap: {message}")
    assert not (stack / "d.svg").exists() and not (stack / "d.dot").exists()


def test_explicit_format_with_an_unknown_or_matching_extension(stack):
    done = run(stack, "stack.yaml", "-o", "d.txt", "-f", "dot")
    assert done.returncode == 0, done.stderr
    assert (stack / "d.txt").read_text(encoding="utf-8").startswith("digraph stackmap {")
    done = run(stack, "stack.yaml", "-o", "d.GV", "--format", "dot")
    assert done.returncode == 0, done.stderr


def test_invalid_inventory_exits_1_with_its_problems(tmp_path):
    write(tmp_path, {"stack.yaml": "systems:\n  - {id: a, name: A}\nflows:\n  - {from: a, to: b}\n"})
    done = run(tmp_path, "stack.yaml", "-o", "d.dot")
    assert done.returncode == 1
    assert "stack.yaml:4:" in done.stderr and "no system has the id 'b'" in done.stderr
    assert not (tmp_path / "d.dot").exists()


def test_without_graphviz_dot_and_mermaid_work_and_svg_says_how_to_install(stack):
    empty = stack / "empty-path"
    empty.mkdir()
    for name in ("d.dot", "d.mmd"):
        done = run(stack, "stack.yaml", "-o", name, path=str(empty))
        assert done.returncode == 0, done.stderr
    for name in ("d.svg", "d.png", "d.pdf"):
        done = run(stack, "stack.yaml", "-o", name, path=str(empty))
        assert done.returncode == 2
        assert "Graphviz's `dot` program is needed" in done.stderr
        assert "sudo apt-get install graphviz" in done.stderr and "brew install graphviz" in done.stderr
        assert not (stack / name).exists()


def test_render_reads_the_configuration(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "stack.yaml").write_text(
        "systems:\n"
        "  - {id: cdp, name: CDP, roles: [customer-master], data: [contact]}\n"
        "  - {id: app, name: App, data: [contact]}\n"
        "flows:\n"
        "  - {from: app, to: cdp, data: [contact]}\n", encoding="utf-8")
    plain = run(tmp_path, "stack.yaml", "-o", "-")
    assert plain.returncode == 0 and "SYSTEM OF RECORD" not in plain.stdout
    (tmp_path / ".stackmap.yaml").write_text("options:\n  record_roles: [customer-master]\n", encoding="utf-8")
    configured = run(tmp_path, "stack.yaml", "-o", "-")
    assert configured.returncode == 0
    assert configured.stdout.count("SYSTEM OF RECORD") == 2  # the node and its legend entry
