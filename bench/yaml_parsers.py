"""Compare YAML parsers on a generated inventory: ``python bench/yaml_parsers.py [SYSTEMS]``.

Needs ``rapidyaml`` installed (``pip install rapidyaml``; not a stackmap dependency). Times, in one
process with the cyclic GC paused (medians of ``BENCH_RUNS`` passes over every file):

- libyaml events only (PyYAML ``CParser.get_event``: the C scanner and parser, plus event objects);
- stackmap's parse (events → dicts and lists with marks, duplicate keys, merges, alias budget);
- PyYAML ``CSafeLoader`` (compose + generic construction; the floor of the benchmarks);
- rapidyaml ``parse_in_arena`` alone (C++ tree, nothing reaches Python);
- rapidyaml parse + a walk building the same plain Python data (no marks, no YAML 1.1 resolution).

Then probes what stackmap needs from a parser and prints a Markdown table of both.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def median_time(fn: Callable[[bytes], Any], blobs: list[bytes]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for blob in blobs:
            fn(blob)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def libyaml_events(blob: bytes) -> None:
    parser = yaml.cyaml.CParser(blob)
    get = parser.get_event
    while get() is not None:
        pass


def ryml_tree(blob: bytes) -> Any:
    import ryml

    return ryml.parse_in_arena(blob)


def ryml_python(blob: bytes) -> Any:
    """rapidyaml, then a walk of its tree into dicts/lists of str (the least stackmap would need)."""
    import ryml

    tree = ryml.parse_in_arena(blob)

    def build(node: int) -> Any:
        if tree.is_map(node):
            out = {}
            child = tree.first_child(node)
            while child != ryml.NONE:
                out[bytes(tree.key(child)).decode()] = build(child)
                child = tree.next_sibling(child)
            return out
        if tree.is_seq(node):
            items = []
            child = tree.first_child(node)
            while child != ryml.NONE:
                items.append(build(child))
                child = tree.next_sibling(child)
            return items
        return bytes(tree.val(node)).decode() if tree.has_val(node) else None

    root = tree.root_id()
    if tree.is_stream(root):
        root = tree.first_child(root)
    return build(root)


def ryml_json(blob: bytes) -> Any:
    """rapidyaml, emitted as JSON in C++, loaded by the C json module: the fastest route to Python
    data, but without marks, aliases (``*x`` comes out as the text ``"*x"``) or YAML 1.1 typing."""
    import json

    import ryml

    tree = ryml.parse_in_arena(blob)
    return json.loads(ryml.emit_json_malloc(tree, tree.root_id()))


def probe_ryml() -> dict[str, str]:
    import ryml

    found: dict[str, str] = {}
    try:
        ryml.parse_in_arena(b"a: 1\nb: 2\na: 3\n")
        found["duplicate keys"] = "accepted silently (`a: 1 … a: 3` parses)"
    except Exception as exc:  # pragma: no cover - depends on the version
        found["duplicate keys"] = f"rejected: {exc!r}"[:80]
    tree = ryml.parse_in_arena(b"x: &d {owner: it}\ns: {<<: *d, id: a}\n")
    found["merge keys"] = ("kept as a `<<` key with an alias; expanded only by `Tree.resolve()`, "
                           f"which copies every alias with no bound (tree size {tree.size()} before)")
    tree = ryml.parse_in_arena(b"a: no\nb: 0123\nc: 2024-02-30\n")
    vals = [bytes(tree.val(c)).decode() for c in ryml.children(tree, tree.root_id())]
    found["YAML 1.1 typing"] = f"none: every scalar is text ({vals}); resolution would be ours"
    tree = ryml.parse_in_arena(b"d: &x [1]\ne: *x\n")
    found["anchors and aliases"] = ("kept as references; `emit_json` writes an alias as the text "
                                    f"{str(ryml.emit_json_malloc(tree, tree.root_id())).strip()!r}")
    found["line and column"] = ("not exposed by the Python binding (`Location` exists, but no "
                                "parser with locations)")
    try:
        ryml.parse_in_arena(b"a: [1\n")
        found["errors"] = "accepted"
    except Exception as exc:
        text = " ".join(str(a) for a in exc.args).replace("\n", " ")[:80]
        found["errors"] = f"`{type(exc).__name__}`: {text or '(no message in the Python exception)'}"
    return found


def main() -> None:
    from generate import generate

    systems = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    out = HERE / "out" / f"inv-{systems}"
    if not (out / ".complete").exists():
        generate(systems, out)
        (out / ".complete").write_text("")
    blobs = [p.read_bytes() for p in sorted(out.glob("*.yaml"))]
    from stackmap.load.yamlio import parse

    gc.disable()
    rows = [
        ("libyaml events only (C scanner + parser, event objects)", median_time(libyaml_events, blobs)),
        ("**stackmap parse** (events → data, marks, checks)", median_time(lambda b: parse(b.decode()), blobs)),
        ("PyYAML `CSafeLoader` (the floor's parser)", median_time(
            lambda b: yaml.load(b, Loader=yaml.CSafeLoader), blobs)),
    ]
    try:
        import ryml  # noqa: F401
    except ImportError:
        print("rapidyaml is not installed: pip install rapidyaml")
    else:
        rows += [
            ("rapidyaml `parse_in_arena` (C++ tree only)", median_time(ryml_tree, blobs)),
            ("rapidyaml + walk into Python dicts/lists", median_time(ryml_python, blobs)),
            ("rapidyaml → JSON (C++) → `json.loads`", median_time(ryml_json, blobs)),
        ]
    print(f"{systems:,} systems, {len(blobs)} files, {sum(map(len, blobs)) / 1e6:.1f} MB; "
          f"GC paused; median of {RUNS}\n")
    print("| parser | time |\n|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} s |")
    if len(rows) > 3:
        print("\n| what stackmap needs | rapidyaml (Python binding) |\n|---|---|")
        for need, answer in probe_ryml().items():
            print(f"| {need} | {answer} |")


if __name__ == "__main__":
    main()
