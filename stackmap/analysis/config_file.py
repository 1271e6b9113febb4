"""Finding and reading the configuration: ``.stackmap.yaml`` and ``.stackmap-waivers.yaml``.

``.stackmap.yaml`` is found by searching upward from the inventory (or the current directory) to
the git work tree root, or named with ``--config``. ``.stackmap-waivers.yaml`` is found the same way.
Both are strict: an unknown key, rule or option is an error naming the valid choices (the checks are
:mod:`stackmap.analysis.config_sections` and :mod:`stackmap.analysis.config_doc`). A path a
configuration file names must stay inside the work tree.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from ..errors import ConfigError
from ..hints import safe_text
from ..load.sources import git_root, inside
from .config import CONFIG_NAME, FAIL_LEVELS, WAIVERS_NAME, Config
from .config_doc import ConfigDoc, dotted, is_text, one_of, only_keys, string_list
from .config_sections import parse_options, parse_rules, parse_waivers
from .waivers import Waiver

TOP_KEYS: tuple[str, ...] = ("paths", "exclude", "fail_on", "baseline", "rules", "options", "waivers")


def search_folders(start: Path) -> list[Path]:
    """The folders a configuration file is looked for in: ``start``'s folder and those above it,
    up to the git work tree root (or ``/``), nearest first."""
    here = start.absolute()
    here = here if here.is_dir() else here.parent
    root = git_root(here)
    folders = []
    for folder in (here, *here.parents):
        folders.append(folder)
        if root is not None and folder == root:
            break
    return folders


def find_upward(name: str, start: Path) -> Path | None:
    """``name`` in one of the :func:`search_folders` of ``start``, the nearest."""
    return next((folder / name for folder in search_folders(start) if (folder / name).is_file()), None)


def load_config(explicit: Path | None, start: Path) -> Config:
    """The configuration named by ``--config`` or found from ``start``, with waivers from both files."""
    if explicit is not None and not explicit.is_file():
        raise ConfigError(f"{explicit}: no such configuration file")
    path = explicit or find_upward(CONFIG_NAME, start)
    config = Config() if path is None else parse_config(path)
    waivers_path = find_upward(WAIVERS_NAME, path.parent if path is not None else start)
    if waivers_path is not None:
        doc = ConfigDoc.read(waivers_path)
        only_keys(doc, doc.data, (), ("waivers",))
        extra = parse_waivers(doc, doc.data.get("waivers"), ("waivers",))
        doc.raise_problems()
        config.waivers = tuple(sorted((*config.waivers, *extra), key=_waiver_key))
        config.sources = (*config.sources, doc.display)
    return config


def parse_config(path: Path) -> Config:
    """Read and validate one configuration file; a :class:`ConfigError` lists every problem."""
    doc = ConfigDoc.read(path)
    data = doc.data
    only_keys(doc, data, (), TOP_KEYS)
    config = Config(base=path.parent, sources=(doc.display,))
    root = git_root(path.absolute().parent) or Path.cwd()
    if "paths" in data:
        config.paths = string_list(doc, data["paths"], ("paths",))
        for i, entry in enumerate(config.paths):
            _inside(doc, entry, path.parent, root, ("paths", i) if isinstance(data["paths"], list) else ("paths",))
    if "exclude" in data:
        config.exclude = string_list(doc, data["exclude"], ("exclude",))
    if "fail_on" in data:
        config.fail_on = one_of(doc, data["fail_on"], ("fail_on",), FAIL_LEVELS, "fail level") or "error"
    if "baseline" in data:
        value = data["baseline"]
        if value is not None and not is_text(value):
            doc.problem(("baseline",), "baseline: expected a file path")
        config.baseline = value or None
        if is_text(value):
            _inside(doc, value, path.parent, root, ("baseline",))
    config.rules = parse_rules(doc, data.get("rules"))
    config.options = parse_options(doc, data.get("options"))
    config.waivers = tuple(sorted(parse_waivers(doc, data.get("waivers"), ("waivers",)), key=_waiver_key))
    doc.raise_problems()
    return config


def _inside(doc: ConfigDoc, value: str, base: Path, root: Path, where: tuple[object, ...]) -> None:
    """A path from a configuration file may not leave the work tree (name it on the command line)."""
    if not inside(base / value, root):
        shown = safe_text(value if len(value) <= 80 else value[:79] + "…")
        doc.problem(where, f"{dotted(where)}: {shown!r} is outside the work tree; a path from a "
                           "configuration file must stay inside it (name it on the command line instead)")


def _waiver_key(w: Waiver) -> tuple[str, str, datetime.date, str]:
    return (w.rule, w.target, w.expires, str(w.location))
