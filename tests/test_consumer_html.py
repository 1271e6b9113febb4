"""The HTML report as its readers take it: the W3C Nu HTML checker (``vnu-jar`` from npm, run on
Debian's Java) finds no error and no warning, and headless Chromium runs the page's own scripts
under its Content-Security-Policy (which allows those two scripts by hash and nothing else), shows
every system's name as written, runs no injected script and reports no CSP violation. For the
sample, a generated 300-system stack and the hostile-name stack (tests/hostile.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import Recorder, launch, playwright, require_browser
from hostile import CONSUMERS, NAMES, ROOT, display, require, stacks

VNU = CONSUMERS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("html")
    out = {}
    env = {**os.environ, "STACKMAP_TODAY": "2025-06-30"}
    for label, folder in stacks(tmp).items():
        done = subprocess.run([sys.executable, "-m", "stackmap", "report", str(folder), "-o", str(tmp / f"r-{label}"),
                               "--format", "html", "--title", f"{label} <b>&amp; ${{PATH}}"], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=False, timeout=600)
        assert done.returncode == 0, done.stderr
        out[label] = tmp / f"r-{label}" / "index.html"
    return out


def nu_messages(paths: list[Path]) -> list[str]:
    require("the Nu HTML checker", VNU.is_file() and shutil.which("java") is not None,
            "make consumer-tools: vnu-jar from npm and a Java runtime")
    done = subprocess.run(["java", "-jar", str(VNU), "--format", "json", *map(str, paths)],
                          capture_output=True, text=True, check=False, timeout=600)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['type']}/{m.get('subType', '')}: {m['message']}"
            for m in messages if m["type"] == "error" or m.get("subType") == "warning"]


def test_the_nu_checker_finds_no_error_or_warning(reports):
    assert nu_messages(list(reports.values())) == []


def test_the_nu_checker_can_fail(tmp_path):
    """The report's old way with a carriage return in a name: ``&#13;`` in an attribute."""
    page = tmp_path / "old.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title></head><body>'
                    '<p title="Line one&#13;&#10;Line two">x</p></body></html>', encoding="utf-8")
    assert "A numeric character reference expanded to carriage return." in [m.split(": ", 2)[-1] for m in nu_messages([page])]


def test_the_policy_allows_only_the_pages_own_scripts(reports):
    text = reports["hostile"].read_text(encoding="utf-8")
    (policy,) = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text)
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src")).split()[1:]
    assert "'unsafe-inline'" not in script_src and len(script_src) == 3
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", s) for s in script_src)
    assert "\r" not in text and "&#13;" not in text


@pytest.mark.parametrize("stack", ["sample", "generated", "hostile"])
def test_chromium_runs_the_page_and_shows_every_name(reports, stack, tmp_path):
    require_browser()
    with playwright() as p:
        context = launch(p, tmp_path / "profile")
        try:
            page = context.new_page()
            recorder = Recorder(page)
            violations: list[str] = []
            page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto(reports[stack].as_uri())
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.className") == "js"  # the head's script ran
            assert page.locator(".toolbar.js-only").first.is_visible() or stack != "sample"  # report.js ran
            page.evaluate("window.__injected = window.__injected || 0")
            text = page.evaluate("document.body.innerText")
            html_title = page.title()
        finally:
            context.close()
    assert recorder.errors == [] and recorder.dialogs == [] and violations == []
    assert recorder.foreign == []
    assert html_title.startswith(f"{stack} <b>&amp; ${{PATH}}")
    if stack == "hostile":
        flat = " ".join(text.split())
        assert [n for n in NAMES.values() if display(n) not in flat] == []
