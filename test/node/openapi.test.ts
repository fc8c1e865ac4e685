/**
 * GET /openapi.json on the real `npm start` stack: a valid OpenAPI 3.1 document (per an OpenAPI
 * schema validator), built from the vendored WES document that is current with the YAML, whose
 * schemas describe what the service's own routes really answer.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import { wesOpenApiText } from "../../scripts/vendor-wes-openapi.mjs";
import { schemaValidator } from "./support/service-schema";
import { apiUrl, call, createRun, discardRun, runFields } from "./support/wes-http";

let document: Record<string, unknown>;
let check: (name: string, body: unknown) => void;

beforeAll(async () => {
  const origin = new URL(apiUrl()).origin;
  const res = await call("GET", `${origin}/openapi.json`, { user: null });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  document = res.json as Record<string, unknown>;
  check = schemaValidator(document);
});

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("spec/wes/wes-openapi.json is the vendored YAML as JSON (run `npm run spec:wes` after changing spec/wes)", () => {
    expect(readFileSync(join(import.meta.dirname, "..", "..", "spec", "wes", "wes-openapi.json"), "utf8")).toBe(wesOpenApiText());
  });

  it("its schemas describe what the service's own routes answer", async () => {
    const tag = crypto.randomUUID();
    const runId = await createRun(
      "demo",
      runFields("1000001", { tags: JSON.stringify({ openapi: tag }), workflow_engine_parameters: JSON.stringify({ name: `oa-${tag.slice(0, 6)}` }) }),
    );
    try {
      const list = await call("GET", `/overview/runs?tag=openapi:${tag}`);
      expect(list.status).toBe(200);
      check("RunOverviewListResponse", list.json);
      expect((list.json as { runs: unknown[] }).runs).toHaveLength(1);
      check("RunOverviewListResponse", (await call("GET", `/overview/runs?tag=openapi:${tag}`, { user: "admin" })).json);
      const one = await call("GET", `/overview/runs/${runId}`);
      expect(one.status).toBe(200);
      check("RunOverviewDetail", one.json);
    } finally {
      await discardRun("demo", runId);
    }
    const workflows = await call("GET", "/workflows");
    expect(workflows.status).toBe(200);
    check("WorkflowListResponse", workflows.json);
    const metrics = await call("GET", `${new URL(apiUrl()).origin}/admin/metrics`, { user: "admin" });
    expect(metrics.status).toBe(200);
    check("ServiceMetrics", metrics.json);
    check("ErrorResponse", (await call("GET", "/overview/runs?state=NOPE")).json);
  });
});
