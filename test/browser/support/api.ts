/** The API calls the browser tests make around the dashboard (runs to look at), over plain fetch. */
import { expect, inject } from "vitest";

/** Local users (.dev.vars.example); the password is the user name. */
export type User = "demo" | "guest" | "admin";

function auth(user: User): string {
  return `Basic ${Buffer.from(`${user}:${user}`).toString("base64")}`;
}

/** GET or POST on the WES API as `user`, JSON answer. */
export async function wes<T>(user: User, method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${inject("apiUrl")}${path}`, {
    method,
    headers: { Authorization: auth(user), ...(body ? { "Content-Type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as T };
}

const TYPES: Record<string, [string, string]> = { "1000001": ["WDL", "1.0"], "1000002": ["NFL", "DSL2"], "1000003": ["CWL", "v1.2"] };

/** Submits a run of a seeded emulator workflow; returns its id. */
export async function submitRun(user: User, workflow: string, tags: Record<string, string>): Promise<string> {
  const [type, version] = TYPES[workflow]!;
  const answer = await wes<{ run_id: string }>(user, "POST", "/runs", {
    workflow_type: type,
    workflow_type_version: version,
    workflow_url: `healthomics:${workflow}`,
    workflow_params: { input_file: "s3://example-bucket/sample.fastq" },
    tags,
  });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.json.run_id;
}

/** Waits until the run's state satisfies `done`; returns it. */
export async function waitForState(user: User, runId: string, done: (state: string) => boolean, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { json } = await wes<{ state: string }>(user, "GET", `/runs/${runId}/status`);
    if (done(json.state) || Date.now() > deadline) return json.state;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
