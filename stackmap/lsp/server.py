"""``stackmap lsp``: the language server (pygls), one small handler per feature.

All state lives in :class:`stackmap.lsp.state.State`; diagnostics are computed for the whole
workspace after the user stops typing for :data:`DEBOUNCE` seconds and published for every file
whose diagnostics changed. A handler that fails answers with an error and the server carries on.

Saving, creating or deleting ``.stackmap.yaml`` or ``.stackmap-waivers.yaml`` where the configuration
is looked for (``textDocument/didSave``, ``workspace/didChangeWatchedFiles``; the server asks the
client to watch those names when it can) loads the configuration again; while it is invalid the last
good one stays in use and its errors show as a message and as diagnostics in the file.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls import uris
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..analysis.config import CONFIG_NAME, WAIVERS_NAME
from ..load.loader import Cycles
from . import actions, complete, diagnostics, navigate
from .state import State

DEBOUNCE = 0.15
"""Seconds of quiet after an edit before diagnostics are computed again."""
WATCHERS = "stackmap-files"
"""The id of the file watchers the server registers with the client."""
INVENTORY_PATTERNS = ("**/*.yaml", "**/*.yml")
"""Inventory files changed outside the editor (a checkout, a generator) are read again."""


class StackmapServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("stackmap", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.state: State | None = None
        self._pending: asyncio.TimerHandle | None = None
        self._task: asyncio.Future[None] | None = None
        self._shown_error: str | None = None
        self.cycles = Cycles()

    def get_state(self) -> State:
        if self.state is None:
            self.state = State(Path.cwd())
        return self.state

    def show_config_error(self) -> None:
        """Say why the configuration does not load, once for each new reason."""
        error = self.get_state().config_error
        if error is not None and error != self._shown_error:
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"stackmap: {error}"))
        self._shown_error = error

    def reload_config(self) -> None:
        """A configuration file changed: load it again and publish what it changes."""
        buffers = {uri: doc.source for uri, doc in self.workspace.text_documents.items()}
        self.get_state().reload_config(buffers)
        self.show_config_error()
        self.schedule()

    def watch_config_files(self) -> None:
        """Ask the client to report changes to the configuration's and the inventory's files, when it can."""
        capabilities = self.client_capabilities.workspace
        watched = capabilities.did_change_watched_files if capabilities else None
        if not (watched and watched.dynamic_registration):
            return
        state = self.get_state()
        patterns: list[types.GlobPattern] = [f"**/{name}" for name in (CONFIG_NAME, WAIVERS_NAME)]
        patterns += INVENTORY_PATTERNS
        if watched.relative_pattern_support:  # where the search goes above the workspace folder
            patterns += [types.RelativePattern(folder.as_uri(), name)
                         for folder in state.config_files.folders if folder != state.root.absolute()
                         for name in (CONFIG_NAME, WAIVERS_NAME)]
        self.client_register_capability(types.RegistrationParams([types.Registration(
            id=WATCHERS, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=p) for p in patterns]))]))

    def schedule(self) -> None:
        """Publish diagnostics once the user has stopped typing; an analysis still running for an
        older text is dropped."""
        if self._pending is not None:
            self._pending.cancel()
        if self._task is not None and not self._task.done():
            self._task.cancel()
        loop = asyncio.get_running_loop()
        self._pending = loop.call_later(DEBOUNCE, self._start)

    def _start(self) -> None:
        self._pending = None
        self._task = asyncio.ensure_future(self.publish())

    async def settled(self) -> None:
        """Wait for the analysis of the latest text: one waiting out the typing pause starts now,
        one running is let finish (its steps give way to other requests). A request that needs the
        findings then reads the analysis the diagnostics come from instead of running its own."""
        if self._pending is not None:
            self._pending.cancel()
            self._start()
        task = self._task
        if task is not None and not task.done():
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:
                if not task.cancelled():  # the request itself was cancelled, not the analysis
                    raise

    async def publish(self) -> None:
        """Analyse the workspace and publish what changed. The analysis gives way to other
        requests between its steps (the join, each rule, stamping), so completion, hover and
        navigation answer while it runs."""
        state = self.get_state()
        steps = state.snapshot_steps()
        try:
            while True:
                try:
                    next(steps)
                except StopIteration as done:
                    snap = done.value
                    break
                await asyncio.sleep(0)
            found = diagnostics.collect(state, snap)
        except Exception as exc:  # never lose the server to one bad state
            self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"stackmap: {exc!r}"))
            return
        finally:  # dropped half way (an edit came): end the analysis now, so the GC it paused runs again
            steps.close()
        published: dict[str, list[object]] = {}
        for display in sorted(set(found) | set(state.published)):
            keyed = found.get(display, [])
            keys = [key for key, _ in keyed]
            if keys != state.published.get(display, []) or display not in state.published:
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                    uri=state.uri(display), diagnostics=[diag for _, diag in keyed]))
            if keyed:
                published[display] = keys
        state.published = published
        try:
            state.catalog()  # after publishing: ready for the completion that usually follows
        except Exception as exc:  # never lose the server to one bad state
            self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"stackmap: {exc!r}"))
        self.cycles.analysed()


server = StackmapServer()


@server.feature(types.INITIALIZE)
def _initialize(ls: StackmapServer, params: types.InitializeParams) -> None:
    root = None
    if params.workspace_folders:
        root = uris.to_fs_path(params.workspace_folders[0].uri)
    elif params.root_uri:
        root = uris.to_fs_path(params.root_uri)
    if root and Path(root).is_dir():
        os.chdir(root)  # display paths are relative to the workspace, as on the command line
    ls.state = State(Path.cwd())


@server.feature(types.INITIALIZED)
def _initialized(ls: StackmapServer, params: types.InitializedParams) -> None:
    ls.show_config_error()
    ls.watch_config_files()
    ls.schedule()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def _did_open(ls: StackmapServer, params: types.DidOpenTextDocumentParams) -> None:
    if ls.get_state().edit(params.text_document.uri, params.text_document.text):
        ls.schedule()


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def _did_change(ls: StackmapServer, params: types.DidChangeTextDocumentParams) -> None:
    document = ls.workspace.get_text_document(params.text_document.uri)
    if ls.get_state().edit(params.text_document.uri, document.source):
        ls.schedule()


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def _did_save(ls: StackmapServer, params: types.DidSaveTextDocumentParams) -> None:
    if _is_config(ls.get_state(), params.text_document.uri):
        ls.reload_config()
        return
    ls.get_state().saved(params.text_document.uri)
    ls.schedule()


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def _did_close(ls: StackmapServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.get_state().close(params.text_document.uri)
    ls.schedule()


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def _watched(ls: StackmapServer, params: types.DidChangeWatchedFilesParams) -> None:
    state = ls.get_state()
    config = False
    for change in params.changes:
        if _is_config(state, change.uri):
            config = True
        else:
            state.saved(change.uri)
    if config:
        ls.reload_config()
    ls.schedule()


def _is_config(state: State, uri: str) -> bool:
    """Whether the file at ``uri`` may change the configuration."""
    path = uris.to_fs_path(uri)
    return path is not None and state.config_files.holds(Path(path))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def _definition(ls: StackmapServer, params: types.DefinitionParams) -> Any:
    return navigate.definition(ls.get_state(), params.text_document.uri, params.position)


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def _references(ls: StackmapServer, params: types.ReferenceParams) -> Any:
    return navigate.references(ls.get_state(), params.text_document.uri, params.position,
                               params.context.include_declaration)


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
def _prepare_rename(ls: StackmapServer, params: types.PrepareRenameParams) -> Any:
    return navigate.prepare_rename(ls.get_state(), params.text_document.uri, params.position)


@server.feature(types.TEXT_DOCUMENT_RENAME)
def _rename(ls: StackmapServer, params: types.RenameParams) -> Any:
    return navigate.rename(ls.get_state(), params.text_document.uri, params.position, params.new_name)


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[" ", "[", ",", "-"]))
def _completion(ls: StackmapServer, params: types.CompletionParams) -> Any:
    return complete.completion(ls.get_state(), params.text_document.uri, params.position)


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def _hover(ls: StackmapServer, params: types.HoverParams) -> Any:
    await ls.settled()  # a system's card lists its findings
    return complete.hover(ls.get_state(), params.text_document.uri, params.position)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def _code_action(ls: StackmapServer, params: types.CodeActionParams) -> Any:
    return actions.code_actions(ls.get_state(), params.text_document.uri, params.context.diagnostics)


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def _document_symbol(ls: StackmapServer, params: types.DocumentSymbolParams) -> Any:
    return navigate.document_symbols(ls.get_state(), params.text_document.uri)


@server.feature(types.WORKSPACE_SYMBOL)
def _workspace_symbol(ls: StackmapServer, params: types.WorkspaceSymbolParams) -> Any:
    return navigate.workspace_symbols(ls.get_state(), params.query)


def run() -> None:
    """Serve over stdin and stdout until the client says exit."""
    server.start_io()
