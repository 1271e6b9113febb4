"""Untrusted names, owners and vendors reach no terminal raw and no spreadsheet as a formula."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stackmap.hints import safe_text, spreadsheet_safe

STACK = """\
systems:
  - id: crm
    name: "CRM\\e]8;;http://evil\\aclick\\e[2J\\u202Eexe.txt"
    owner: "=cmd|' /C calc'!A0"
    vendor: "@SUM(1+1)"
    capabilities: [crm]
    data: [contact]
    roles: [system-of-record]
    annual_cost: 1000
  - id: crm2
    name: "=HYPERLINK(\\"http://evil\\", \\"x\\")"
    owner: "@marketing-team\\nforged: line"
    vendor: "+1-555"
    capabilities: [crm]
    data: [contact]
    annual_cost: 500
flows:
  - from: crm2
    to: crm
    data: [contact]
"""
RAW = ("\x1b", "\x07", "\u202e")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "stackmap", *args], cwd=cwd, capture_output=True,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=120)


@pytest.fixture
def stack(tmp_path: Path) -> Path:
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "a.yaml").write_text(STACK, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("args", [
    ["spend", "inv"], ["spend", "inv", "--by", "vendor"], ["spend", "inv", "--by", "owner", "-f", "markdown"],
    ["impact", "crm", "inv"], ["rationalize", "inv"], ["rationalize", "inv", "-f", "markdown"],
])
def test_portfolio_text_and_markdown_escape_control_and_bidi_characters(stack: Path, args: list[str]) -> None:
    done = run(stack, *args)
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8")
    assert not any(c in out for c in RAW)
    assert "\nforged: line" not in out


def test_portfolio_markdown_does_not_mention_a_team(stack: Path) -> None:
    out = run(stack, "spend", "inv", "-f", "markdown").stdout.decode()
    assert "@marketing" not in out and "&#64;marketing-team" in out


def test_diff_text_escapes_names(stack: Path, tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "a.yaml").write_text("systems:\n  - id: other\n    name: Other\n", encoding="utf-8")
    done = run(stack, "diff", "old", "inv")
    out = done.stdout.decode("utf-8")
    assert "+ system crm (CRM\\x1b]8;;http://evil\\x07click\\x1b[2J\\u202eexe.txt)" in out
    assert not any(c in out for c in RAW)


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_spend_csv_cells_cannot_be_formulas(stack: Path) -> None:
    for by in ("owner", "vendor"):
        out = run(stack, "spend", "inv", "--by", by, "-f", "csv").stdout.decode()
        assert not any(c.startswith(("=", "+", "-", "@")) for c in cells(out)), out
    out = run(stack, "spend", "inv", "--by", "owner", "-f", "csv").stdout.decode()
    assert "'=cmd|' /C calc'!A0" in cells(out)


def test_export_csv_cells_cannot_be_formulas(stack: Path) -> None:
    done = run(stack, "export", "csv", "inv", "-o", "out")
    assert done.returncode == 0, done.stderr
    systems = cells((stack / "out" / "systems.csv").read_text(encoding="utf-8"))
    assert not any(c.startswith(("=", "+", "-", "@")) for c in systems)
    assert {"'=cmd|' /C calc'!A0", "'@SUM(1+1)", "'=HYPERLINK(\"http://evil\", \"x\")", "'+1-555"} <= set(systems)


@pytest.mark.parametrize(("text", "shown"), [
    ("a\x1bb", "a\\x1bb"), ("a\nb", "a\\x0ab"), ("\u202e", "\\u202e"), ("caf\udce9", "caf\\xe9"),
    ("plain ünïcode ✓", "plain ünïcode ✓"), ("\x85\u2028", "\\x85\\u2028"),
])
def test_safe_text(text: str, shown: str) -> None:
    assert safe_text(text) == shown
    assert safe_text(shown) == shown
    safe_text(text).encode("utf-8")


@pytest.mark.parametrize(("cell", "safe"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\uff1dx", "'\uff1dx"),
    ("a=b", "a=b"), ("", ""),
])
def test_spreadsheet_safe(cell: str, safe: str) -> None:
    assert spreadsheet_safe(cell) == safe


@pytest.mark.parametrize("fmt", ["text", "github", "markdown"])
def test_check_escapes_control_and_bidi_characters_in_names(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "a.yaml").write_text(
        'systems:\n  - {id: a, name: "Invoice\\u202Efdp.exe\\e[2J", owner: x, it_reviewed: true}\n'
        '  - {id: b, name: B, owner: x, it_reviewed: true}\n', encoding="utf-8")
    done = run(tmp_path, "check", "inv", "--fail-on", "never", "--format", fmt)
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8")
    assert "isolated-system" in out
    assert not any(raw in out for raw in RAW), out
    assert "Invoice\\u202efdp.exe" in out.replace("\\\\", "\\")  # shown, escaped (Markdown doubles \\)
