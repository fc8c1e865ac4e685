/**
 * The OpenAPI 3.1 document of every route the Worker serves (GET /openapi.json): the WES 1.1.0
 * operations exactly as the official document declares them (spec/wes/wes-openapi.json, the
 * vendored YAML as JSON) under /ga4gh/wes/v1 — ListRuns gaining this service's filters — plus the
 * service's own routes (service-paths.ts), with the auth schemes this deployment has enabled and
 * each operation's security taken from the route table's scopes (src/routes.ts). A test compares
 * the document's operations with the Hono app's routes, both ways.
 */
import wesDocument from "../../spec/wes/wes-openapi.json";
import type { AuthModes } from "../auth/credentials";
import { ADMIN_ROUTES, wesScopeFor } from "../routes";
import { WES_BASE } from "../wes/context";
import { FILTER_PARAMETERS } from "./parameters";
import { SERVICE_SCHEMAS } from "./schemas";
import { securityFor } from "./security";
import { servicePaths } from "./service-paths";

/** What the document depends on in this deployment. */
export interface DocumentOptions {
  /** The origin the client reached the Worker at (the document's server). */
  origin: string;
  serviceName: string;
  serviceVersion: string;
  modes: AuthModes;
  /** The events endpoint's secret header, when events are enabled. */
  eventsHeader?: string;
}

type Operation = Record<string, unknown>;
type PathItem = Record<string, Operation>;

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** The answers POST /runs adds to the official ones: a deleted submission's key, the per-user limits. */
const SUBMISSION_REFUSALS = {
  "409": {
    description: "The Idempotency-Key was used for a different request, or for a run that has since been deleted.",
    content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } },
  },
  "429": {
    description: "A per-user limit (queued and active runs, submissions per minute) is reached; Retry-After says when to try again. Nothing was stored.",
    content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } },
  },
};

/**
 * The bodies POST /runs reads besides the spec's multipart form: the same fields as a JSON object
 * (a RunRequest, as many clients send it) or URL-encoded (wes-client 5.x when it attaches nothing).
 * Neither carries files.
 */
function withOtherBodies(requestBody: unknown): unknown {
  const body = requestBody as { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } | undefined;
  const form = body?.content?.["multipart/form-data"]?.schema;
  if (!body?.content || !form?.properties) return requestBody;
  const { workflow_attachment: _files, ...fields } = form.properties;
  return {
    ...body,
    content: {
      ...body.content,
      "application/json": { schema: { $ref: "#/components/schemas/RunRequest" } },
      "application/x-www-form-urlencoded": { schema: { ...form, properties: fields } },
    },
  };
}

/** The scope of an operation in the route table (a sample id stands for each path parameter). */
function wesScope(path: string, method: string): string | null {
  const scope = wesScopeFor(path.replace(/\{[^}]+\}/g, "x"), method.toUpperCase());
  if (scope === undefined) throw new Error(`The WES document names ${method.toUpperCase()} ${path}, which src/routes.ts does not route.`);
  return scope;
}

/** Builds the document. */
export function openApiDocument(options: DocumentOptions): Record<string, unknown> {
  const wes = structuredClone(wesDocument) as unknown as {
    info: Record<string, unknown>;
    tags: Array<Record<string, unknown>>;
    paths: Record<string, PathItem>;
    components: { schemas: Record<string, unknown> };
  };
  const security = securityFor(options.modes, options.eventsHeader);
  const secure = (operation: Operation, scope: string | null): Operation => {
    const { "x-scope": _, ...rest } = operation;
    const requirement = security.requirement(scope);
    return requirement ? { ...rest, security: requirement } : rest;
  };

  const paths: Record<string, PathItem> = {};
  for (const [path, item] of Object.entries(wes.paths)) {
    const out: PathItem = {};
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      let op = operation;
      if (path === "/runs" && method === "get") op = { ...op, parameters: [...((op.parameters as unknown[]) ?? []), ...FILTER_PARAMETERS] };
      if (path === "/runs" && method === "post")
        op = { ...op, requestBody: withOtherBodies(op.requestBody), responses: { ...(op.responses as object), ...SUBMISSION_REFUSALS } };
      out[method] = secure(op, wesScope(path, method));
    }
    paths[`${WES_BASE}${path}`] = out;
  }
  for (const [path, item] of Object.entries(servicePaths(WES_BASE))) {
    const out: PathItem = {};
    for (const [method, operation] of Object.entries(item)) {
      const declared = operation["x-scope"] as string | null;
      const scope = path.startsWith(WES_BASE)
        ? wesScope(path.slice(WES_BASE.length), method)
        : (ADMIN_ROUTES[path]?.[method.toUpperCase() as "GET" | "POST" | "DELETE"] ?? declared);
      if (scope !== declared) throw new Error(`${path}: the document says scope ${declared}, src/routes.ts says ${scope}.`);
      out[method] = secure(operation, scope);
    }
    // A service operation on a WES path (DELETE /runs/{run_id}) joins the WES operations there.
    paths[path] = { ...paths[path], ...out };
  }

  return {
    openapi: "3.1.0",
    info: {
      ...wes.info,
      title: `${options.serviceName}: WES ${String(wes.info.version)} and service API`,
      version: options.serviceVersion,
      description: `The GA4GH WES ${String(wes.info.version)} operations under \`${WES_BASE}\` as the official specification declares them (ListRuns with this service's filters), and this service's own routes (tags Beyond WES, Admin, Integrations).\n\n${String(wes.info.description ?? "")}`,
    },
    servers: [{ url: options.origin, description: "This service" }],
    tags: [
      ...wes.tags,
      { name: "Beyond WES", description: "The service's own read models for dashboards and clients: run overviews, the workflows users may run." },
      { name: "Admin", description: "For admins only." },
      { name: "Integrations", description: "Called by AWS, not by users." },
      { name: "Dashboard sign-in", description: "What the dashboard's OpenID Connect sign-in needs from the service." },
    ],
    paths,
    components: {
      ...wes.components,
      schemas: { ...wes.components.schemas, ...SERVICE_SCHEMAS },
      securitySchemes: security.schemes,
    },
  };
}
