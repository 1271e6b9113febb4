"""Parsing on two cores (``stackmap.load.parallel``): a load that forks a helper gives exactly what
the sequential load gives, whatever happens to the helper, and only forks when asked and worth it.

Each test that expects a fork checks that one happened (and that the helper's results were used),
so a test cannot pass by quietly falling back to the sequential path.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from stackmap.commands.options import format_names
from stackmap.errors import ConfigError, UsageError
from stackmap.load import parallel
from stackmap.load.inventory import build_inventory
from stackmap.load.limits import DEFAULT_LIMITS, Limits
from stackmap.load.loader import Loaded, load
from stackmap.load.results import FileResult
from stackmap.load.sources import Source, read_sources
from stackmap.load.validate import prepare, read_file
from stackmap.load.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

needs_fork = pytest.mark.skipif(not sys.platform.startswith("linux") or not hasattr(os, "fork"),
                                reason="the helper process is Linux only")

MIXED = {
    "a-good.yaml": (ROOT / "inventories" / "marketing.yaml").read_text(encoding="utf-8"),
    "b-invalid.yaml": """\
systems:
  - id: ok-one
    name: OK
    owner: team
  - id: Bad Id
    name: Bad
    colour: red
  - &base
    id: based
    name: Based
    owner: team
    x-stackmap-ignore: {isolated-system: "kept for audits"}
  - <<: *base
    id: merged
    name: <<
  - id: waived-badly
    name: W
    x-stackmap-ignore: {isolated-system: "", 3: x}
flows:
  - {from: ok-one, to: nowhere, mechanism: carrier-pigeon}
  - {from: ok-one, to: based, data: [contact], x-stackmap-ignore: yes}
""",
    "c-empty.yaml": "# nothing yet\n",
    "d-list.yaml": "- just\n- a list\n",
    "e-broken.yaml": "systems: [\n  {id: x\n",
    "f-latin1.yaml": "systems:\n  - id: caf\xe9\n",
    "g-not-inventory.yaml": "settings:\n  colour: blue\n",
    "h-deep.yaml": "systems:\n  - id: deep\n    name: Deep\n    extra: " + "[" * 900 + "]" * 900 + "\n",
    "i-dates.yaml": "systems:\n  - id: dated\n    name: 2024-02-30\n    owner: no\n    cost: 0123\n",
    "j-good.yaml": (ROOT / "inventories" / "definitions.yaml").read_text(encoding="utf-8"),
}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    for name, text in MIXED.items():
        (folder / name).write_bytes(text.encode("latin-1" if "latin1" in name else "utf-8"))
    return folder


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated") / "inv"
    generate(400, folder)
    return folder


def sources_of(path: Path) -> list[Source]:
    found = read_sources([path])
    assert len(found) > 2
    return found


def summary(loaded: Loaded) -> dict[str, Any]:
    """Everything a load hands on, comparable with ``==``."""
    return {
        "problems": loaded.problems, "skipped": loaded.skipped, "files": loaded.files,
        "inventories": loaded.inventories, "claimed": loaded.claimed, "unread": loaded.unread,
        "cached": loaded.cached,
        "docs": [(d.source.display, d.content, d.marks, d.valid, d.ignores, d.refs) for d in loaded.docs],
    }


class Spy:
    """Records the helpers a load starts, what each handed over, and how each ended."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.helpers: list[parallel.Helper] = []
        self.taken: list[int] = []
        spy = self
        real_take = parallel.Helper.take

        class Recorded(parallel.Helper):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                spy.helpers.append(self)

            def take(self, index: int) -> Any:
                value = real_take(self, index)
                if value is not None:
                    spy.taken.append(index)
                return value

        monkeypatch.setattr(parallel, "Helper", Recorded)
        monkeypatch.setattr(parallel, "can_fork", lambda: True)  # a 1-CPU test machine still forks

    @property
    def helper(self) -> parallel.Helper:
        assert len(self.helpers) == 1, "expected exactly one helper process"
        return self.helpers[0]


