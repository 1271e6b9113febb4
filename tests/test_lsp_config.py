"""``stackmap lsp`` loads the configuration again when it changes: a real client over JSON-RPC on stdio
(pytest-lsp), on a temporary workspace."""

from __future__ import annotations

import asyncio
import os
import sys
import textwrap
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

pytestmark = pytest.mark.asyncio

CRM = textwrap.dedent("""\
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
      - id: forms
        name: Forms
        data: [lead]
    """)
FLOWS = textwrap.dedent("""\
    flows:
      - from: esp
        to: crm
        data: [contact]
      - from: crm
        to: esp
        data: [contact]
    """)
CONFIG = ".stackmap.yaml"
WAIVERS = ".stackmap-waivers.yaml"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "stackmap", "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    (tmp_path / ".git").mkdir()  # the configuration is looked for up to here, not in the folders above
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "crm.yaml").write_text(CRM, encoding="utf-8")
    (tmp_path / "inv" / "flows.yaml").write_text(FLOWS, encoding="utf-8")
    registrations: list[types.Registration] = []
    lsp_client._stackmap = (tmp_path, registrations)  # type: ignore[attr-defined]

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def _register(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True))),
        root_uri=tmp_path.as_uri(), workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="stack")]))
    yield
    await lsp_client.shutdown_session()


def _root(client: LanguageClient) -> Path:
    return client._stackmap[0]  # type: ignore[attr-defined, no-any-return]


def uri(client: LanguageClient, name: str) -> str:
    return _root(client).joinpath(name).as_uri()


async def until(client: LanguageClient, check: Callable[[], bool], seconds: float = 20) -> None:
    """Wait for diagnostics until ``check`` holds."""
    async def wait() -> None:
        while not check():
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    await asyncio.wait_for(wait(), seconds)


def found(client: LanguageClient, name: str) -> list[tuple[int, str, int | None]]:
    """The diagnostics of a file: line, code, severity."""
    return sorted((d.range.start.line, str(d.code), d.severity)
                  for d in client.diagnostics.get(uri(client, name), []))


def codes(client: LanguageClient, name: str) -> list[tuple[int, str]]:
    return [(line, code) for line, code, _ in found(client, name)]


def has(client: LanguageClient, code: str) -> bool:
    """Whether crm.yaml shows a diagnostic of ``code``."""
    return any(c == code for _, c in codes(client, "inv/crm.yaml"))


def save(client: LanguageClient, name: str, text: str) -> None:
    """Write a file and tell the server it was saved, as an editor does."""
    _root(client).joinpath(name).write_text(text, encoding="utf-8")
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri(client, name))))


def on_disk(client: LanguageClient, name: str, text: str | None) -> None:
    """Write (``None``: delete) a file behind the editor's back, as the client's watcher reports it."""
    path = _root(client).joinpath(name)
    kind = types.FileChangeType.Changed if path.exists() else types.FileChangeType.Created
    if text is None:
        path.unlink()
        kind = types.FileChangeType.Deleted
    else:
        path.write_text(text, encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([
        types.FileEvent(uri(client, name), kind)]))


DEFAULT = [(12, "customer-data-silo", types.DiagnosticSeverity.Error),
           (12, "isolated-system", types.DiagnosticSeverity.Warning),
           (12, "shadow-it", types.DiagnosticSeverity.Warning)]
"""What crm.yaml shows under the built-in configuration."""


async def test_the_server_asks_the_client_to_watch_the_configuration_and_inventory_files(client: LanguageClient) -> None:
    await until(client, lambda: found(client, "inv/crm.yaml") == DEFAULT)
    registrations = client._stackmap[1]  # type: ignore[attr-defined]
    # the client reads the options as JSON; no kind: created, changed and deleted
    assert [(r.method, r.register_options) for r in registrations] == [
        (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, {"watchers": [{"globPattern": f"**/{CONFIG}"},
                                                                 {"globPattern": f"**/{WAIVERS}"},
                                                                 {"globPattern": "**/*.yaml"},
                                                                 {"globPattern": "**/*.yml"}]})]


async def test_saving_a_configuration_that_disables_a_rule_removes_its_diagnostics(client: LanguageClient) -> None:
    await until(client, lambda: found(client, "inv/crm.yaml") == DEFAULT)
    save(client, CONFIG, "rules:\n  shadow-it: off\n")
    await until(client, lambda: not has(client, "shadow-it"))
    assert codes(client, "inv/crm.yaml") == [(line, code) for line, code, _ in DEFAULT if code != "shadow-it"]
    on_disk(client, CONFIG, None)  # deleted: the built-in configuration again
    await until(client, lambda: found(client, "inv/crm.yaml") == DEFAULT)


