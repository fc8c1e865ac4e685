/**
 * Checks the official schemas cannot express: that a body carries no property its schema does
 * not declare, and that timestamps are RFC 3339 in UTC ("...Z").
 *
 * Why not `additionalProperties: false`: the WES schemas compose objects with `allOf` (RunSummary
 * = RunStatus + more, TaskLog = Log + more, ServiceInfo = Service + more), and in JSON Schema a
 * closed branch of an `allOf` rejects the other branches' properties. So this walker flattens
 * `allOf`/`anyOf`/`oneOf` into one shape (the union of declared properties) and checks against it.
 * Free-form objects (`workflow_params`, `outputs`: `type: object` with nothing declared) stay open;
 * maps (`tags`: `additionalProperties: {type: string}`) accept any key and check each value.
 */

/** A JSON Schema node, as loaded from YAML. */
export type Schema = Record<string, unknown>;

/** Looks up an absolute `$ref` (`<id>#/definitions/<Name>`) in the converted documents. */
export type ResolveRef = (ref: string) => Schema | undefined;

interface Shape {
  properties: Map<string, Schema[]>;
  additional: Schema[];
  items: Schema[];
  open: boolean;
}

/** Property names whose values are timestamps in the WES and service-info schemas. */
const TIMESTAMP_KEYS = new Set(["start_time", "end_time", "createdAt", "updatedAt"]);
/** RFC 3339 date-time in UTC, as "%Y-%m-%dT%H:%M:%SZ" with optional fractional seconds. */
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function schemaList(value: unknown): Schema[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** Adds what `schema` declares (following refs and compositions) to `shape`. */
function flatten(schema: Schema, resolve: ResolveRef, shape: Shape, seen: Set<Schema>): void {
  if (seen.has(schema)) return;
  seen.add(schema);
  let composed = false;
  if (typeof schema.$ref === "string") {
    const target = resolve(schema.$ref);
    if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
    flatten(target, resolve, shape, seen);
    composed = true;
  }
  for (const keyword of ["allOf", "anyOf", "oneOf"]) {
    for (const branch of schemaList(schema[keyword])) {
      flatten(branch, resolve, shape, seen);
      composed = true;
    }
  }
  if (isRecord(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (!isRecord(sub)) continue;
      const list = shape.properties.get(name) ?? [];
      list.push(sub);
      shape.properties.set(name, list);
    }
  }
  if (isRecord(schema.additionalProperties)) shape.additional.push(schema.additionalProperties);
  if (schema.additionalProperties === true) shape.open = true;
  if (isRecord(schema.items)) shape.items.push(schema.items);
  const declaresObject = schema.type === undefined || schema.type === "object" || (Array.isArray(schema.type) && schema.type.includes("object"));
  const declaresNothing =
    !composed && !isRecord(schema.properties) && schema.additionalProperties === undefined && schema.items === undefined && schema.enum === undefined;
  // `type: object` with nothing declared (workflow_params, outputs) is free-form by design.
  if (declaresObject && declaresNothing) shape.open = true;
}

function shapeOf(schemas: Schema[], resolve: ResolveRef): Shape {
  const shape: Shape = { properties: new Map(), additional: [], items: [], open: false };
  for (const schema of schemas) flatten(schema, resolve, shape, new Set());
  return shape;
}

function checkTimestamp(path: string, value: unknown, errors: string[]): void {
  if (typeof value !== "string") return;
  if (!RFC3339_UTC.test(value) || Number.isNaN(Date.parse(value))) {
    errors.push(`${path} is not an RFC 3339 UTC timestamp ending in Z: ${JSON.stringify(value)}`);
  }
}

function walk(schemas: Schema[], value: unknown, path: string, resolve: ResolveRef, errors: string[]): void {
  if (schemas.length === 0) return;
  const shape = shapeOf(schemas, resolve);
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(shape.items, item, `${path}/${index}`, resolve, errors));
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}/${key}`;
    const declared = shape.properties.get(key);
    if (declared) {
      if (TIMESTAMP_KEYS.has(key)) checkTimestamp(childPath, child, errors);
      walk(declared, child, childPath, resolve, errors);
    } else if (shape.additional.length > 0) {
      walk(shape.additional, child, childPath, resolve, errors);
    } else if (!shape.open) {
      errors.push(`${childPath} is not a property the schema declares`);
    }
  }
}

/**
 * Lists the properties of `body` (at any depth) that `schema` does not declare, and timestamps
 * that are not RFC 3339 UTC. Free-form objects and map values are handled as described above.
 */
export function undeclaredProperties(schema: Schema, body: unknown, resolve: ResolveRef): string[] {
  const errors: string[] = [];
  walk([schema], body, "", resolve, errors);
  return errors;
}
