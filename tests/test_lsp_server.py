"""``stackmap lsp`` end to end: a real client over JSON-RPC on stdio (pytest-lsp)."""

from __future__ import annotations

import asyncio
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
        capabilities: [email]
        data: [contact]
        it_reviewed: true
      - id: forms
        name: Forms
        data: [lead]
    capabilities:
      - id: email-marketing
        name: Email marketing
        aliases: [email]
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


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "stackmap", "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "crm.yaml").write_text(CRM, encoding="utf-8")
    (tmp_path / "inv" / "flows.yaml").write_text(FLOWS, encoding="utf-8")
    (tmp_path / "action.yml").write_text("name: not an inventory\n", encoding="utf-8")
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=tmp_path.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="stack")]))
    yield
    await lsp_client.shutdown_session()


def uri(client: LanguageClient, name: str) -> str:
    return Path(name).resolve().as_uri() if Path(name).is_absolute() else _root(client).joinpath(name).as_uri()


def _root(client: LanguageClient) -> Path:
    return client._stackmap_root  # type: ignore[attr-defined, no-any-return]


@pytest.fixture(autouse=True)
def _root_of(client: LanguageClient, tmp_path: Path) -> None:
    client._stackmap_root = tmp_path  # type: ignore[attr-defined]


async def until(client: LanguageClient, check: Callable[[], bool], seconds: float = 20) -> None:
    """Wait for diagnostics until ``check`` holds."""
    async def wait() -> None:
        while not check():
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    await asyncio.wait_for(wait(), seconds)


def codes(client: LanguageClient, name: str) -> list[tuple[int, str]]:
    return sorted((d.range.start.line, str(d.code)) for d in client.diagnostics.get(uri(client, name), []))


def open_file(client: LanguageClient, name: str, text: str) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri(client, name), language_id="yaml", version=1, text=text)))


def change(client: LanguageClient, name: str, text: str, version: int = 2) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri(client, name), version=version),
        [types.TextDocumentContentChangeWholeDocument(text=text)]))


async def test_findings_at_their_lines_with_rule_ids(client: LanguageClient) -> None:
    await until(client, lambda: bool(codes(client, "inv/crm.yaml")))
    assert codes(client, "inv/crm.yaml") == [
        (7, "consent-not-propagated"), (13, "customer-data-silo"), (13, "isolated-system"), (13, "shadow-it")]
    silo = next(d for d in client.diagnostics[uri(client, "inv/crm.yaml")] if d.code == "customer-data-silo")
    assert silo.severity == types.DiagnosticSeverity.Error and silo.source == "stackmap"
    assert silo.code_description is not None and silo.code_description.href.endswith("rules.md#customer-data-silo")
    assert uri(client, "action.yml") not in client.diagnostics


async def test_an_edit_in_one_file_updates_another_and_offers_the_did_you_mean(client: LanguageClient) -> None:
    await until(client, lambda: bool(codes(client, "inv/crm.yaml")))
    open_file(client, "inv/crm.yaml", CRM)
    change(client, "inv/crm.yaml", CRM.replace("id: esp", "id: esp2"))
    await until(client, lambda: bool(codes(client, "inv/flows.yaml")))
    found = client.diagnostics[uri(client, "inv/flows.yaml")]
    assert [(d.range.start.line, d.range.start.character, d.range.end.character, d.message) for d in found] == [
        (1, 10, 13, "flows[0].from: no system has the id 'esp' (did you mean 'esp2'?)"),
        (5, 8, 11, "flows[1].to: no system has the id 'esp' (did you mean 'esp2'?)")]
    assert codes(client, "inv/crm.yaml") == []  # no findings while the inventory is invalid
    fixes = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri(client, "inv/flows.yaml")), found[0].range,
        types.CodeActionContext(diagnostics=[found[0]])))
    assert fixes is not None
    assert [(f.title, _lists(f.edit.changes)) for f in fixes if isinstance(f, types.CodeAction) and f.edit] == [
        ("Change to 'esp2'", {uri(client, "inv/flows.yaml"): [types.TextEdit(found[0].range, "esp2")]})]
    change(client, "inv/crm.yaml", CRM, version=3)
    await until(client, lambda: codes(client, "inv/flows.yaml") == [] and bool(codes(client, "inv/crm.yaml")))


async def test_definition_references_and_rename_across_files(client: LanguageClient) -> None:
    await until(client, lambda: bool(codes(client, "inv/crm.yaml")))
    flows = types.TextDocumentIdentifier(uri(client, "inv/flows.yaml"))
    found = await client.text_document_definition_async(types.DefinitionParams(flows, types.Position(1, 11)))
    assert found == [types.Location(uri(client, "inv/crm.yaml"), _span(7, 8, 11))]
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=flows, position=types.Position(1, 11),
        context=types.ReferenceContext(include_declaration=True)))
    assert sorted((r.uri.rsplit("/", 1)[1], r.range.start.line) for r in refs or []) == [
        ("crm.yaml", 7), ("flows.yaml", 1), ("flows.yaml", 5)]
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=flows, position=types.Position(1, 11), new_name="mailer"))
    assert edit is not None and _lists(edit.changes) == {
        uri(client, "inv/crm.yaml"): [types.TextEdit(_span(7, 8, 11), "mailer")],
        uri(client, "inv/flows.yaml"): [types.TextEdit(_span(1, 10, 13), "mailer"),
                                        types.TextEdit(_span(5, 8, 11), "mailer")]}
    crm = types.TextDocumentIdentifier(uri(client, "inv/crm.yaml"))
    alias = await client.text_document_definition_async(types.DefinitionParams(crm, types.Position(10, 20)))
    assert alias == [types.Location(uri(client, "inv/crm.yaml"), _span(19, 14, 19)),
                     types.Location(uri(client, "inv/crm.yaml"), _span(17, 8, 23))]


