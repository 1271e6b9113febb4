"""SARIF's ``tool.driver.informationUri``: each source in its order, credentials dropped, bad values skipped.

Distributions are real ``*.dist-info`` folders in ``tmp_path``, read by ``importlib.metadata`` as an
installed package is.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import pytest
from ci_helpers import run
from helpers import write

from stackmap.formats.home_page import (
    ENV, env_problem, from_direct_url, from_env, https_url, information_uri,
)

HOME = "https://stackmap.example/docs"
REPO = "https://github.com/acme/stackmap"
VCS_INSTALL = json.dumps({"url": "https://github.com/acme/stackmap.git",
                          "vcs_info": {"vcs": "git", "requested_revision": "v1.2.0", "commit_id": "0" * 40}})


def dist(tmp: Path, project_urls: tuple[str, ...] = (), direct_url: str | None = None) -> metadata.Distribution:
    info = tmp / "stackmap-0.1.0.dist-info"
    info.mkdir()
    lines = ["Metadata-Version: 2.1", "Name: stackmap", "Version: 0.1.0",
             *(f"Project-URL: {entry}" for entry in project_urls)]
    (info / "METADATA").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if direct_url is not None:
        (info / "direct_url.json").write_text(direct_url, encoding="utf-8")
    return metadata.PathDistribution(info)


# --- precedence ------------------------------------------------------------------------------------


def test_the_environment_comes_first(tmp_path):
    d = dist(tmp_path, (f"Homepage, {HOME}",), VCS_INSTALL)
    assert information_uri({ENV: "https://ghe.example.com/tools/stackmap"}, d) == "https://ghe.example.com/tools/stackmap"


def test_then_the_home_page_in_the_package_metadata(tmp_path):
    d = dist(tmp_path, ("Changelog, https://stackmap.example/changes", f"Documentation, {HOME}"), VCS_INSTALL)
    assert information_uri({}, d) == HOME


def test_then_the_repository_of_a_vcs_install(tmp_path):
    assert information_uri({}, dist(tmp_path, direct_url=VCS_INSTALL)) == REPO


def test_otherwise_none(tmp_path):
    assert information_uri({}, dist(tmp_path)) is None


def test_a_bad_value_at_one_step_falls_through_to_the_next(tmp_path):
    d = dist(tmp_path, ("Homepage, http://stackmap.example",), VCS_INSTALL)
    assert information_uri({ENV: "github.com/acme/stackmap"}, d) == REPO


# --- STACKMAP_INFORMATION_URI ----------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("https://github.com/acme/stackmap", "https://github.com/acme/stackmap"),
    ("  https://github.com/acme/stackmap\n", "https://github.com/acme/stackmap"),
    ("HTTPS://GitHub.com/acme/stackmap", "https://GitHub.com/acme/stackmap"),
    ("https://x-access-token:ghs_secret@github.com/acme/stackmap", "https://github.com/acme/stackmap"),
    ("https://ghs_secret@ghe.example.com:8443/acme/stackmap?tab=readme#usage",
     "https://ghe.example.com:8443/acme/stackmap?tab=readme#usage"),
    ("https://[2001:db8::1]/stackmap", "https://[2001:db8::1]/stackmap"),
])
def test_the_variable_is_used_without_credentials(value, expected):
    assert from_env({ENV: value}) == expected
    assert env_problem({ENV: value}) is None


@pytest.mark.parametrize(("value", "reason"), [
    ("http://github.com/acme/stackmap", "it is not an https:// URL"),
    ("github.com/acme/stackmap", "it is not an https:// URL"),
    ("git+https://github.com/acme/stackmap", "it is not an https:// URL"),
    ("ssh://git@github.com/acme/stackmap", "it is not an https:// URL"),
    ("https://", "it names no host"),
    ("https:///acme/stackmap", "it names no host"),
    ("https://token@/acme", "it names no host"),
    ("https://github.com:99999/acme", "it is not a URL"),
    ("https://github.com:port/acme", "it is not a URL"),
    ("https://[::1/acme", "it is not a URL"),
    ("https://github.com/acme stackmap", "it holds spaces, control or non-ASCII characters"),
    ("https://github.com/acme/\x1b[31mstackmap", "it holds spaces, control or non-ASCII characters"),
    ("https://exämple.com/stackmap", "it holds spaces, control or non-ASCII characters"),
])
def test_a_bad_value_is_skipped_with_the_reason(value, reason):
    assert from_env({ENV: value}) is None
    assert env_problem({ENV: value}) == f"{ENV} is not used for SARIF's informationUri: {reason}"


def test_unset_or_empty_is_no_problem():
    assert from_env({}) is None and env_problem({}) is None
    assert from_env({ENV: " "}) is None and env_problem({ENV: " "}) is None


def test_the_reason_never_repeats_the_value():
    problem = env_problem({ENV: "http://user:ghp_secret@github.com/acme/stackmap"})
    assert problem and "secret" not in problem and "github.com" not in problem


# --- direct_url.json (PEP 610) ---------------------------------------------------------------------


def _vcs(url: object, **extra: object) -> str:
    return json.dumps({"url": url, "vcs_info": {"vcs": "git", "commit_id": "0" * 40}, **extra})


@pytest.mark.parametrize(("text", "expected"), [
    (VCS_INSTALL, REPO),
    (_vcs("https://github.com/acme/stackmap"), REPO),
    (_vcs("https://oauth2:glpat-secret@gitlab.example.com/tools/stackmap.git"),
     "https://gitlab.example.com/tools/stackmap"),
    (_vcs("https://user:p%40ss@github.com/acme/stackmap.git?token=secret#egg=stackmap"), REPO),
    (_vcs("https://github.com/acme/stackmap.git", subdirectory="python"), REPO),
])
def test_a_vcs_install_names_its_repository(text, expected):
    assert from_direct_url(text) == expected


@pytest.mark.parametrize("text", [
    None,
    "",
    json.dumps({"url": "file:///work/stackmap", "dir_info": {"editable": True}}),
    json.dumps({"url": "https://example.com/stackmap-0.1.0.tar.gz", "archive_info": {"hashes": {}}}),
    _vcs("ssh://git@github.com/acme/stackmap.git"),
    _vcs("http://github.com/acme/stackmap.git"),
    _vcs("file:///srv/git/stackmap"),
    _vcs(None),
    _vcs(["https://github.com/acme/stackmap"]),
    json.dumps({"url": "https://github.com/acme/stackmap", "vcs_info": "git"}),
    json.dumps(["https://github.com/acme/stackmap"]),
    '{"url": "https://github.com/acme/stackmap", "vcs_info": {',
    "[" * 100_000,
], ids=lambda t: (t or repr(t))[:40])
def test_anything_else_in_direct_url_is_ignored(text):
    assert from_direct_url(text) is None


def test_a_direct_url_file_that_is_not_utf8_is_ignored(tmp_path):
    d = dist(tmp_path)
    (tmp_path / "stackmap-0.1.0.dist-info" / "direct_url.json").write_bytes(b'{"url": "\xff"}')
    assert information_uri({}, d) is None


def test_https_url_keeps_what_it_is_given_but_credentials():
    assert https_url("https://a:b@host.example/p?q=1#f") == "https://host.example/p?q=1#f"
    assert https_url(42) is None


# --- the command line ------------------------------------------------------------------------------


@pytest.fixture()
def stack(tmp_path):
    return write(tmp_path, {"inv/stack.yaml": "systems:\n  - {id: crm, name: CRM, owner: t, it_reviewed: true}\n"})


def _driver(done) -> dict:
    return json.loads(done.stdout)["runs"][0]["tool"]["driver"]


def test_check_writes_the_variable_as_information_uri(stack):
    done = run(["check", "inv", "-f", "sarif"], stack, {ENV: "https://ghe.example.com/tools/stackmap"})
    assert done.returncode == 0, done.stderr
    assert _driver(done)["informationUri"] == "https://ghe.example.com/tools/stackmap"
    assert done.stderr == ""
    keys = list(_driver(done))
    assert keys == ["name", "version", "semanticVersion", "informationUri", "rules"]


def test_check_notes_a_bad_variable_and_still_reports(stack):
    done = run(["check", "inv", "-o", "sarif=out.sarif"], stack, {ENV: "http://me:ghp_secret@github.com/acme"})
    assert done.returncode == 0
    assert done.stderr == f"stackmap: note: {ENV} is not used for SARIF's informationUri: it is not an https:// URL\n"
    driver = json.loads((stack / "out.sarif").read_text(encoding="utf-8"))["runs"][0]["tool"]["driver"]
    assert driver.get("informationUri") == information_uri({})
    assert "secret" not in (stack / "out.sarif").read_text(encoding="utf-8")


def test_no_note_when_no_sarif_is_written(stack):
    done = run(["check", "inv", "-f", "json"], stack, {ENV: "http://github.com/acme"})
    assert done.returncode == 0 and done.stderr == ""