async def test_a_severity_in_a_created_configuration_changes_the_diagnostics(client: LanguageClient) -> None:
    await until(client, lambda: found(client, "inv/crm.yaml") == DEFAULT)
    on_disk(client, CONFIG, "rules:\n  isolated-system: {severity: info}\n")
    await until(client, lambda: (12, "isolated-system", types.DiagnosticSeverity.Information)
                in found(client, "inv/crm.yaml"))
    assert found(client, "inv/crm.yaml") == sorted(
        (line, code, types.DiagnosticSeverity.Information if code == "isolated-system" else severity)
        for line, code, severity in DEFAULT)


async def test_a_saved_waivers_file_waives_the_finding(client: LanguageClient) -> None:
    await until(client, lambda: found(client, "inv/crm.yaml") == DEFAULT)
    save(client, WAIVERS, "waivers:\n  - {rule: isolated-system, target: forms, reason: a trial, "
                          "expires: 2999-12-31}\n")
    await until(client, lambda: not has(client, "isolated-system"))
    assert len(found(client, "inv/crm.yaml")) == len(DEFAULT) - 1


async def test_an_invalid_configuration_keeps_the_last_good_one_until_it_is_fixed(client: LanguageClient) -> None:
    await until(client, lambda: found(client, "inv/crm.yaml") == DEFAULT)
    save(client, CONFIG, "rules:\n  shadow-it: off\n")
    await until(client, lambda: not has(client, "shadow-it"))
    good = found(client, "inv/crm.yaml")
    save(client, CONFIG, "rules:\n  shadow-it: off\n  isolated-sytem: off\n")
    await until(client, lambda: bool(found(client, CONFIG)))
    problem, = client.diagnostics[uri(client, CONFIG)]
    assert (problem.range, problem.code, problem.severity, problem.message) == (
        types.Range(types.Position(2, 2), types.Position(2, 17)), "invalid-configuration",
        types.DiagnosticSeverity.Error, "rules.isolated-sytem: unknown key 'isolated-sytem' (did you mean "
        "'isolated-system'?); valid keys: " + problem.message.split("valid keys: ")[1])
    message, = client.messages
    assert message.type == types.MessageType.Error
    assert message.message.startswith("stackmap: invalid configuration:\n  .stackmap.yaml:3:3: rules.isolated-sytem")
    assert found(client, "inv/crm.yaml") == good  # the last good configuration is still in use
    save(client, CONFIG, "rules:\n  shadow-it: off\n  isolated-system: off\n")
    await until(client, lambda: found(client, CONFIG) == [] and not has(client, "isolated-system"))
    assert len(client.messages) == 1


async def test_new_paths_rebuild_the_workspace_with_the_open_buffers(client: LanguageClient) -> None:
    await until(client, lambda: found(client, "inv/crm.yaml") == DEFAULT)
    edited = CRM.replace("    data: [lead]\n", "    data: [lead]\n    owner: web\n    it_reviewed: true\n")
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri(client, "inv/crm.yaml"), language_id="yaml", version=1, text=edited)))
    await until(client, lambda: not has(client, "shadow-it"))
    save(client, CONFIG, "exclude: [flows.yaml]\n")
    # without the flows every system is isolated; the unsaved buffer still says forms is reviewed
    await until(client, lambda: codes(client, "inv/crm.yaml") == [
        (1, "isolated-system"), (7, "customer-data-silo"), (7, "isolated-system"), (12, "customer-data-silo"),
        (12, "isolated-system")])


async def test_rule_settings_keep_the_parsed_files_and_new_exclusions_read_them_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stackmap.lsp.state import State

    (tmp_path / ".git").mkdir()
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "crm.yaml").write_text(CRM, encoding="utf-8")
    (tmp_path / "inv" / "flows.yaml").write_text(FLOWS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    state = State(tmp_path)
    workspace = state.workspace
    state.snapshot()
    parsed = workspace.parsed
    (tmp_path / CONFIG).write_text("rules:\n  shadow-it: off\n", encoding="utf-8")
    assert state.reload_config({})
    snap = state.snapshot()
    assert state.workspace is workspace and workspace.parsed == parsed
    assert snap.result is not None and "shadow-it" not in {f.rule for f in snap.result.findings}
    assert not state.reload_config({})  # saved again unchanged: nothing to do
    (tmp_path / CONFIG).write_text("exclude: [flows.yaml]\n", encoding="utf-8")
    assert state.reload_config({})
    assert state.workspace is not workspace and state.files() == ["inv/crm.yaml"]


async def test_the_size_limits_of_the_environment_apply_to_the_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "crm.yaml").write_text(CRM, encoding="utf-8")
    monkeypatch.setenv("STACKMAP_MAX_FILE_BYTES", "20")
    monkeypatch.chdir(tmp_path)
    from stackmap.lsp.state import State

    snap = State(tmp_path).snapshot()
    assert [p.message.split(":")[0] for p in snap.problems] == ["file too large"]


async def test_a_bad_limit_stops_the_server_before_it_starts(tmp_path: Path) -> None:
    import subprocess

    done = subprocess.run([sys.executable, "-m", "stackmap", "lsp"], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "STACKMAP_MAX_DEPTH": "deep"}, stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 2
    assert "STACKMAP_MAX_DEPTH" in done.stderr
