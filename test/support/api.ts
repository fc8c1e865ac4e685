/** Calling the API Worker under test through its real fetch handler (workers project). */
import { exports } from "cloudflare:workers";
import type { RunRequestBody } from "../../src/wes/json-shapes";

/** Base URL the tests use for the API. */
export const API = "http://wes.test/ga4gh/wes/v1";

/** Basic credentials of the local test users. */
export function basic(user: string, password = user): string {
  return `Basic ${btoa(`${user}:${password}`)}`;
}

/** Sends a request to the Worker. */
export async function call(path: string, init: RequestInit & { user?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.user && !headers.has("Authorization")) headers.set("Authorization", basic(init.user));
  return await exports.default.fetch(new Request(`${API}${path}`, { ...init, headers }));
}

/** A JSON run submission of a seeded emulator workflow. */
export function runBody(workflowId = "1000001", extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    workflow_type: workflowId === "1000002" ? "NFL" : workflowId === "1000003" ? "CWL" : "WDL",
    workflow_type_version: workflowId === "1000002" ? "DSL2" : workflowId === "1000003" ? "v1.2" : "1.0",
    workflow_url: `healthomics:${workflowId}`,
    workflow_params: { input_file: "s3://example-bucket/sample.fastq" },
    ...extra,
  };
}

/** The RunRequest of `runBody(workflowId)` as POST /runs stores it (normalised), for tests that insert runs directly. */
export function storedRequest(workflowId = "1000001"): RunRequestBody {
  const { workflow_type, workflow_type_version, workflow_url, workflow_params } = runBody(workflowId) as Pick<
    RunRequestBody,
    "workflow_type" | "workflow_type_version" | "workflow_url" | "workflow_params"
  >;
  return { workflow_type, workflow_type_version, workflow_url, workflow_params, tags: {}, workflow_engine_parameters: {} };
}

/** Submits a run as `user` (JSON body) and returns its id. */
export async function submit(body: Record<string, unknown>, user = "demo", headers: Record<string, string> = {}): Promise<string> {
  const res = await call("/runs", { method: "POST", user, body: JSON.stringify(body), headers: { "Content-Type": "application/json", ...headers } });
  const json = (await res.json()) as { run_id?: string; msg?: string };
  if (res.status !== 200 || !json.run_id) throw new Error(`submit failed: ${res.status} ${JSON.stringify(json)}`);
  return json.run_id;
}

/** GET as `user`, parsed JSON. */
export async function getJson<T>(path: string, user = "demo"): Promise<{ status: number; body: T }> {
  const res = await call(path, { user });
  return { status: res.status, body: (await res.json()) as T };
}
