/**
 * GET /openapi.json against the Worker's own routes: every route the Hono app serves is in the
 * document and the document names no route the app does not serve; WES operations are the
 * official ones; security follows the route table and the schemes this deployment enables.
 * (Validity per an OpenAPI 3.1 validator and live answers against its schemas: test/node/openapi.)
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import wesDocument from "../../spec/wes/wes-openapi.json";
import { createApp } from "../../src/app";
import { DEV_BASE } from "../../src/dev/hooks";
import { wesScopeFor } from "../../src/routes";

interface Operation {
  operationId?: string;
  parameters?: Array<{ name: string }>;
  security?: Array<Record<string, string[]>>;
  [key: string]: unknown;
}
interface Document {
  openapi: string;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, Record<string, unknown>> };
}

const METHODS = new Set(["get", "post", "put", "patch", "delete"]);

async function documentFor(testEnv: Env = env): Promise<Document> {
  const res = await createApp().fetch(new Request("http://wes.test/openapi.json"), testEnv);
  expect(res.status).toBe(200);
  return (await res.json()) as Document;
}

/** "GET /ga4gh/wes/v1/runs/{run_id}" for every operation of the document. */
function documented(doc: Document): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of Object.keys(item)) if (METHODS.has(method)) out.add(`${method.toUpperCase()} ${path}`);
  return out;
}

/**
 * The same for every route the Hono app registered (middleware, "ALL", left out, and the
 * development-only hooks, which answer 404 in every deployment and so are not part of the API).
 */
function served(): Set<string> {
  const out = new Set<string>();
  for (const route of createApp().routes) {
    if (route.method === "ALL" || route.path.startsWith(`${DEV_BASE}/`)) continue;
    // `:name{regex}` (a parameter spanning segments, such as an output path) is `{name}` in OpenAPI.
    out.add(`${route.method} ${route.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}")}`);
  }
  return out;
}

