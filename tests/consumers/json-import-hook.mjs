// Module hook for Node: @actions/workflow-parser's dist/ imports its JSON schemas without the
// `with { type: "json" }` attribute Node requires (https://github.com/actions/languageservices/issues/387),
// so loading it fails with ERR_IMPORT_ATTRIBUTE_MISSING. Add the attribute to the package's own
// .json imports; every other module loads unchanged.
const PARSER = "/node_modules/@actions/workflow-parser/dist/";

export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && url.includes(PARSER) && url.endsWith(".json")) {
    return nextLoad(url, { ...context, importAttributes: { type: "json" } });
  }
  return nextLoad(url, context);
}
