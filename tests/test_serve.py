"""``stackmap serve``: the live preview, through the real command, and in headless Chromium."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from browser import launch, playwright, require_browser

CRM = """\
systems:
  - id: crm
    name: CRM
    owner: sales
    roles: [system-of-record]
    data: [contact]
    it_reviewed: true
  - id: esp
    name: Email
    owner: marketing
    data: [contact]
    it_reviewed: true
flows:
  - {from: crm, to: esp, data: [contact]}
"""


@contextlib.contextmanager
def serving(cwd: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``stackmap serve ARGS`` running in ``cwd``, and its URL."""
    # A job a shell started in the background inherits SIGINT ignored (as CI runners may), and Python then
    # never turns Ctrl-C into KeyboardInterrupt: give the server the default action, as a terminal would.
    proc = subprocess.Popen([sys.executable, "-m", "stackmap", "serve", *args, "--title", "Preview"],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("stackmap: serving http://127.0.0.1:"), line + (proc.stderr.read() if proc.stderr else "")
        yield proc, line.split()[2]
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "crm.yaml").write_text(CRM, encoding="utf-8")
    with serving(tmp_path, "inv") as (proc, url):
        yield proc, url, tmp_path / "inv" / "crm.yaml"


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, shown: Callable[[str], bool], seconds: float = 10) -> str:
    """The page once ``shown(page)`` holds (polled); the last page otherwise, for the assertion."""
    deadline = time.monotonic() + seconds
    page = get(url)
    while not shown(page) and time.monotonic() < deadline:
        time.sleep(0.1)
        page = get(url)
    return page


def test_get_serves_the_current_page_without_javascript(server: tuple[subprocess.Popen[str], str, Path]) -> None:
    proc, url, crm = server
    page = get(url)
    assert "<title>Preview</title>" in page and "Email" in page and "stackmap-preview-banner" not in page
    crm.write_text(CRM.replace("name: Email", "name: Newsletter tool"), encoding="utf-8")
    deadline = time.monotonic() + 10
    while "Newsletter tool" not in page and time.monotonic() < deadline:
        time.sleep(0.1)
        page = get(url)
    assert "Newsletter tool" in page
    crm.write_text("systems:\n  - id: crm\n    name: [CRM\n", encoding="utf-8")
    while "stackmap-preview-banner" not in page and time.monotonic() < deadline + 10:
        time.sleep(0.1)
        page = get(url)
    assert "The inventory is invalid" in page and "Newsletter tool" in page  # the last good picture
    assert "inv/crm.yaml:4:1: invalid YAML: did not find expected" in page


LEGACY = "systems:\n  - {id: legacy, name: Legacy tool, owner: ops, it_reviewed: true}\n"
ROW = '<tr data-rule="isolated-system" data-severity="warning" data-status="{}">'
BANNER = "stackmap-preview-banner"


def test_saving_the_configuration_or_the_waivers_applies_them(tmp_path: Path) -> None:
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "crm.yaml").write_text(CRM, encoding="utf-8")
    (tmp_path / "inv" / "legacy.yaml").write_text(LEGACY, encoding="utf-8")  # an isolated-system warning
    config, waivers = tmp_path / ".stackmap.yaml", tmp_path / ".stackmap-waivers.yaml"
    with serving(tmp_path, "inv") as (_, url):
        assert ROW.format("new") in get(url)
        waivers.write_text("waivers:\n  - {rule: isolated-system, target: legacy, reason: kept for audits, "
                           "expires: 2099-12-31}\n", encoding="utf-8")  # created while serving
        assert ROW.format("waived") in wait_for(url, lambda p: ROW.format("waived") in p)
        config.write_text("rules:\n  isolated-system: off\n", encoding="utf-8")
        page = wait_for(url, lambda p: 'data-rule="isolated-system"' not in p)
        assert 'data-rule="isolated-system"' not in page and BANNER not in page
        config.write_text("rules:\n  isolated-sytem: off\n", encoding="utf-8")
        page = wait_for(url, lambda p: BANNER in p)
        assert "The configuration is invalid: this page shows the last valid version." in page
        assert ".stackmap.yaml:2:3: rules.isolated-sytem: unknown key &#x27;isolated-sytem&#x27; (did you mean " \
               "&#x27;isolated-system&#x27;?)" in page
        assert "Legacy tool" in page and 'data-rule="isolated-system"' not in page  # the last good picture
        (tmp_path / "inv" / "crm.yaml").write_text(CRM.replace("name: Email", "name: Newsletter"), encoding="utf-8")
        time.sleep(0.5)
        assert "The configuration is invalid" in get(url)  # an inventory edit keeps the banner up
        saved = tmp_path / "config.tmp"  # saved as many editors do: a new file renamed over the old one
        saved.write_text("rules:\n  isolated-system: error\n", encoding="utf-8")
        os.replace(saved, config)
        page = wait_for(url, lambda p: BANNER not in p)
        assert BANNER not in page and "Newsletter" in page
        assert '<tr data-rule="isolated-system" data-severity="error" data-status="waived">' in page


