"""Execute a Cypher script on an embedded FalkorDB (falkordblite), in the venv ``make graphdb`` builds:

    .venv-graphdb/bin/python tests/consumers/run_cypher.py DB_DIR FILE [FILE...]

Runs each file, statement by statement (statements end with ``;`` at the end of a line; lines
starting with ``//`` are comments), into one graph, then prints as JSON what the graph holds after
each file: every node (label and properties) and every relationship (type, end points' ids and
properties), sorted. Errors are printed as ``{"error": ..., "statement": ...}`` and exit 1.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from redislite.falkordb_client import FalkorDB


def statements(text: str) -> list[str]:
    out = []
    for chunk in re.split(r";[ \t]*\n", text):
        body = "\n".join(line for line in chunk.splitlines() if not line.lstrip().startswith("//")).strip()
        if body:
            out.append(body.removesuffix(";"))
    return out


def snapshot(graph) -> dict:
    nodes = graph.query("MATCH (n) RETURN labels(n), properties(n)").result_set
    rels = graph.query("MATCH (a)-[r]->(b) RETURN type(r), a.id, b.id, properties(r)").result_set
    return {
        "nodes": sorted(([sorted(labels), props] for labels, props in nodes), key=lambda x: json.dumps(x, sort_keys=True)),
        "relationships": sorted(([t, a, b, props] for t, a, b, props in rels), key=lambda x: json.dumps(x, sort_keys=True)),
    }


def main(argv: list[str]) -> int:
    folder, files = Path(argv[0]), argv[1:]
    folder.mkdir(parents=True, exist_ok=True)
    db = FalkorDB(str(folder / "graph.rdb"))
    graph = db.select_graph("stackmap")
    out = []
    for name in files:
        for statement in statements(Path(name).read_text(encoding="utf-8")):
            try:
                graph.query(statement)
            except Exception as e:  # the database's own message is what the test shows
                print(json.dumps({"error": str(e), "statement": statement[:500]}))
                return 1
        out.append(snapshot(graph))
    print(json.dumps(out, ensure_ascii=False))
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