describe("GET /openapi.json", () => {
  it("names exactly the routes the Worker serves", async () => {
    const doc = await documentFor();
    const inDoc = documented(doc);
    const inApp = served();
    expect(
      [...inApp].filter((r) => !inDoc.has(r)),
      "routes missing from the document",
    ).toEqual([]);
    expect(
      [...inDoc].filter((r) => !inApp.has(r)),
      "documented routes the Worker does not serve",
    ).toEqual([]);
    expect(inApp.size).toBeGreaterThan(10);
  });

  it("serves the official WES operations unchanged (ListRuns gains the filters, RunWorkflow its 409 and 429 and its JSON and URL-encoded bodies), with this service's origin", async () => {
    const doc = await documentFor();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "http://wes.test", description: "This service" }]);
    const official = wesDocument.paths as unknown as Record<string, Record<string, Operation>>;
    for (const [path, item] of Object.entries(official)) {
      for (const [method, operation] of Object.entries(item)) {
        const ours = doc.paths[`/ga4gh/wes/v1${path}`]?.[method];
        expect(ours, `${method} ${path}`).toBeDefined();
        const { security: _security, parameters, ...rest } = ours!;
        const { parameters: officialParameters, ...officialRest } = operation;
        if (path === "/runs" && method === "post") {
          const { "409": conflict, "429": limited, ...official } = rest.responses as Record<string, { description: string }>;
          expect(conflict?.description).toContain("deleted");
          expect(limited?.description).toContain("Retry-After");
          rest.responses = official;
          // The JSON and URL-encoded bodies it also reads are added beside the spec's form.
          const content = (rest.requestBody as { content: Record<string, { schema: { $ref?: string; properties?: object } }> }).content;
          expect(content["application/json"]?.schema.$ref).toBe("#/components/schemas/RunRequest");
          expect(Object.keys(content["application/x-www-form-urlencoded"]?.schema.properties ?? {})).not.toContain("workflow_attachment");
          expect(Object.keys(content["application/x-www-form-urlencoded"]?.schema.properties ?? {})).toContain("workflow_url");
          const { "application/json": _json, "application/x-www-form-urlencoded": _form, ...spec } = content;
          rest.requestBody = { ...(rest.requestBody as object), content: spec };
        }
        expect(rest, `${method} ${path}`).toEqual(officialRest);
        const names = (parameters ?? []).map((p) => p.name);
        expect(names.slice(0, officialParameters?.length ?? 0)).toEqual((officialParameters ?? []).map((p) => p.name));
        if (path === "/runs" && method === "get") expect(names).toEqual(expect.arrayContaining(["state", "tag", "tag_key", "tag_value", "name"]));
      }
    }
    for (const name of Object.keys(wesDocument.components.schemas))
      expect(doc.components.schemas[name], name).toEqual((wesDocument.components.schemas as Record<string, unknown>)[name]);
    // Nothing points to another origin (the browsable reference works offline).
    expect(JSON.stringify(doc)).not.toContain("raw.githubusercontent.com");
  });

  it("declares the schemes in force and each route's scope from the route table", async () => {
    const doc = await documentFor();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["basicAuth", "bearerAuth", "eventsSecret"]);
    expect(doc.components.securitySchemes.basicAuth).toMatchObject({ type: "http", scheme: "basic" });
    expect(doc.components.securitySchemes.eventsSecret).toMatchObject({ type: "apiKey", in: "header", name: "x-wes-events-secret" });
    // service-info answers anonymous callers too; runs need a user.
    expect(doc.paths["/ga4gh/wes/v1/service-info"]?.get?.security).toEqual([{}, { basicAuth: [] }, { bearerAuth: [] }]);
    expect(doc.paths["/ga4gh/wes/v1/runs"]?.post?.security).toEqual([{ basicAuth: [] }, { bearerAuth: [] }]);
    expect(doc.paths["/integrations/healthomics/events"]?.post?.security).toEqual([{ eventsSecret: [] }]);
    // Routes that never read credentials say so.
    expect(doc.paths["/openapi.json"]?.get?.security).toEqual([]);
    expect(doc.paths["/oidc/token"]?.post?.security).toEqual([]);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!path.startsWith("/ga4gh/wes/v1")) continue;
        const scope = wesScopeFor(path.slice("/ga4gh/wes/v1".length).replace(/\{[^}]+\}/g, "x"), method.toUpperCase());
        expect(operation.security?.[0], `${method} ${path}`).toEqual(scope === null ? {} : { basicAuth: [] });
      }
    }
  });

  it("with OpenID Connect: an openIdConnect scheme, and each operation's scope", async () => {
    const doc = await documentFor({
      ...env,
      WES_OIDC_ISSUER: "https://idp.example.org/realms/wes/",
      WES_OIDC_AUDIENCE: "wes-api",
      HEALTHOMICS_EVENTS_SECRET: "",
    } as Env);
    expect(doc.components.securitySchemes.oidc).toMatchObject({
      type: "openIdConnect",
      openIdConnectUrl: "https://idp.example.org/realms/wes/.well-known/openid-configuration",
    });
    expect(doc.components.securitySchemes.eventsSecret).toBeUndefined();
    expect(doc.paths["/ga4gh/wes/v1/runs/{run_id}/cancel"]?.post?.security).toContainEqual({ oidc: ["wes:cancel"] });
    expect(doc.paths["/ga4gh/wes/v1/runs/{run_id}"]?.delete?.security).toContainEqual({ oidc: ["wes:delete"] });
    expect(doc.paths["/ga4gh/wes/v1/runs/{run_id}"]?.get?.operationId).toBe("GetRunLog");
    expect(doc.paths["/admin/metrics"]?.get?.security).toContainEqual({ oidc: ["wes:admin"] });
    expect(doc.paths["/integrations/healthomics/events"]?.post?.security).toBeUndefined();
  });

  it("is public and the same for everyone: credentials are not even read", async () => {
    const anonymous = await (await createApp().fetch(new Request("http://wes.test/openapi.json"), env)).text();
    const res = await createApp().fetch(new Request("http://wes.test/openapi.json", { headers: { Authorization: "Basic d3Jvbmc6d3Jvbmc=" } }), env);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(anonymous);
  });
});
