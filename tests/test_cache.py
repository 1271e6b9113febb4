"""The per-file cache: hits, misses, corrupt and foreign entries, and identical results either way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from stackmap.load.cache import Cache, decode_entry, default_cache_dir, encode_entry
from stackmap.analysis.engine import analyse
from stackmap.errors import InventoryError
from stackmap.load.inventory import Inventory, load_inventory
from stackmap.load.limits import Limits
from stackmap.load.results import FileResult

A = """
systems:
  - id: crm
    name: CRM
    roles: [system-of-record]
    data: [contact]
  - id: mail
    name: Mail
    data: [contact]
    x-note: ignored
"""
B = """
systems:
  - id: shop
    name: Shop
    data: [transactional]
    annual_cost: 1200
flows:
  - from: shop
    to: crm
    data: [transactional]
  - id: nightly
    from: mail
    to: crm
    mechanism: batch
    data: [contact]
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("*/*.json"))


def load(cache: Cache | None, *paths: str) -> Inventory:
    return load_inventory([Path(p) for p in paths], cache=cache)


def summary(inventory: Inventory) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.rule, str(f.location), f.systems) for f in analyse(inventory).findings]


def test_second_load_reads_every_file_from_the_cache_with_the_same_result(tmp_path: Path) -> None:
    write(tmp_path, {"inv/a.yaml": A, "inv/b.yaml": B, "inv/mkdocs.yml": "site_name: x\n"})
    cold = load(None, "inv")
    first = Cache(tmp_path / "cache")
    assert summary(load(first, "inv")) == summary(cold)
    assert (first.hits, first.misses, len(entries(tmp_path / "cache"))) == (0, 3, 3)
    warm = Cache(tmp_path / "cache")
    inventory = load(warm, "inv")
    assert (warm.hits, warm.misses) == (3, 0)
    assert summary(inventory) == summary(cold)
    assert inventory.systems == cold.systems and inventory.flows == cold.flows
    assert (inventory.system_locations, inventory.flow_locations) == (cold.system_locations, cold.flow_locations)
    assert (inventory.files, inventory.skipped) == (["inv/a.yaml", "inv/b.yaml"], ["inv/mkdocs.yml"])
    assert [s.model_fields_set for s in inventory.systems.values()] == [
        s.model_fields_set for s in cold.systems.values()]


def test_editing_one_file_parses_only_that_file(tmp_path: Path) -> None:
    write(tmp_path, {"inv/a.yaml": A, "inv/b.yaml": B})
    load(Cache(tmp_path / "cache"), "inv")
    write(tmp_path, {"inv/b.yaml": B.replace("annual_cost: 1200", "annual_cost: 99")})
    cache = Cache(tmp_path / "cache")
    inventory = load(cache, "inv")
    assert (cache.hits, cache.misses) == (1, 1)
    assert inventory.systems["shop"].annual_cost == 99


def test_cross_file_problems_are_found_again_when_every_file_is_cached(tmp_path: Path) -> None:
    write(tmp_path, {"inv/a.yaml": A, "inv/c.yaml": "systems:\n  - id: crm\n    name: Again\n"})
    expected = ["inv/c.yaml:2:9: duplicate system id 'crm': first defined at inv/a.yaml:2:5"]
    for _ in range(2):
        cache = Cache(tmp_path / "cache")
        with pytest.raises(InventoryError) as info:
            load(cache, "inv")
        assert [str(p) for p in info.value.problems] == expected
    assert cache.hits == 2


def test_per_file_problems_and_partly_valid_files_come_back_from_the_cache(tmp_path: Path) -> None:
    write(tmp_path, {
        "inv/a.yaml": A + "  - id: bad\n    name: Bad\n    lifecycle: gone\n",
        "inv/b.yaml": B.replace("to: crm\n    data: [transactional]", "to: bad\n    data: [transactional]"),
        "inv/c.yaml": "systems: [\n",
        "inv/d.yaml": "a: 1\na: 2\nsystems: []\n",
    })
    results = []
    for _ in range(2):
        cache = Cache(tmp_path / "cache")
        with pytest.raises(InventoryError) as info:
            load(cache, "inv")
        results.append([str(p) for p in info.value.problems])
    assert cache.hits == 4
    assert results[0] == results[1] == [
        "inv/a.yaml:12:16: systems[2].lifecycle: 'gone' is not one of planned, active, retiring, retired",
        "inv/c.yaml:2:1: invalid YAML: did not find expected node content",
        "inv/d.yaml:1:1: a: unknown field 'a'",
        "inv/d.yaml:2:1: duplicate key 'a'",
    ]


def test_a_walked_and_an_explicit_file_are_different_entries(tmp_path: Path) -> None:
    write(tmp_path, {"inv/a.yaml": A, "inv/mkdocs.yml": "site_name: x\n"})
    cache = Cache(tmp_path / "cache")
    assert load(cache, "inv").skipped == ["inv/mkdocs.yml"]
    with pytest.raises(InventoryError):
        load(Cache(tmp_path / "cache"), "inv", "inv/mkdocs.yml")


def test_limits_are_part_of_the_key(tmp_path: Path) -> None:
    write(tmp_path, {"inv/a.yaml": A})
    load(Cache(tmp_path / "cache"), "inv")
    other = Cache(tmp_path / "cache", Limits(max_depth=50))
    load_inventory([Path("inv")], cache=other, limits=Limits(max_depth=50))
    assert (other.hits, other.misses) == (0, 1)


