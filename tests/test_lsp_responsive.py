"""The language server answers while it analyses: the analysis runs a step at a time.

The workspace's analysis yields between the join, each rule and stamping; the server's publishing
task gives the event loop (and so any request that came in) a turn at every step; and a generator
dropped half way (an edit arrived) leaves nothing half done behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from stackmap.analysis.config import Config
from stackmap.analysis.engine import analyse
from stackmap.analysis.rules import RULES
from stackmap.load.inventory import load_inventory
from stackmap.load.workspace import Workspace

if TYPE_CHECKING:
    from stackmap.lsp.server import StackmapServer

ROOT = Path(__file__).resolve().parent.parent


def test_the_analysis_yields_between_its_steps(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "inventories", tmp_path / "inv")
    with contextlib.chdir(tmp_path):
        workspace = Workspace([Path("inv")])
        steps = workspace.snapshot_steps(Config())
        yields = 0
        while True:
            try:
                next(steps)
                yields += 1
            except StopIteration as done:
                snap = done.value
                break
        assert yields == 1 + len(RULES) + 1  # the join, each rule, stamping
        assert snap.result is not None
        assert snap.result.findings == analyse(load_inventory([Path("inv")])).findings


def test_an_analysis_dropped_half_way_leaves_nothing_half_done(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "inventories", tmp_path / "inv")
    with contextlib.chdir(tmp_path):
        workspace = Workspace([Path("inv")])
        workspace.snapshot(Config())
        path = Path("inv/marketing.yaml")
        edited = path.read_text(encoding="utf-8").replace("data: [", "data: [consent, ", 1)
        workspace.set_buffer(path, edited.encode("utf-8"))
        steps = workspace.snapshot_steps(Config())
        for _ in range(4):  # the join and three rules, then an edit arrives: the caller drops it
            next(steps)
        steps.close()
        edited = edited.replace("owner: ", "owner: new-", 1)
        path.write_text(edited, encoding="utf-8")
        workspace.set_buffer(path, edited.encode("utf-8"))
        snap = workspace.snapshot(Config())
        assert snap.result is not None
        assert snap.result.findings == analyse(load_inventory([Path("inv")])).findings


def test_the_server_serves_other_work_between_the_steps_of_an_analysis(tmp_path: Path) -> None:

    shutil.copytree(ROOT / "inventories", tmp_path / "inv")
    with contextlib.chdir(tmp_path):
        server, published = _server(tmp_path)

        async def run() -> list[str]:
            order: list[str] = []
            task = asyncio.ensure_future(server.publish())

            async def requests() -> None:  # what the event loop does for a request that comes in
                while not task.done():
                    order.append("published" if published else "request")
                    await asyncio.sleep(0)
            await asyncio.gather(task, requests())
            return order

        order = asyncio.run(run())
    assert published  # the analysis ran to its end
    assert order.count("request") >= 1 + len(RULES), order  # between the join, every rule, stamping


def test_a_dropped_analysis_lets_the_garbage_collector_run_again(tmp_path: Path) -> None:
    import gc


    shutil.copytree(ROOT / "inventories", tmp_path / "inv")
    was_enabled = gc.isenabled()
    gc.enable()  # as in the server process (a check run in this process before may have disabled it)
    with contextlib.chdir(tmp_path):
        server, _ = _server(tmp_path)

        async def run() -> tuple[bool, bool]:
            server._task = asyncio.ensure_future(server.publish())
            for _ in range(4):
                await asyncio.sleep(0)
            during = gc.isenabled()
            server.schedule()  # an edit came: the running analysis is dropped
            for _ in range(3):
                await asyncio.sleep(0)
            after = gc.isenabled()
            assert server._pending is not None
            server._pending.cancel()
            return during, after

        try:
            assert asyncio.run(run()) == (False, True)
        finally:
            if not was_enabled:
                gc.disable()


def test_a_diagnostic_changes_with_the_systems_its_finding_names(tmp_path: Path) -> None:
    from stackmap.lsp import diagnostics
    from stackmap.lsp.state import State

    def text(last: str) -> str:  # 26 systems with no flows: one roll-up listing 20 of them by name
        ids = [f"s{i:02d}" for i in range(25)] + [last]
        return "systems:\n" + "".join(f"  - {{id: {i}, name: N{i}, owner: it, it_reviewed: true}}\n" for i in ids)

    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "a.yaml").write_text(text("zz-old"), encoding="utf-8")
    with contextlib.chdir(tmp_path):
        state = State(tmp_path)
        diagnostics.collect(state, state.snapshot())
        state.workspace.set_buffer(Path("inv/a.yaml"), text("zz-new").encode("utf-8"))
        keyed = diagnostics.collect(state, state.snapshot())
    rollup, = [d for _, d in keyed["inv/a.yaml"] if d.code == "isolated-system"]
    assert rollup.data["systems"][-1] == "zz-new"


def test_a_hover_during_an_analysis_waits_for_it_instead_of_running_its_own(tmp_path: Path) -> None:
    from lsprotocol import types

    from stackmap.analysis.incremental import Analyser
    from stackmap.lsp.server import _hover

    shutil.copytree(ROOT / "inventories", tmp_path / "inv")
    runs: list[int] = []
    steps = Analyser.steps

    def counted(self: Analyser, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        runs.append(1)
        return steps(self, *args, **kwargs)

    with contextlib.chdir(tmp_path):
        server, _ = _server(tmp_path)
        path = tmp_path / "inv" / "marketing.yaml"
        lines = path.read_text(encoding="utf-8").split("\n")
        line = next(i for i, text in enumerate(lines) if text.strip().startswith("- id: "))
        column = lines[line].index("id: ") + 4

        async def run() -> types.Hover | None:
            server._start()  # an analysis runs...
            for _ in range(3):  # ...and is half way through when the hover comes in
                await asyncio.sleep(0)
            assert server._task is not None and not server._task.done()
            hover = await _hover(server, types.HoverParams(
                types.TextDocumentIdentifier(path.as_uri()), types.Position(line, column)))
            await server._task
            return hover  # type: ignore[no-any-return]

        Analyser.steps = counted  # type: ignore[method-assign]
        try:
            hover = asyncio.run(run())
        finally:
            Analyser.steps = steps  # type: ignore[method-assign]
    assert hover is not None and "findings:" in hover.contents.value  # type: ignore[union-attr]
    assert len(runs) == 1  # the publish's analysis served the hover too


def test_cycles_are_collected_once_the_frozen_heap_has_grown_by_half() -> None:
    import gc

    from stackmap.load.loader import Cycles

    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the cyclic collector frees it

    cycles = Cycles(every=3)
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        gc.freeze()
        garbage = [Node() for _ in range(20_000)]
        gc.freeze()  # as an analysis leaves what it built
        del garbage
        ran = [cycles.analysed() for _ in range(6)]
        assert ran == [False, False, True, False, False, False]  # the third, then not until it grows
        assert not any(isinstance(o, Node) for o in gc.get_objects())
    finally:
        gc.unfreeze()
        if not was_enabled:
            gc.disable()


def test_a_cancelled_hover_stops_and_the_analysis_it_waited_for_goes_on(tmp_path: Path) -> None:
    from lsprotocol import types

    from stackmap.lsp.server import _hover

    shutil.copytree(ROOT / "inventories", tmp_path / "inv")
    with contextlib.chdir(tmp_path):
        server, published = _server(tmp_path)
        path = tmp_path / "inv" / "marketing.yaml"

        async def run() -> bool:
            server._start()
            hover = asyncio.ensure_future(_hover(server, types.HoverParams(
                types.TextDocumentIdentifier(path.as_uri()), types.Position(0, 0))))
            for _ in range(3):
                await asyncio.sleep(0)
            hover.cancel()  # the client cancelled the request
            with contextlib.suppress(asyncio.CancelledError):
                await hover
            assert server._task is not None
            await server._task
            return hover.cancelled()

        assert asyncio.run(run())
    assert published  # the analysis the hover waited for ran to its end


def _server(folder: Path) -> tuple[StackmapServer, list[str]]:
    """A language server on the inventory under ``folder`` (the current folder), with the URIs it
    publishes diagnostics for recorded instead of sent."""
    from stackmap.lsp.server import StackmapServer
    from stackmap.lsp.state import State

    server = StackmapServer()
    server.state = State(folder)
    published: list[str] = []
    server.text_document_publish_diagnostics = lambda params: published.append(params.uri)  # type: ignore[method-assign]
    return server, published
