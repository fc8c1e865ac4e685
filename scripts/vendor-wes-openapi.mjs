/**
 * Writes spec/wes/wes-openapi.json: the official WES 1.1.0 OpenAPI document (YAML) as JSON, with
 * the GA4GH service-info schemas it references by URL copied in (`Service` and what it uses), so
 * the Worker can serve it (GET /openapi.json) and a browser can read it offline. Nothing else is
 * changed. `npm run spec:wes` regenerates it; test/node/openapi.test.ts fails when it is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SERVICE_INFO_URL = "https://raw.githubusercontent.com/ga4gh-discovery/ga4gh-service-info/v1.0.0/service-info.yaml";

/** Local `#/components/schemas/<Name>` refs inside `node`. */
function localRefs(node, found = new Set()) {
  if (Array.isArray(node)) for (const item of node) localRefs(item, found);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")) found.add(value.slice("#/components/schemas/".length));
      else localRefs(value, found);
    }
  }
  return found;
}

/** Replaces `SERVICE_INFO_URL#/…` refs with local ones. */
function relink(node) {
  if (Array.isArray(node)) return node.map(relink);
  if (node && typeof node === "object") {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        key === "$ref" && typeof value === "string" && value.startsWith(`${SERVICE_INFO_URL}#`) ? value.slice(SERVICE_INFO_URL.length) : relink(value),
      ]),
    );
  }
  return node;
}

/** The document the Worker serves as the WES part of GET /openapi.json. */
export function wesOpenApi() {
  const wes = parse(readFileSync(join(root, "spec/wes/workflow_execution_service.openapi.yaml"), "utf8"));
  const serviceInfo = parse(readFileSync(join(root, "spec/wes/service-info.yaml"), "utf8"));
  const document = relink(wes);
  const wanted = ["Service"];
  const copied = {};
  while (wanted.length > 0) {
    const name = wanted.pop();
    if (copied[name]) continue;
    const schema = serviceInfo.components.schemas[name];
    if (!schema) throw new Error(`service-info.yaml has no schema ${name}`);
    if (document.components.schemas[name]) throw new Error(`schema name ${name} is taken in the WES document`);
    copied[name] = schema;
    wanted.push(...localRefs(schema));
  }
  document.components.schemas = { ...document.components.schemas, ...copied };
  return document;
}

/** The file's text (2-space JSON and a final newline). */
export function wesOpenApiText() {
  return `${JSON.stringify(wesOpenApi(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(root, "spec/wes/wes-openapi.json"), wesOpenApiText());
  console.log("wrote spec/wes/wes-openapi.json");
}
