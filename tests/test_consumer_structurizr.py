"""The Structurizr DSL export read back by the rules of Structurizr's own parser.

No package registry this project reaches ships the parser (a Java library on Maven Central), so the
rules it states for what the export writes are modelled here and applied line by line
(docs/output-formats.md says what was verified and how):

- DSL language reference, "Basics": one statement per line; a line ending in ``\\`` continues on
  the next; lines starting with ``#`` or ``//`` are comments; tokens are separated by white space;
  double quotes are needed when a value contains white space; ``{`` ends a line, ``}`` stands alone.
- The parser's tokenizer: a quoted token ends at the first ``"`` that does not follow a ``\\``;
  there is no other escape.
- String substitution ("Constants", ``!const``/``!var``): every ``${NAME}`` (NAME of letters,
  digits, ``-``, ``_``, ``.``) is replaced by the constant of that name, or else by the environment
  variable, one replace-all per occurrence; then each token is trimmed, ``\\"`` read as ``"`` and
  ``\\n`` as a line break.

Every system's name, description, tags and properties and every relationship's description,
technology and properties must come back exactly as written in the inventory (white space runs as
one space), whatever they contain, with environment variables named like the hostile texts set.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest
from hostile import NAMES, display, stacks

from stackmap.interop.exporters import structurizr
from stackmap.load.inventory import Inventory, load_inventory

SUBSTITUTION = re.compile(r"\$\{[a-zA-Z0-9\-_.]+?}")


def tokenize(line: str) -> list[str]:
    """The parser's tokenizer, rule for rule."""
    tokens: list[str] = []
    line = line.strip()
    started = quoted = False
    token: list[str] = []
    for i, c in enumerate(line):
        if not started:
            if c == '"':
                started, quoted, token = True, True, []
            elif c != " ":
                started, quoted, token = True, False, [c]
        elif c == '"' and line[i - 1] == "\\":
            token.append(c)
        elif quoted and c == '"':
            tokens.append("".join(token))
            started = quoted = False
        elif not quoted and c == " ":
            tokens.append("".join(token))
            started = quoted = False
        else:
            token.append(c)
    if started:
        tokens.append("".join(token))
    return tokens


def substitute(token: str, constants: dict[str, str], env: dict[str, str]) -> str:
    for match in SUBSTITUTION.findall(token):
        name = match[2:-1]
        value = constants.get(name, env.get(name))
        if value is not None:
            token = token.replace(match, value)
    return token


def value(token: str) -> str:
    return token.strip().replace('\\"', '"').strip().replace("\\n", "\n")


def parse(dsl: str, env: dict[str, str]) -> dict[str, object]:
    """What the parser builds from the export: systems (name → description, tags, properties) and
    relationships (source, destination, description, technology, properties)."""
    constants: dict[str, str] = {}
    systems: dict[str, dict[str, object]] = {}
    idents: dict[str, str] = {}
    relationships: list[dict[str, object]] = []
    current: dict[str, object] | None = None
    in_properties = False
    lines = dsl.split("\n")
    assert not any(line.endswith("\\") for line in lines), "a line would continue on the next"
    for line in lines:
        if not line.strip() or re.match(r"^\s*?(//|#)", line):
            continue
        tokens = [value(substitute(t, constants, env)) for t in tokenize(line)]
        if tokens[0] == "!const":
            assert len(tokens) == 3, line
            constants[tokens[1]] = tokens[2]
        elif len(tokens) > 3 and tokens[1] == "=" and tokens[2] == "softwareSystem":
            assert len(tokens) == 6 and tokens[5] == "{", line
            current = {"name": tokens[3], "description": tokens[4], "tags": [], "properties": {}}
            assert tokens[3] not in systems, f"duplicate name {tokens[3]!r}"
            systems[tokens[3]] = current
            idents[tokens[0]] = tokens[3]
        elif len(tokens) > 2 and tokens[1] == "->":
            assert len(tokens) == 6 and tokens[5] == "{", line
            current = {"source": idents[tokens[0]], "destination": idents[tokens[2]], "description": tokens[3],
                       "technology": tokens[4], "tags": [], "properties": {}}
            relationships.append(current)
        elif tokens[0] == "tags" and current is not None:
            current["tags"] = [t for token in tokens[1:] for t in token.split(",")]
        elif tokens == ["properties", "{"]:
            in_properties = True
        elif tokens == ["}"]:
            if in_properties:
                in_properties = False
            else:
                current = None
        elif in_properties and current is not None:
            assert len(tokens) == 2, line
            current["properties"][tokens[0]] = tokens[1]  # type: ignore[index]
    return {"systems": systems, "relationships": relationships}


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Inventory, str]]:
    out = {}
    for label, folder in stacks(tmp_path_factory.mktemp("structurizr")).items():
        with contextlib.chdir(folder.parent):
            inventory = load_inventory([Path(folder.name)])
        out[label] = (inventory, structurizr.export(inventory))
    return out


ENV = {**os.environ, "PATH": "/usr/bin", "HOME": "/root", "TAG": "tag", "NIGHT": "02:00",
       "stackmap_dollar": "X", "stackmap_backslash": "Y"}


@pytest.mark.parametrize("stack", ["sample", "generated", "hostile"])
def test_every_text_reads_back_as_written(exports, stack):
    inventory, dsl = exports[stack]
    back = parse(dsl, ENV)
    systems = back["systems"]
    assert len(systems) == len(inventory.systems)  # type: ignore[arg-type]
    for s in inventory.systems.values():
        got = systems.get(display(s.name)) or next(v for k, v in systems.items() if k.startswith(display(s.name)))
        assert got["description"] == display(s.description or "")
        assert got["properties"]["id"] == s.id
        for field in ("vendor", "owner"):
            if getattr(s, field):
                assert got["properties"][field] == display(getattr(s, field))
        assert [t for t in got["tags"] if t in {display(x).replace(",", " ") for x in s.tags}] == \
            [display(x).replace(",", " ") for x in s.tags]
    flows = {r["properties"]["key"]: r for r in back["relationships"]}  # type: ignore[index, union-attr]
    assert len(flows) == len(inventory.flows)
    for f in inventory.flows:
        r = flows[f.key]
        assert r["technology"] == (f.mechanism or "")
        assert r["description"] == display(f.description or ", ".join(sorted(set(f.data))) or "data not given")
        if f.frequency:
            assert r["properties"]["frequency"] == display(f.frequency)


def test_hostile_names_exactly(exports):
    back = parse(exports["hostile"][1], ENV)
    assert sorted(back["systems"]) == sorted(display(n) for n in NAMES.values())  # type: ignore[arg-type]


def test_the_rules_can_fail():
    """The old quoting (``\\\\`` for a backslash, ``${…}`` as is) breaks under these rules."""
    old = 'x = softwareSystem "Shared drive \\\\\\\\fileserver\\\\marketing\\\\" "" {'
    assert len(tokenize(old)) != 6
    assert substitute("Env ${PATH}", {}, ENV) == "Env /usr/bin"


def test_a_backslash_before_n_is_the_one_thing_the_dsl_cannot_carry():
    strings = structurizr.Strings("")
    assert value(substitute(tokenize(strings.quote("C:\\new"))[0], {}, ENV)) == "C:" + "\n" + "ew"
