"""A bounded fuzz campaign on the loader: mutated YAML never gives a traceback or a hang, and every
rejection names its file with a line and column.

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
