/**
 * Validates WES response bodies against the vendored official schemas (spec/wes/), with Ajv.
 *
 * The spec is OpenAPI 3.0, whose schema dialect is not JSON Schema: `nullable`, `example` and
 * refs into `#/components/schemas` have to be rewritten before Ajv (draft-07) compiles them. The
 * WES file pulls the GA4GH `Service` schema from a GitHub URL; that URL is mapped to the vendored
 * service-info.yaml so the tests never touch the network and the spec files stay unedited.
 *
 * Passing the spec alone proves little: every property is optional and objects are open. So on
 * top of Ajv this module (a) rejects properties the schema does not name (see `strictness.ts`),
 * (b) requires the fields this service always sends, and (c) requires RFC 3339 UTC timestamps.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { undeclaredProperties, type Schema } from "./strictness";

/** The response bodies the API sends, by official schema name. */
export type WesSchemaName = "ServiceInfo" | "RunListResponse" | "RunId" | "RunStatus" | "RunLog" | "TaskListResponse" | "TaskLog" | "ErrorResponse";

const SPEC_DIR = join(import.meta.dirname, "..", "..", "..", "spec", "wes");
const SERVICE_INFO_URL = "https://raw.githubusercontent.com/ga4gh-discovery/ga4gh-service-info/v1.0.0/service-info.yaml";
/** $id under which the converted service-info document is registered with Ajv. */
const SERVICE_INFO_ID = "urn:ga4gh:service-info";
const WES_ID = "urn:ga4gh:wes";

/**
 * Fields the spec leaves optional but this service promises in every body (docs and clients rely
 * on them: Toil reads `state`, every client reads `run_id`). A missing one is a bug.
 */
const ALWAYS_SENT: Record<WesSchemaName, string[]> = {
  ServiceInfo: [],
  RunListResponse: ["runs", "next_page_token"],
  RunId: ["run_id"],
  RunStatus: ["run_id", "state"],
  RunLog: ["run_id", "request", "state", "run_log", "task_logs_url", "outputs"],
  TaskListResponse: ["task_logs", "next_page_token"],
  TaskLog: ["id", "name"],
  ErrorResponse: ["msg", "status_code"],
};

/** OpenAPI keywords with no JSON Schema meaning (Ajv's strict mode rejects unknown keywords). */
const OPENAPI_ONLY = new Set(["nullable", "example", "xml", "externalDocs", "discriminator"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Rewrites one OpenAPI 3.0 schema (recursively) into draft-07 JSON Schema. `rewriteRef` maps each
 * `$ref` to where the definition lives in the converted documents.
 */
function convert(node: unknown, rewriteRef: (ref: string) => string): unknown {
  if (Array.isArray(node)) return node.map((item) => convert(item, rewriteRef));
  if (!isRecord(node)) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (OPENAPI_ONLY.has(key)) continue;
    if (key === "$ref" && typeof value === "string") out.$ref = rewriteRef(value);
    // `properties` maps names to schemas: convert the schemas, never treat names as keywords.
    else if (key === "properties" && isRecord(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, convert(s, rewriteRef)]));
    } else out[key] = convert(value, rewriteRef);
  }
  if (node.nullable !== true) return out;
  // OpenAPI 3.0 `nullable: true` = "null is also allowed".
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

function loadYaml(file: string): Record<string, unknown> {
  const doc: unknown = parse(readFileSync(join(SPEC_DIR, file), "utf8"));
  if (!isRecord(doc)) throw new Error(`${file} is not a YAML mapping`);
  return doc;
}

function componentSchemas(doc: Record<string, unknown>, file: string): Record<string, unknown> {
  const components = doc.components;
  if (!isRecord(components) || !isRecord(components.schemas)) throw new Error(`${file} has no components.schemas`);
  return components.schemas;
}

/** Maps a ref written in one of the spec files to the converted documents' layout. */
function refRewriter(localId: string): (ref: string) => string {
  return (ref) => {
    const [base = "", pointer = ""] = ref.split("#");
    const target = base === "" ? localId : base === SERVICE_INFO_URL ? SERVICE_INFO_ID : undefined;
    if (!target) throw new Error(`unexpected external $ref ${ref}; map it to a vendored file`);
    const prefix = "/components/schemas/";
    if (!pointer.startsWith(prefix)) throw new Error(`unexpected $ref pointer ${ref}`);
    return `${target}#/definitions/${pointer.slice(prefix.length)}`;
  };
}

interface Loaded {
  ajv: Ajv;
  definitions: Record<string, Schema>;
  validators: Map<WesSchemaName, ValidateFunction>;
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const serviceInfo = componentSchemas(loadYaml("service-info.yaml"), "service-info.yaml");
  const wes = componentSchemas(loadYaml("workflow_execution_service.openapi.yaml"), "workflow_execution_service.openapi.yaml");
  const serviceDefs = convert(serviceInfo, refRewriter(SERVICE_INFO_ID)) as Record<string, Schema>;
  const wesDefs = convert(wes, refRewriter(WES_ID)) as Record<string, Schema>;
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, strictTypes: false });
  addFormats(ajv);
  ajv.addSchema({ $id: SERVICE_INFO_ID, definitions: serviceDefs });
  ajv.addSchema({ $id: WES_ID, definitions: wesDefs });
  const definitions: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(serviceDefs)) definitions[`${SERVICE_INFO_ID}#/definitions/${name}`] = schema;
  for (const [name, schema] of Object.entries(wesDefs)) definitions[`${WES_ID}#/definitions/${name}`] = schema;
  loaded = { ajv, definitions, validators: new Map() };
  return loaded;
}

function validatorFor(name: WesSchemaName): ValidateFunction {
  const state = load();
  const cached = state.validators.get(name);
  if (cached) return cached;
  const required = ALWAYS_SENT[name];
  const schema: Schema =
    required.length > 0 ? { allOf: [{ $ref: `${WES_ID}#/definitions/${name}` }, { required }] } : { $ref: `${WES_ID}#/definitions/${name}` };
  const compiled = state.ajv.compile(schema);
  state.validators.set(name, compiled);
  return compiled;
}

/**
 * Validates `body` as the WES schema `name`. Returns the problems found (empty when valid):
 * schema violations, properties the schema does not declare, and non-UTC timestamps.
 */
export function validateWes(name: WesSchemaName, body: unknown): string[] {
  const validate = validatorFor(name);
  const errors: string[] = [];
  if (!validate(body)) {
    for (const e of validate.errors ?? []) errors.push(`${e.instancePath || "/"} ${e.message ?? "is invalid"} ${JSON.stringify(e.params)}`);
  }
  const { definitions } = load();
  errors.push(...undeclaredProperties({ $ref: `${WES_ID}#/definitions/${name}` }, body, (ref) => definitions[ref]));
  return errors;
}

/** Throws (failing the test) with every problem listed when `body` is not a valid `name`. */
export function expectValid(name: WesSchemaName, body: unknown): void {
  const errors = validateWes(name, body);
  if (errors.length > 0) {
    throw new Error(`body is not a valid WES ${name}:\n  ${errors.join("\n  ")}\nbody: ${JSON.stringify(body).slice(0, 2000)}`);
  }
}