@pytest.mark.parametrize("damage", ["truncate", "flip", "header", "key", "empty", "schema", "garbage"])
def test_a_damaged_or_foreign_entry_is_ignored_and_rewritten(tmp_path: Path, damage: str) -> None:
    write(tmp_path, {"inv/a.yaml": A, "inv/b.yaml": B})
    cold = summary(load(Cache(tmp_path / "cache"), "inv"))
    for entry in entries(tmp_path / "cache"):
        raw = entry.read_bytes()
        head, _, body = raw.partition(b"\n")
        if damage == "truncate":
            raw = raw[: len(raw) // 2]
        elif damage == "flip":
            raw = raw.replace(b'"crm"', b'"crn"').replace(b'"shop"', b'"shoq"')
        elif damage == "header":
            raw = raw.replace(b"stackmap-cache/2", b"stackmap-cache/0", 1)
        elif damage == "key":
            raw = head[:20] + b"0" * 8 + head[28:] + b"\n" + body
        elif damage == "empty":
            raw = b""
        elif damage == "garbage":
            raw = os.urandom(200)
        else:  # a well-formed entry whose checksum holds but whose content breaks the models
            import hashlib

            evil = json.loads(body)
            evil["content"] = {"systems": [{"id": "NOT AN ID", "name": ""}]}
            body = json.dumps(evil).encode()
            parts = head.split(b" ")
            raw = b" ".join([parts[0], parts[1], hashlib.sha256(body).hexdigest().encode()]) + b"\n" + body
        entry.write_bytes(raw)
    cache = Cache(tmp_path / "cache")
    assert summary(load(cache, "inv")) == cold
    assert (cache.hits, cache.misses) == (0, 2)
    again = Cache(tmp_path / "cache")
    load(again, "inv")
    assert (again.hits, again.misses) == (2, 0)


def test_entries_round_trip_and_refuse_another_key() -> None:
    result = FileResult("error", [(1, 2, "bad")])
    raw = encode_entry(result, "k" * 64)
    assert decode_entry(raw, "k" * 64) == result
    assert decode_entry(raw, "j" * 64) is None


def test_an_unwritable_cache_is_not_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"inv/a.yaml": A})
    (tmp_path / "blocked").write_text("a file where the cache folder should be")
    cache = Cache(tmp_path / "blocked" / "cache")
    assert list(load(cache, "inv").systems) == ["crm", "mail"]
    assert cache.misses == 1


def test_cache_folder_location(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "inv").mkdir()
    env = {"HOME": str(tmp_path / "home")}
    assert default_cache_dir([tmp_path / "repo" / "inv"], env) == tmp_path / "home" / ".cache" / "stackmap"
    assert default_cache_dir([tmp_path / "elsewhere"], env) == tmp_path / "home" / ".cache" / "stackmap"
    assert default_cache_dir([tmp_path / "elsewhere"], {**env, "XDG_CACHE_HOME": "/x"}) == Path("/x/stackmap")
    assert default_cache_dir([tmp_path / "repo"], {**env, "STACKMAP_CACHE_DIR": "/c"}) == Path("/c")


def run(cwd: Path, *args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STACKMAP_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "stackmap", *args], cwd=cwd, capture_output=True,
                          text=True, env=env)


def test_check_uses_the_cache_unless_told_not_to_and_never_touches_the_inventory(tmp_path: Path) -> None:
    write(tmp_path, {"inv/a.yaml": A, "inv/b.yaml": B})
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted((tmp_path / "inv").iterdir())}
    cache = tmp_path / "cache"
    plain = run(tmp_path, "check", "inv", "--no-cache", "--format", "json", cache=cache)
    assert not cache.exists()
    filled = run(tmp_path, "check", "inv", "--format", "json", cache=cache)
    assert len(entries(cache)) == 2
    assert (cache / ".gitignore").read_text().endswith("*\n") and (cache / "CACHEDIR.TAG").exists()
    warm = run(tmp_path, "check", "inv", "--format", "json", cache=cache)
    assert plain.stdout == filled.stdout == warm.stdout
    assert (plain.returncode, filled.returncode, warm.returncode) == (0, 0, 0)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted((tmp_path / "inv").iterdir())} == before


def test_inline_waivers_come_back_from_the_cache(tmp_path: Path) -> None:
    text = A.replace("    x-note: ignored\n",
                     "    x-stackmap-ignore: {customer-data-unsynced: \"sync project starts in Q3\"}\n")
    write(tmp_path, {"inv/a.yaml": text, "inv/b.yaml": B})
    cold = load(None, "inv")
    load(Cache(tmp_path / "cache"), "inv")
    warm_cache = Cache(tmp_path / "cache")
    warm = load(warm_cache, "inv")
    assert (warm_cache.hits, warm_cache.misses) == (2, 0)
    expected = {("system", "mail"): ("customer-data-unsynced", "sync project starts in Q3", "inv/a.yaml:9:25")}
    for inventory in (cold, warm):
        assert {key: (ig.rule, ig.reason, str(ig.location)) for key, (ig,) in inventory.ignores.items()} == expected
