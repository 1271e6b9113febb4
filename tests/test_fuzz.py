"""A bounded fuzz campaign: mutated YAML never gives a traceback or a hang, and every rejection names
its file with a line and column; nor do hostile file names, configuration and baseline files, cache
entries (even signed with this machine's key) and importer inputs, which a pull request controls too.

Short by default (``make test``); ``STACKMAP_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py`` or
``make fuzz`` runs a longer campaign.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stackmap.errors import InventoryError
from stackmap.load.inventory import Inventory, build_inventory
from stackmap.load.limits import Limits
from stackmap.formats import REPORTERS, ReportContext
from stackmap.load.sources import Source

EXAMPLES = int(os.environ.get("STACKMAP_FUZZ_EXAMPLES", "300"))
SECONDS_PER_EXAMPLE = 10
ROOT = Path(__file__).parent.parent
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "inventories").glob("*.yaml"))] + [
    "x-d: &d {owner: it, tags: [a, b]}\nsystems:\n  - <<: *d\n    id: a\n    name: A\n"
    "  - {id: b, name: B, data: [contact]}\nflows: [{from: a, to: b, data: [contact]}]\n",
    "x-l0: &l0 [a]\nx-l1: &l1 [*l0, *l0, *l0]\nsystems:\n  - id: a\n    name: A\n    tags: *l1\n",
    "capabilities:\n  - id: crm\n    aliases: [customer-db]\ndata_categories:\n  - id: loyalty\n",
]
PIECES = [":", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "<<: ", "!!", "!!int ", "!x ", "|", ">",
          "'", '"', "#", "?", "\n", "\n  ", "\t", "---\n", "...\n", "%YAML 1.1\n", "x-", "id: ", "no",
          "0123", "2024-02-30", "~", "\x00", "\x07", "\ufeff", "é", "\U0001f600", " " * 8, "1" * 60]
LIMITS = Limits(max_alias_expansion=20_000, max_depth=200)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        piece = draw(st.sampled_from(PIECES) | st.text(max_size=3))
        if op == "insert":
            text = text[:at] + piece + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        elif op == "replace":
            text = text[:at] + piece + text[at + len(piece):]
        else:
            end = min(len(text), at + draw(st.integers(1, 200)))
            text = text[:end] + text[at:end] + text[end:]
    data = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:  # now and then, bytes that are not UTF-8
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=3)) + data[at:]
    return data


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def hang(signum: int, frame: object) -> None:
        raise AssertionError(f"no answer within {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@given(st.lists(mutated(), min_size=1, max_size=3), st.booleans())
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          database=None)
def test_mutated_yaml_is_loaded_or_rejected_with_places(blobs: list[bytes], explicit: bool) -> None:
    names = [f"inv/f{i}.yaml" for i in range(len(blobs))]
    sources = [Source(name, blob, explicit) for name, blob in zip(names, blobs)]
    ctx = ReportContext(fail_on="error", color=False, version="0")
    with time_limit(SECONDS_PER_EXAMPLE):
        try:
            inventory = build_inventory(sources, limits=LIMITS)
        except InventoryError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert problem.file in names, problem
                assert problem.line >= 1 and problem.column >= 1, problem
                assert problem.message and "Traceback" not in problem.message
                assert len(problem.message) < 2_000, problem
            for reporter in REPORTERS.values():
                reporter.format_problems(exc, ctx)
        else:
            assert isinstance(inventory, Inventory)
            assert set(inventory.files) | set(inventory.skipped) <= set(names)


# -- beyond inventory text: file names, configuration, baseline, cache entries, importer inputs ------

SMALL = max(EXAMPLES // 3, 60)
"""Examples per campaign below (each writes files, so fewer than for inventory text)."""
FIXTURES = ROOT / "tests" / "fixtures" / "interop"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066")


def mutate(draw: st.DrawFn, text: str, pieces: list[str]) -> str:
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(pieces) | st.text(max_size=3))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        if op == "insert":
            text = text[:at] + piece + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        else:
            text = text[:at] + piece + text[at + len(piece):]
    return text


file_names = st.binary(min_size=1, max_size=24).filter(
    lambda b: b"/" not in b and b"\0" not in b and not b.startswith(b".")).map(lambda b: b + b".yaml")


@given(st.lists(file_names, min_size=1, max_size=3, unique=True))
@settings(max_examples=SMALL, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
def test_any_file_name_reaches_every_format_escaped_and_as_utf8(names: list[bytes]) -> None:
    import tempfile

    from stackmap.load.sources import read_sources

    with tempfile.TemporaryDirectory() as tmp, time_limit(SECONDS_PER_EXAMPLE):
        folder = Path(tmp) / "inv"
        folder.mkdir()
        written = 0
        for name in names:
            try:
                (folder / os.fsdecode(name)).write_text("systems:\n  - id: crm\n    name: CRM\n", encoding="utf-8")
                written += 1
            except OSError:  # a name the file system refuses (too long once encoded)
                continue
        if not written:
            return
        notes: list[str] = []
        sources = read_sources([folder], notes=notes)
        ctx = ReportContext(fail_on="error", color=False, version="0")
        try:
            build_inventory(sources, notes=notes)
        except InventoryError as exc:
            assert written > 1
            for reporter in REPORTERS.values():
                out = reporter.format_problems(exc, ctx)
                out.encode("utf-8")
                assert not any(c in out for c in RAW)
        for source in sources:
            source.display.encode("utf-8")
            assert "\n" not in source.display and not any(c in source.display for c in RAW)


CONFIG_SEEDS = [
    (ROOT / "stackmap" / "analysis" / "default-config.yaml").read_text(encoding="utf-8"),
    "paths: [inv]\nexclude: ['*.draft.yaml']\nfail_on: warning\nbaseline: base.json\n"
    "rules:\n  isolated-system: off\n  duplicate-capability: {enabled: true, severity: warning}\n"
    "options:\n  sprawl_ratio: 2.5\n  marketing_owners: [growth]\n"
    "waivers:\n  - {rule: isolated-system, target: crm, reason: audits, expires: 2030-01-01}\n",
]
CONFIG_PIECES = [*PIECES, "../", "/etc/passwd", ".inf", "-1", "off", "paths: ", "waivers: ", "rules: "]


@st.composite
def configs(draw: st.DrawFn) -> bytes:
    text = mutate(draw, draw(st.sampled_from(CONFIG_SEEDS)), CONFIG_PIECES)
    return text.encode("utf-8", "surrogatepass")


@given(configs())
@settings(max_examples=SMALL, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
def test_a_mutated_configuration_is_read_or_rejected_as_a_configuration_error(data: bytes) -> None:
    import tempfile

    from stackmap.analysis.config_file import parse_config
    from stackmap.errors import ConfigError

    with tempfile.TemporaryDirectory() as tmp, time_limit(SECONDS_PER_EXAMPLE):
        (Path(tmp) / ".git").mkdir()
        path = Path(tmp) / ".stackmap.yaml"
        path.write_bytes(data)
        try:
            config = parse_config(path)
        except ConfigError as exc:
            assert "Traceback" not in str(exc)
        else:
            for entry in config.inventory_paths():
                assert entry.resolve().is_relative_to(Path(tmp).resolve())


BASELINE_SEED = ('{\n  "version": 1,\n  "findings": [\n    {"fingerprint": "abc", "rule": "isolated-system", '
                 '"subject": "crm", "message": "CRM is isolated"}\n  ]\n}\n')


BASELINE_PIECES = ["[", "]", "{", "}", '"', ",", ":", "true", "1.0", "null", "[" * 5_000, "\\u0000", "\\ud800"]


@given(st.data())
@settings(max_examples=SMALL, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
def test_a_mutated_baseline_is_read_or_rejected_as_a_configuration_error(data: st.DataObject) -> None:
    import tempfile

    from stackmap.analysis.baseline import read
    from stackmap.errors import ConfigError

    text = data.draw(st.composite(lambda draw: mutate(draw, BASELINE_SEED, BASELINE_PIECES))())
    with tempfile.TemporaryDirectory() as tmp, time_limit(SECONDS_PER_EXAMPLE):
        path = Path(tmp) / "b.json"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            baseline = read(path, "b.json")
        except ConfigError:
            return
        assert all(isinstance(e.fingerprint, str) and isinstance(e.message, str) for e in baseline.entries)


@given(st.sampled_from(SEEDS), st.data())
@settings(max_examples=SMALL, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
def test_a_signed_but_mutated_cache_entry_is_a_miss_or_a_valid_result(seed: str, data: st.DataObject) -> None:
    import tempfile

    from stackmap.load import cache as cache_mod
    from stackmap.load.cache import Cache

    source = Source("inv/f0.yaml", seed.encode("utf-8"), False)
    with tempfile.TemporaryDirectory() as tmp, time_limit(SECONDS_PER_EXAMPLE):
        cache = Cache(Path(tmp) / "cache", LIMITS)
        try:
            cold: object = build_inventory([source], cache=cache, limits=LIMITS)
        except InventoryError as exc:
            cold = exc.problems
        key = cache.key(source)
        entry = Path(tmp) / "cache" / key[:2] / f"{key[2:]}.json"
        body = entry.read_bytes().partition(b"\n")[2].decode("utf-8")
        pieces = ['"', "{", "}", "[", "]", ",", ":", "-1", "0", "99999", "null", '"systems"', '"marks"',
                  '"inventory"', '"error"', '"valid"', "[[0,0]]", '[[-3,-3,"x"]]', '{"id":"zz","name":"Z"}']
        body_bytes = data.draw(st.composite(lambda draw: mutate(draw, body, pieces))()).encode("utf-8",
                                                                                           "surrogatepass")
        header = b"%s %s %s\n" % (cache_mod.FORMAT, key.encode(), cache_mod._mac(cache._secret, body_bytes))
        entry.write_bytes(header + body_bytes)
        warm_cache = Cache(Path(tmp) / "cache", LIMITS)
        try:
            warm: object = build_inventory([source], cache=warm_cache, limits=LIMITS)
        except InventoryError as exc:
            warm = exc.problems
        if warm_cache.misses:  # rejected: the result is the fresh one
            assert type(warm) is type(cold)
        for problem in warm if isinstance(warm, list) else []:
            assert problem.line >= 1 and problem.column >= 1


CSV_SEEDS = [(FIXTURES / "canonical" / "systems.csv").read_text(encoding="utf-8"),
             (FIXTURES / "spreadsheet" / "Applications.csv").read_text(encoding="utf-8")]
BACKSTAGE_SEED = (FIXTURES / "backstage" / "catalog-info.yaml").read_text(encoding="utf-8")


@given(st.sampled_from(["csv", "backstage"]), st.data())
@settings(max_examples=SMALL, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
def test_a_mutated_import_input_is_imported_or_rejected_with_a_message(fmt: str, data: st.DataObject) -> None:
    import tempfile

    from stackmap.errors import StackmapError
    from stackmap.interop.importing import run

    seed = data.draw(st.sampled_from(CSV_SEEDS)) if fmt == "csv" else BACKSTAGE_SEED
    text = data.draw(st.composite(lambda draw: mutate(draw, seed, [*PIECES, ";", ",", "\r\n", "=cmd", "@x"]))())
    with tempfile.TemporaryDirectory() as tmp, time_limit(SECONDS_PER_EXAMPLE):
        name = "systems.csv" if fmt == "csv" else "catalog-info.yaml"
        (Path(tmp) / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            imported = run(fmt, [Path(tmp)])
        except StackmapError as exc:
            assert str(exc) and "Traceback" not in str(exc)
        else:
            assert imported.text.endswith("\n")