def test_configured_paths_that_change_are_loaded_and_watched(tmp_path: Path) -> None:
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "crm.yaml").write_text(CRM, encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "legacy.yaml").write_text(LEGACY, encoding="utf-8")
    config = tmp_path / ".stackmap.yaml"
    config.write_text("paths: [inv]\n", encoding="utf-8")
    with serving(tmp_path) as (_, url):  # no PATH: the configuration's
        assert "Email" in get(url) and "Legacy tool" not in get(url)
        config.write_text("paths: [other]\n", encoding="utf-8")
        page = wait_for(url, lambda p: "Legacy tool" in p)
        assert "Legacy tool" in page and "Email" not in page and BANNER not in page
        (tmp_path / "other" / "legacy.yaml").write_text(LEGACY.replace("Legacy tool", "Archive tool"),
                                                        encoding="utf-8")
        assert "Archive tool" in wait_for(url, lambda p: "Archive tool" in p)  # the new path is watched
        (tmp_path / "inv" / "crm.yaml").write_text(CRM.replace("name: Email", "name: Newsletter"), encoding="utf-8")
        config.write_text("paths: [missing]\n", encoding="utf-8")
        page = wait_for(url, lambda p: BANNER in p)
        assert "The inventory is invalid" in page and "Archive tool" in page
        config.write_text("paths: [inv]\n", encoding="utf-8")
        page = wait_for(url, lambda p: "Newsletter" in p)
        assert "Newsletter" in page and "Archive tool" not in page and BANNER not in page


def test_ctrl_c_stops_cleanly(server: tuple[subprocess.Popen[str], str, Path]) -> None:
    proc, url, _ = server
    get(url)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)  # reads both pipes while waiting: a full pipe cannot stall the exit
    assert proc.returncode == 0
    assert err == "stackmap: stopped\n"


def test_the_port_is_checked(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "stackmap", "serve", "inv", "--port", "70000"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == "stackmap: --port 70000: expected a port number from 0 to 65535\n"


def test_the_browser_follows_edits_within_two_seconds(
        server: tuple[subprocess.Popen[str], str, Path], tmp_path: Path) -> None:
    require_browser()
    _, url, crm = server
    requests: list[str] = []
    with playwright() as driver:
        context = launch(driver, tmp_path / "profile")
        try:
            context.on("request", lambda request: requests.append(request.url))
            page = context.new_page()
            page.goto(url)
            page.locator("text=Email").first.wait_for(state="attached")
            time.sleep(0.5)  # the event stream is open
            crm.write_text(CRM.replace("name: Email", "name: Newsletter tool"), encoding="utf-8")
            start = time.monotonic()
            page.locator("text=Newsletter tool").first.wait_for(state="attached", timeout=2_000)
            seconds = time.monotonic() - start
            assert seconds < 2
            time.sleep(0.5)
            crm.write_text(CRM.replace("name: Email", "name: [Email"), encoding="utf-8")
            page.wait_for_selector("#stackmap-preview-banner", state="attached", timeout=2_000)
            assert page.locator("text=Newsletter tool").count() > 0
        finally:
            context.close()
    assert requests and all(r.startswith(url.rstrip("/")) for r in requests), requests
    assert os.path.exists(crm)