def parallel_load(sources: list[Source], **kwargs: Any) -> Loaded:
    return load(sources, workers=2, min_parallel_bytes=1, **kwargs)


@needs_fork
@pytest.mark.parametrize("which", ["inventories", "generated", "mixed"])
def test_the_parallel_load_gives_what_the_sequential_load_gives(
        which: str, generated: Path, mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = {"inventories": ROOT / "inventories", "generated": generated, "mixed": mixed}[which]
    sources = sources_of(path)
    if which == "mixed":  # and a file the walk could not read
        sources.insert(3, Source("z-too-large.yaml", b"", False, error="file too large: 1 byte"))
    expected = summary(load(sources))
    spy = Spy(monkeypatch)
    got = summary(parallel_load(sources))
    assert got == expected
    assert spy.helper.status == 0
    assert spy.taken and set(spy.taken) <= set(spy.helper.indexes)
    if which == "mixed":
        assert any("colour" in p.message for p in got["problems"])


@needs_fork
def test_the_joined_inventory_and_the_check_output_are_the_same(generated: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    sources = sources_of(generated)
    expected = build_inventory(sources)
    spy = Spy(monkeypatch)
    monkeypatch.setattr(parallel, "MIN_BYTES", 1)
    got = build_inventory(sources, workers=2)
    assert got == expected
    assert list(got.systems) == list(expected.systems) and got.flows == expected.flows
    assert spy.helper.status == 0 and spy.taken


def _dies_at_once(source: Source, limits: Limits) -> Any:
    os._exit(3)


def _dies_on_the_third(source: Source, limits: Limits) -> Any:
    _dies_on_the_third.calls += 1  # type: ignore[attr-defined]
    if _dies_on_the_third.calls == 3:  # type: ignore[attr-defined]
        os._exit(3)
    return prepare(source, limits)


def _killed_on_the_second(source: Source, limits: Limits) -> Any:
    _killed_on_the_second.calls += 1  # type: ignore[attr-defined]
    if _killed_on_the_second.calls == 2:  # type: ignore[attr-defined]
        os.kill(os.getpid(), signal.SIGKILL)
    return prepare(source, limits)


def _unpicklable_every_other(source: Source, limits: Limits) -> Any:
    _unpicklable_every_other.calls += 1  # type: ignore[attr-defined]
    value = prepare(source, limits)
    if _unpicklable_every_other.calls % 2 == 0:  # type: ignore[attr-defined]
        value.data = {**value.data, "cannot be pickled": lambda: None}
    return value


def _raises(source: Source, limits: Limits) -> Any:
    raise RuntimeError("a bug in the helper")


def _wrong_file(source: Source, limits: Limits) -> Any:
    return FileResult("empty")  # a well-formed frame with a wrong answer: must not be caught by luck


@needs_fork
@pytest.mark.parametrize("work, status, used", [
    (_dies_at_once, 3, False),
    (_dies_on_the_third, 3, True),
    (_killed_on_the_second, -signal.SIGKILL, True),
    (_unpicklable_every_other, 0, True),
    (_raises, 0, False),
])
def test_a_helper_that_fails_changes_nothing(work: Any, status: int, used: bool, generated: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    sources = sources_of(generated)
    expected = summary(load(sources))
    work.calls = 0
    spy = Spy(monkeypatch)
    monkeypatch.setattr(parallel, "prepare", work)
    assert summary(parallel_load(sources)) == expected
    assert spy.helper.status == status
    assert bool(spy.taken) == used
    if used:  # what it sent was used, the rest parsed here
        assert len(spy.taken) < len(spy.helper.indexes)


def _garbage(data: int, notes: int, jobs: list[tuple[int, Source]], limits: Limits, work: Any) -> None:
    """Frames of every wrong kind, one per job, then a truncated one."""
    import pickle
    import zlib

    kinds = ["bad crc", "not a pickle", "wrong index", "wrong type", "good"]
    for n, (index, source) in enumerate(jobs):
        kind = kinds[n % len(kinds)]
        value = prepare(source, limits)
        if kind == "not a pickle":
            payload = b"\x80\x05garbage"
        elif kind == "wrong index":
            payload = pickle.dumps((index + 1, value))
        elif kind == "wrong type":
            payload = pickle.dumps((index, {"kind": "inventory"}))
        else:
            payload = pickle.dumps((index, value))
        crc = zlib.crc32(payload) ^ (1 if kind == "bad crc" else 0)
        os.write(data, parallel._HEADER.pack(index, crc, len(payload)) + payload)
        os.write(notes, b"\x01")
    os.write(data, parallel._HEADER.pack(jobs[-1][0] + 1, 0, 1 << 20) + b"short")
    os.write(notes, b"\x01")


@needs_fork
def test_garbled_and_truncated_frames_are_parsed_again(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = sources_of(generated)
    expected = summary(load(sources))
    spy = Spy(monkeypatch)
    monkeypatch.setattr(parallel, "_serve", _garbage)
    assert summary(parallel_load(sources)) == expected
    helper = spy.helper
    assert helper.status == 0
    assert spy.taken == helper.indexes[4::5]  # only the good frames


@needs_fork
def test_the_comparison_can_fail_a_helper_sending_wrong_answers_changes_the_load(
        generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The counterpart of the tests above: the comparison can fail. A helper that sends a
    # well-formed but wrong result changes the load, so the tests above do test the helper's work.
    sources = sources_of(generated)
    expected = summary(load(sources))
    Spy(monkeypatch)
    monkeypatch.setattr(parallel, "prepare", _wrong_file)
    assert summary(parallel_load(sources)) != expected


class Recording:
    """A cache that records every call; hits for the files in ``warm``."""

    def __init__(self, warm: dict[str, FileResult]) -> None:
        self.warm = warm
        self.calls: list[tuple[str, str]] = []
        self.put_results: list[FileResult] = []

    def get(self, source: Source) -> FileResult | None:
        self.calls.append(("get", source.display))
        return self.warm.get(source.display)

    def put(self, source: Source, result: FileResult) -> None:
        self.calls.append(("put", source.display))
        self.put_results.append(result)


@needs_fork
@pytest.mark.parametrize("warm_files", ["none", "after the first", "the last"])
def test_the_cache_sees_the_same_calls_in_the_same_order(warm_files: str, generated: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    sources = sources_of(generated)

    chosen = {"none": [], "after the first": sources[1:], "the last": sources[-1:]}[warm_files]
    warm = {s.display: read_file(s) for s in chosen}
    sequential, concurrent = Recording(warm), Recording(warm)
    expected = summary(load(sources, cache=sequential))
    spy = Spy(monkeypatch)
    assert summary(parallel_load(sources, cache=concurrent)) == expected
    assert concurrent.calls == sequential.calls
    assert concurrent.put_results == sequential.put_results
    helper = spy.helper  # the first file missed: a helper started
    if warm_files == "after the first":  # the second file hit: the helper was stopped, nothing taken
        assert not spy.taken and helper.status is not None
    else:
        assert spy.taken


@needs_fork
def test_the_workspace_memo_shares_entries_as_before(generated: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "inv"
    folder.mkdir()
    for path in generated.glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    monkeypatch.chdir(tmp_path)
    spy = Spy(monkeypatch)
    monkeypatch.setattr(parallel, "MIN_BYTES", 1)
    together = Workspace([Path("inv")], workers=2)
    alone = Workspace([Path("inv")])
    assert together.inventory() == alone.inventory()
    assert spy.taken
    assert together.parsed == alone.parsed == len(list(folder.glob("*.yaml")))


def test_a_small_inventory_never_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", no_fork)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    sources = sources_of(ROOT / "inventories")
    assert sum(len(s.data) for s in sources) < parallel.MIN_BYTES
    assert summary(load(sources, workers=2)) == summary(load(sources))
    inventory = Workspace([ROOT / "inventories"], workers=2).inventory()
    assert inventory.systems


def test_one_worker_never_forks(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", no_fork)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    sources = sources_of(generated)
    load(sources, workers=1, min_parallel_bytes=1)
    load(sources, min_parallel_bytes=1)


def test_the_plan_keeps_the_first_files_and_needs_enough_bytes() -> None:
    sources = [Source(f"{i}.yaml", b"x" * 100, False) for i in range(10)]
    sources[8] = Source("8.yaml", b"", False, error="too large")
    assert parallel.plan(sources, 1, min_bytes=801) == []
    taken = parallel.plan(sources, 1, min_bytes=800, share=0.5)
    assert taken == [5, 6, 7, 9]  # 8 could not be read: nothing to parse
    assert parallel.plan(sources, 9, min_bytes=1) == []  # one file left: the parent reads it
    assert parallel.plan(sources, 0, min_bytes=1, share=1.0) == [1, 2, 3, 4, 5, 6, 7, 9]


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.can_fork()
    finally:
        stop.set()
        thread.join()


@needs_fork
def test_the_entry_limits_still_hold(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = sources_of(generated)
    limits = Limits(max_total_entries=1_500)
    with pytest.raises(UsageError) as sequential:
        load(sources, limits)
    spy = Spy(monkeypatch)
    with pytest.raises(UsageError) as concurrent:
        parallel_load(sources, limits=limits)
    assert str(concurrent.value) == str(sequential.value)
    assert spy.helper.status is not None  # stopped and reaped, not left running
    few = Limits(max_entries=100)  # per file, checked in the helper
    assert summary(parallel_load(sources, limits=few)) == summary(load(sources, few))


def test_stackmap_workers() -> None:
    assert parallel.workers_from_env({}) == 2
    assert parallel.workers_from_env({"STACKMAP_WORKERS": " 1 "}) == 1
    assert parallel.workers_from_env({"STACKMAP_WORKERS": ""}) == 2
    for bad in ("0", "3", "two", "-1"):
        with pytest.raises(ConfigError, match="STACKMAP_WORKERS"):
            parallel.workers_from_env({"STACKMAP_WORKERS": bad})


FORCED = """
import os, runpy, sys
import stackmap.load.parallel as parallel
parallel.MIN_BYTES = 1
parallel.can_fork = lambda: True
real_fork = os.fork
def fork():
    pid = real_fork()
    if pid:
        sys.stderr.write("forked a helper\\n")
    return pid
os.fork = fork
sys.argv = ["stackmap", *sys.argv[1:]]
runpy.run_module("stackmap", run_name="__main__", alter_sys=True)
"""


FORMATS = format_names()


def _check(args: list[str], env: dict[str, str], forced: bool) -> subprocess.CompletedProcess[str]:
    prefix = [sys.executable, "-c", FORCED] if forced else [sys.executable, "-m", "stackmap"]
    return subprocess.run([*prefix, "check", *args, "--no-cache", "--fail-on", "never"], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=300, check=False)


@needs_fork
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_cli_prints_the_same_with_a_helper(fmt: str, generated: Path, mixed: Path) -> None:
    env = {**os.environ, "STACKMAP_TODAY": "2025-01-15", "NO_COLOR": "1"}
    for name in ("STACKMAP_WORKERS", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        env.pop(name, None)
    inventories = [(generated, 0)]
    if fmt in ("text", "json"):
        inventories += [(ROOT / "inventories", 0), (mixed, 1)]
    for path, code in inventories:
        args = [str(path), "--format", fmt]
        alone = _check(args, {**env, "STACKMAP_WORKERS": "1"}, forced=True)
        together = _check(args, env, forced=True)
        assert alone.returncode == together.returncode == code, together.stderr
        assert "forked a helper" not in alone.stderr
        assert "forked a helper" in together.stderr
        assert together.stdout == alone.stdout and together.stdout


def test_a_bad_stackmap_workers_is_a_usage_error() -> None:
    env = {**os.environ, "STACKMAP_WORKERS": "many"}
    done = _check([str(ROOT / "inventories")], env, forced=False)
    assert done.returncode == 2
    assert "STACKMAP_WORKERS" in done.stderr and done.stdout == ""