def _lists(changes: object) -> object:
    """Edits as lists (the client's converter reads arrays as tuples)."""
    return {k: list(v) for k, v in changes.items()} if isinstance(changes, dict) else changes


def _span(line: int, start: int, end: int) -> types.Range:
    return types.Range(types.Position(line, start), types.Position(line, end))


async def test_completion_of_systems_categories_enums_and_fields(client: LanguageClient) -> None:
    await until(client, lambda: bool(codes(client, "inv/crm.yaml")))
    text = FLOWS + "  - from: cr\n    to: \n    mechanism: \n    data: [contact, le\n    \n"
    open_file(client, "inv/flows.yaml", text)

    async def labels(line: int, column: int) -> list[tuple[str, str | None]]:
        found = await client.text_document_completion_async(types.CompletionParams(
            types.TextDocumentIdentifier(uri(client, "inv/flows.yaml")), types.Position(line, column)))
        items = found.items if isinstance(found, types.CompletionList) else found or []
        return [(i.label, i.detail) for i in items]

    assert await labels(7, 12) == [("crm", "CRM · sales")]
    assert [label for label, _ in await labels(8, 8)] == ["crm", "esp", "forms"]
    assert [label for label, _ in await labels(9, 15)] == ["api", "batch", "file", "stream", "webhook",
                                                             "ipaas", "manual"]
    assert await labels(10, 22) == [("lead", "customer data")]
    assert [label for label, _ in await labels(11, 4)] == ["id", "from", "to", "data", "mechanism", "frequency",
                                                             "description"]


async def test_hover_shows_the_system_card(client: LanguageClient) -> None:
    await until(client, lambda: bool(codes(client, "inv/crm.yaml")))
    found = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri(client, "inv/flows.yaml")), types.Position(2, 9)))
    assert found is not None and isinstance(found.contents, types.MarkupContent)
    assert found.contents.value.splitlines()[:10] == [
        "**CRM** (`crm`)", "", "- owner: sales", "- lifecycle: active", "- capabilities: none",
        "- data: contact", "- annual cost: unknown", "- IT: reviewed", "- flows in: esp", "- flows out: esp"]
    assert found.contents.value.endswith("findings: none")
    found = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri(client, "inv/flows.yaml")), types.Position(1, 10)))
    assert found is not None and isinstance(found.contents, types.MarkupContent)
    assert found.contents.value.startswith("**Email** (`esp`)")
    assert "`consent-not-propagated` (warning)" in found.contents.value


async def test_quick_fixes_for_a_finding_and_symbols(client: LanguageClient) -> None:
    await until(client, lambda: bool(codes(client, "inv/crm.yaml")))
    crm = uri(client, "inv/crm.yaml")
    shadow = next(d for d in client.diagnostics[crm] if d.code == "shadow-it")
    fixes = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(crm), shadow.range, types.CodeActionContext(diagnostics=[shadow])))
    assert [(f.title, [e.new_text for e in f.edit.changes[crm]]) for f in fixes or []
            if isinstance(f, types.CodeAction) and f.edit and f.edit.changes] == [
        ("Add `owner`", ['    owner: ""  # the team that answers for it\n']),
        ("Add `it_reviewed`", ['    it_reviewed: false  # true once IT has reviewed it\n']),
        ("Waive `shadow-it` here (x-stackmap-ignore)",
         ['    x-stackmap-ignore: {shadow-it: "TODO: why this is accepted, and until when"}\n'])]
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        types.TextDocumentIdentifier(crm)))
    assert [(s.name, getattr(s, "detail", None)) for s in symbols or []] == [
        ("crm", "CRM"), ("esp", "Email"), ("forms", "Forms")]
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="email"))
    assert [s.name for s in found or []] == ["esp", "email-marketing"]


EXPECTED = {"half-typed": "invalid YAML", "binary": "invalid YAML: unacceptable character",
            "50 MB": "file too large: 50,000,003 bytes", "alias bomb": "aliases expand to more than"}


async def test_bad_buffers_give_diagnostics_and_the_server_answers(client: LanguageClient) -> None:
    await until(client, lambda: bool(codes(client, "inv/crm.yaml")))
    bomb = "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9))
    bad = {"half-typed": "systems:\n  - id: crm\n    name: [CRM\n", "binary": "\x00\x01\x02 binary \ufffe",
           "50 MB": "# " + "x" * 50_000_000 + "\n", "alias bomb": bomb}
    open_file(client, "inv/crm.yaml", CRM)
    for version, (what, text) in enumerate(bad.items(), start=2):
        change(client, "inv/crm.yaml", text, version)
        await until(client, lambda: any(code == "invalid-inventory" for _, code in codes(client, "inv/crm.yaml")))
        messages = [d.message for d in client.diagnostics[uri(client, "inv/crm.yaml")]]
        assert messages[0].startswith(EXPECTED[what]), messages
        hover = await client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(uri(client, "inv/flows.yaml")), types.Position(3, 12)))
        assert hover is not None and "customer data" in str(hover.contents), what
        client.diagnostics.pop(uri(client, "inv/crm.yaml"))
