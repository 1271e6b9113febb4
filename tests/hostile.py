"""Hostile names shared by every consumer test: one inventory whose names, descriptions and ids
try to break each output format that stackmap writes.

Names hold quotes, markup (``<script>``, ``]]>``), Mermaid syntax (``|``, ``#``, ``;``, ``{}``,
``style``, ``classDef``, ``linkStyle``, entity codes), backticks, backslashes, ``${…}``
(Structurizr's substitution), CR/LF, emoji, right-to-left text and a 450-character name; ids are
keywords of the formats (``end``, ``graph``, ``subgraph``, ``click``, ``style``, ``classdef``,
``node``, ``edge``, ``model``, ``workspace``). :func:`write_stack` writes it as an inventory file.
"""

from __future__ import annotations

import json
from pathlib import Path

LONG = "Long " + "abcdefghij" * 44 + "end"
"""A 450-character name."""

NAMES: dict[str, str] = {
    "end": 'Quote "double" and \'single\'',
    "graph": "<script>alert(1)</script>",
    "subgraph": "CDATA ]]> end & <![CDATA[",
    "click": "Pipe | hash # semi ; braces {x} [y] (z)",
    "style": "style end fill:#f00",
    "classdef": "classDef evil fill:#f00; linkStyle 0 stroke:red",
    "node": "Shop https://shop.example.com/#home",
    "edge": "Backticks `code` and **stars**",
    "model": "Shared drive \\\\fileserver\\marketing\\",
    "workspace": "Env ${PATH} and ${HOME} and $PWD",
    "crlf": "Line one\r\nLine two",
    "emoji": "Growth 🚀📈 team 👩🏽‍💻",
    "rtl": "RTL עברית العربية mixed",
    "long": LONG,
    "entities": "Codes #35; &amp; &lt;b&gt; #quot;",
    "percent": "100% {{ template }} %% comment",
}
"""System id → name. Every name is distinct, so a test can look each one up in the output."""


def display(name: str) -> str:
    """A name as a one-line label shows it: line breaks and runs of spaces as one space."""
    return " ".join(name.split())


def document() -> dict[str, object]:
    """The inventory as a dict (every system stores customer data; flows link them in a ring)."""
    ids = list(NAMES)
    systems = []
    for i, sid in enumerate(ids):
        system: dict[str, object] = {
            "id": sid, "name": NAMES[sid], "vendor": NAMES[ids[(i + 1) % len(ids)]],
            "owner": "Team `ops` <ops@example.com>", "description": NAMES[ids[(i + 2) % len(ids)]],
            "capabilities": ["crm"] if i % 3 == 0 else ["email"],
            "data": ["contact"], "tags": ["a,b", "x\"y", "${TAG}"],
        }
        if sid == "end":
            system["roles"] = ["system-of-record"]
        systems.append(system)
    flows: list[dict[str, object]] = []
    for i, sid in enumerate(ids):
        target = ids[(i + 1) % len(ids)]
        flows.append({"from": sid, "to": target, "mechanism": "api", "data": ["contact"],
                      "description": NAMES[ids[(i + 3) % len(ids)]], "frequency": "daily ${NIGHT}"})
    flows.append({"id": "edge", "from": "graph", "to": "end", "mechanism": "batch", "data": ["contact"]})
    return {"systems": systems, "flows": flows}


def write_stack(folder: Path) -> Path:
    """Write the hostile inventory as ``folder/stack.yaml`` (JSON is YAML); return the file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "stack.yaml"
    path.write_text(json.dumps(document(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def generated(count: int) -> dict[str, object]:
    """A large, ordinary stack: ``count`` systems in ten groups of capabilities, each flowing to the
    next two."""
    systems = [{"id": f"sys-{i:03d}", "name": f"System {i:03d} ({['CRM', 'ESP', 'CDP', 'Ads', 'BI'][i % 5]})",
                "capabilities": [f"cap-{i % 10}"], "data": ["contact"] if i % 2 else ["content"]}
               for i in range(count)]
    flows = [{"from": f"sys-{i:03d}", "to": f"sys-{(i + step) % count:03d}", "mechanism": "api",
              "data": ["contact"]} for i in range(count) for step in (1, 7)]
    return {"systems": systems, "flows": flows}


ROOT = Path(__file__).resolve().parent.parent
CONSUMERS = ROOT / "tests" / "consumers"
"""The npm packages of the validators (``make node-tools``) live in ``CONSUMERS / "node_modules"``."""


def require(what: str, present: bool, how: str) -> None:
    """Skip when a consumer's validator is missing (``how`` says how to get it), except in CI
    (``CI=true``), where every consumer test must run and a missing validator fails."""
    import os

    import pytest

    if present:
        return
    reason = f"{what} is not installed ({how})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: consumer tests must run in CI (CI=true)", pytrace=False)
    pytest.skip(reason)


def stacks(tmp: Path) -> dict[str, Path]:
    """The three stacks every consumer test reads: the sample, a generated 300-system stack and the
    hostile one, each as a folder to pass to stackmap."""
    big = tmp / "generated"
    big.mkdir(parents=True, exist_ok=True)
    (big / "stack.yaml").write_text(json.dumps(generated(300)) + "\n", encoding="utf-8")
    write_stack(tmp / "hostile")
    return {"sample": ROOT / "inventories", "generated": big, "hostile": tmp / "hostile"}
