/**
 * A small HTTP client for the running stack (`npm start`, started by test/setup/stack-process.ts):
 * the local users, request helpers that always read the body, and assertions shared by the API,
 * fuzz and end-to-end tests.
 */
import { expect, inject } from "vitest";
import { expectValid, type WesSchemaName } from "./wes-schema";

/** Local users from .dev.vars.example; `admin` sees every run. */
export type User = "demo" | "guest" | "admin";

/** The API root, e.g. http://127.0.0.1:PORT/ga4gh/wes/v1. */
export function apiUrl(): string {
  return inject("apiUrl");
}

/** `Authorization` value for HTTP basic with a user name and password. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

/** A response with its body already read (as text, and as JSON when it parses). */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** Options of `call`. `user: null` sends no credentials. */
export interface CallOptions {
  user?: User | null;
  headers?: Record<string, string>;
  body?: string | FormData | Uint8Array;
}

/** Sends a request to `path` (relative to the API root, or absolute) and reads the whole answer. */
export async function call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  const user = options.user === undefined ? "demo" : options.user;
  if (user !== null) headers.Authorization = basicAuth(user, user);
  const url = /^https?:/.test(path) ? path : `${apiUrl()}${path}`;
  const res = await fetch(url, { method, headers, body: options.body, redirect: "manual" });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Asserts a 2xx answer whose body is a valid WES `schema`, and returns the body typed as `T`. */
export function expectOk<T>(answer: Answer, schema: WesSchemaName): T {
  if (answer.status !== 200) throw new Error(`expected 200 and a ${schema}, got ${answer.status}: ${answer.text.slice(0, 1000)}`);
  expect(answer.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  expectValid(schema, answer.json);
  return answer.json as T;
}

/** Asserts a WES ErrorResponse whose `status_code` equals the HTTP status, which must be `status`. */
export function expectError(answer: Answer, status: number): { msg: string; status_code: number } {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${answer.text.slice(0, 1000)}`);
  expectErrorBody(answer);
  return answer.json as { msg: string; status_code: number };
}

/** Asserts that a 4xx/5xx answer carries a WES ErrorResponse matching its HTTP status. */
export function expectErrorBody(answer: Answer): void {
  expect(answer.headers.get("content-type") ?? "", `content type of ${answer.status} ${answer.text.slice(0, 200)}`).toMatch(/^application\/json/);
  expectValid("ErrorResponse", answer.json);
  const body = answer.json as { msg: string; status_code: number };
  expect(body.status_code).toBe(answer.status);
  expect(body.msg.trim().length).toBeGreaterThan(0);
}

/** WES bodies as the tests read them. */
export interface RunIdBody {
  run_id: string;
}
export interface RunStatusBody {
  run_id: string;
  state: string;
}
export interface RunSummaryBody extends RunStatusBody {
  start_time?: string;
  end_time?: string;
  tags: Record<string, string>;
}
export interface RunListBody {
  runs: RunSummaryBody[];
  next_page_token: string;
}
export interface LogBody {
  name?: string;
  start_time?: string;
  end_time?: string;
  exit_code?: number;
  stdout?: string;
  stderr?: string;
  system_logs?: string[];
}
export interface RunLogBody {
  run_id: string;
  state: string;
  request: Record<string, unknown> & { workflow_engine_parameters?: Record<string, unknown>; workflow_params?: Record<string, unknown> };
  run_log: LogBody;
  task_logs_url: string;
  task_logs?: unknown;
  outputs: Record<string, unknown>;
}
export interface TaskLogBody extends LogBody {
  id: string;
  name: string;
}
export interface TaskListBody {
  task_logs: TaskLogBody[];
  next_page_token: string;
}

/** The fields of a valid submission of seeded emulator workflow `workflowId` (1000001 succeeds). */
export function runFields(workflowId = "1000001", overrides: Record<string, string> = {}): Record<string, string> {
  return {
    workflow_type: "WDL",
    workflow_type_version: "1.0",
    workflow_url: `healthomics:${workflowId}`,
    workflow_params: JSON.stringify({ input_file: "s3://example-bucket/sample.fastq", sample_name: "NA12878" }),
    ...overrides,
  };
}

/** A multipart/form-data body with text fields (what `curl -F name=value` sends). */
export function formOf(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}

/** Submits a run as multipart (the spec's encoding) and returns its id; fails the test otherwise. */
export async function createRun(user: User, fields: Record<string, string> = runFields(), headers: Record<string, string> = {}): Promise<string> {
  const answer = await call("POST", "/runs", { user, body: formOf(fields), headers });
  return expectOk<RunIdBody>(answer, "RunId").run_id;
}

/** Resolves after `ms` milliseconds (used only to pace polling, never to assert timing). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** States a run never leaves (WES 1.1.0). */
export const FINAL_STATES = new Set(["COMPLETE", "EXECUTOR_ERROR", "SYSTEM_ERROR", "CANCELED", "PREEMPTED"]);

/** Polls GET /runs/{id}/status every `everyMs` until `done(state)` or `timeoutMs`; returns the last state seen. */
export async function pollState(user: User, runId: string, done: (state: string) => boolean, timeoutMs: number, everyMs = 1000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = expectOk<RunStatusBody>(await call("GET", `/runs/${encodeURIComponent(runId)}/status`, { user }), "RunStatus");
    if (done(status.state) || Date.now() >= deadline) return status.state;
    await sleep(everyMs);
  }
}

/** Walks every page of GET /runs for `user` (bounded), returning the runs in listing order. */
export async function listAllRuns(user: User, pageSize: number, maxPages = 2000): Promise<{ runs: RunSummaryBody[]; pages: number }> {
  const runs: RunSummaryBody[] = [];
  let token = "";
  for (let pages = 1; pages <= maxPages; pages++) {
    const query = new URLSearchParams({ page_size: String(pageSize) });
    if (token) query.set("page_token", token);
    const page = expectOk<RunListBody>(await call("GET", `/runs?${query}`, { user }), "RunListResponse");
    expect(page.runs.length).toBeLessThanOrEqual(pageSize);
    runs.push(...page.runs);
    if (page.next_page_token === "") return { runs, pages };
    token = page.next_page_token;
  }
  throw new Error(`GET /runs for ${user} did not end within ${maxPages} pages of ${pageSize}`);
}

/**
 * Cancels a run the test no longer needs. Runs that only have to be read back should not hold
 * HealthOmics' StartRun quota (about 1 per second, which the emulator enforces) that the runs
 * which must execute are queuing for. 200 (canceled) or 409 (already final) are both fine.
 */
export async function discardRun(user: User, runId: string): Promise<void> {
  const answer = await call("POST", `/runs/${encodeURIComponent(runId)}/cancel`, { user });
  if (answer.status !== 200 && answer.status !== 409) throw new Error(`cancel of ${runId} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
}
