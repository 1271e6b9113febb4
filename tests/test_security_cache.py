"""The cache cannot be planted, forged or pointed elsewhere by anything a pull request commits."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pydantic
import pytest
import yaml

from stackmap import __version__
from stackmap.load import cache as cache_mod
from stackmap.load.cache import Cache
from stackmap.load.inventory import load_inventory
from stackmap.load.limits import Limits

INVALID = textwrap.dedent("""
    systems:
      - id: crm
        name: CRM
    flows:
      - from: crm
        to: nowhere
        data: [contact]
""").lstrip()
EMPTY_BODY = {"kind": "empty", "problems": [], "content": None, "valid": None, "marks": {}, "claimed": {}}


def public_key(data: bytes) -> str:
    """The entry name an outsider can compute from public version strings (the old design)."""
    salt = "\0".join([cache_mod.FORMAT.decode(), __version__, cache_mod._code_digest(), pydantic.VERSION,
                      yaml.__version__, repr(Limits())])
    digest = hashlib.sha256(hashlib.sha256(salt.encode()).digest())
    digest.update(b"walked")
    digest.update(data)
    return digest.hexdigest()


def plant(root: Path, data: bytes, body: dict[str, object]) -> None:
    """An entry with a correct SHA-256 checksum, as anyone could write it."""
    key = public_key(data)
    raw = json.dumps(body).encode()
    header = b"%s %s %s\n" % (cache_mod.FORMAT, key.encode(), hashlib.sha256(raw).hexdigest().encode())
    (root / key[:2]).mkdir(parents=True, exist_ok=True)
    (root / key[:2] / f"{key[2:]}.json").write_bytes(header + raw)


def repo(tmp_path: Path) -> Path:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "inv").mkdir()
    (tmp_path / "repo" / "inv" / "a.yaml").write_text(INVALID, encoding="utf-8")
    return tmp_path / "repo"


def run(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stackmap", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)


def home_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("STACKMAP_CACHE_DIR", "XDG_CACHE_HOME")}
    env.update(HOME=str(tmp_path / "home"), NO_COLOR="1")
    return env


def test_a_committed_cache_folder_is_never_read(tmp_path: Path) -> None:
    root = repo(tmp_path)
    plant(root / ".stackmap-cache", INVALID.encode(), EMPTY_BODY)
    done = run(root, "check", "inv", env=home_env(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "no system has the id 'nowhere'" in done.stdout
    assert (tmp_path / "home" / ".cache" / "stackmap" / "key").exists()


def test_an_entry_planted_in_the_cache_folder_is_a_miss(tmp_path: Path) -> None:
    root = repo(tmp_path)
    env = {**home_env(tmp_path), "STACKMAP_CACHE_DIR": str(tmp_path / "cache")}
    plant(tmp_path / "cache", INVALID.encode(), EMPTY_BODY)
    done = run(root, "check", "inv", env=env)
    assert done.returncode == 1, done.stdout + done.stderr


def signed(cache: Cache, data: bytes, body: dict[str, object]) -> None:
    """An entry signed with this machine's key: only this machine can write one."""
    from stackmap.load.sources import Source

    source = Source("inv/a.yaml", data, False)
    assert cache._open()
    key = cache.key(source)
    raw = json.dumps(body).encode()
    header = b"%s %s %s\n" % (cache_mod.FORMAT, key.encode(), cache_mod._mac(cache._secret, raw))
    (cache.root / key[:2]).mkdir(exist_ok=True)
    (cache.root / key[:2] / f"{key[2:]}.json").write_bytes(header + raw)


@pytest.mark.parametrize("body", [
    {**EMPTY_BODY, "kind": "inventory", "content": {"systems": [{"id": "crm", "name": "CRM"}]}},
    {**EMPTY_BODY, "kind": "error", "problems": [[-5, -1, "made up"]]},
    {**EMPTY_BODY, "kind": "inventory", "content": {}, "valid": {"systems": [[7, {"id": "x", "name": "X"}]]},
     "marks": {"systems": [[0, 0]]}},
    {**EMPTY_BODY, "kind": "empty", "marks": {"nonsense": [[0, 0]]}},
])
def test_a_signed_but_inconsistent_entry_is_a_miss_not_a_crash(tmp_path: Path, body: dict[str, object],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = repo(tmp_path)
    monkeypatch.chdir(root)
    cache = Cache(tmp_path / "cache")
    signed(cache, INVALID.encode(), body)
    fresh = Cache(tmp_path / "cache")
    with pytest.raises(Exception) as raised:
        load_inventory([Path("inv")], cache=fresh)
    assert type(raised.value).__name__ == "InventoryError"
    assert (fresh.hits, fresh.misses) == (0, 1)


def test_a_cache_folder_that_is_a_link_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = repo(tmp_path)
    monkeypatch.chdir(root)
    (tmp_path / "target").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "target")
    cache = Cache(tmp_path / "link")
    with pytest.raises(Exception):
        load_inventory([Path("inv")], cache=cache)
    assert list((tmp_path / "target").iterdir()) == []


def test_links_inside_the_cache_folder_are_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = repo(tmp_path)
    monkeypatch.chdir(root)
    (root / "inv" / "a.yaml").write_text("systems:\n  - id: crm\n    name: CRM\n", encoding="utf-8")
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / ".gitignore").symlink_to(tmp_path / "planted")
    (folder / "CACHEDIR.TAG").symlink_to(tmp_path / "elsewhere" / "tag")
    cache = Cache(folder)
    load_inventory([Path("inv")], cache=cache)
    assert not (tmp_path / "planted").exists() and not (tmp_path / "elsewhere").exists()
    shard = next(p for p in folder.iterdir() if p.is_dir())
    entry = next(shard.iterdir())
    (tmp_path / "outside").mkdir()
    entry.unlink()
    entry.symlink_to(tmp_path / "outside" / "x.json")
    again = Cache(folder)
    load_inventory([Path("inv")], cache=again)
    assert (again.hits, again.misses) == (0, 1)
    assert list((tmp_path / "outside").iterdir()) == []


def test_a_key_others_can_read_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = repo(tmp_path)
    monkeypatch.chdir(root)
    (root / "inv" / "a.yaml").write_text("systems:\n  - id: crm\n    name: CRM\n", encoding="utf-8")
    load_inventory([Path("inv")], cache=Cache(tmp_path / "cache"))
    key = tmp_path / "cache" / "key"
    assert key.stat().st_mode & 0o777 == 0o600
    key.chmod(0o644)
    cache = Cache(tmp_path / "cache")
    load_inventory([Path("inv")], cache=cache)
    assert (cache.hits, cache.misses) == (0, 1)


def test_a_committed_cache_link_gets_nothing_written_through_it(tmp_path: Path) -> None:
    root = repo(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (root / ".stackmap-cache").symlink_to(tmp_path / "elsewhere")
    done = run(root, "check", "inv", env=home_env(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []
