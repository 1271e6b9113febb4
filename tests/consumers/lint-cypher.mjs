#!/usr/bin/env node
// Lint a Cypher script with Neo4j's own linter (@neo4j-cypher/language-support, the library behind
// Neo4j's editors and the VS Code extension), with no database schema:
//
//   node lint-cypher.mjs FILE...
//
// Lints each statement of each file on its own (statements end with ";" at the end of a line), as
// cypher-shell sends them. Prints [{"file", "diagnostics": [{"severity", "message", "line",
// "column"}]}] as JSON and exits 1 when there is any diagnostic (errors and warnings alike), 0 when
// there is none, 2 on a usage error.
import { readFileSync } from "node:fs";
import { lintCypherQuery } from "@neo4j-cypher/language-support";

const files = process.argv.slice(2);
if (!files.length) {
  process.stderr.write("usage: node lint-cypher.mjs FILE...\n");
  process.exit(2);
}
const out = [];
for (const file of files) {
  const diagnostics = [];
  let line = 0;
  for (const chunk of readFileSync(file, "utf8").split(/(?<=;)[ \t]*\n/)) {
    const result = lintCypherQuery(chunk, {});
    for (const d of Array.isArray(result) ? result : (result.diagnostics ?? [])) {
      diagnostics.push({
        severity: d.severity === 1 ? "error" : d.severity === 2 ? "warning" : String(d.severity),
        message: d.message,
        line: line + (d.range?.start?.line ?? -1) + 1,
        column: (d.range?.start?.character ?? -1) + 1,
      });
    }
    line += chunk.split("\n").length;
  }
  out.push({ file, diagnostics });
}
process.stdout.write(JSON.stringify(out) + "\n");
process.exit(out.some((f) => f.diagnostics.length) ? 1 : 0);
