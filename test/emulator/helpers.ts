/** Helpers for the emulator's request-level tests: signed calls through the Worker's fetch. */
import { AwsClient } from "aws4fetch";
import { exports } from "cloudflare:workers";
import model from "../../emulator/src/model/omics-model.json";
import { matchOperation } from "../../emulator/src/router";
import { conformance } from "./model-validator";

const operations = (model as unknown as { operations: Record<string, { output?: { shape: string } }> }).operations;

/** Every successful body must conform to the operation's output shape in the API model. */
function checkAgainstModel(method: string, path: string, status: number, text: string): void {
  const matched = matchOperation(method, new URL(path, "http://x").pathname);
  if (!matched || status < 200 || status > 299) return;
  const output = operations[matched.operation]?.output;
  const problems = output ? conformance(output.shape, JSON.parse(text)) : text === "" ? [] : ["expected an empty body"];
  if (problems.length > 0) throw new Error(`${matched.operation} answered a body outside the model: ${problems.join("; ")}`);
}

/** The emulator's default credentials (AWS's documented example pair). */
export const CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const client = new AwsClient({ ...CREDENTIALS, service: "omics", region: "us-east-1", retries: 0 });
const BASE = "http://127.0.0.1:8788";

/** A signed HealthOmics call; the answer with its parsed JSON body (null when empty). */
export async function call(
  method: string,
  path: string,
  body?: unknown,
  signer: AwsClient = client,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> | null }> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  const signed = await signer.sign(`${BASE}${path}`, init);
  const res = await exports.default.fetch(signed);
  const text = await res.text();
  checkAgainstModel(method, path, res.status, text);
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** An unsigned /__emulator call. */
export async function local(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, init));
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** A StartRun body for a seeded workflow. */
export function startBody(workflowId: string, requestId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    workflowId,
    requestId,
    roleArn: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
    outputUri: "s3://example-bucket/outputs",
    parameters: { input_file: "s3://example-bucket/sample.fastq" },
    name: `test-${requestId}`,
    ...extra,
  };
}

/** Polls GetRun until the run is final (or throws after `timeoutMs`). */
export async function waitForFinal(id: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call("GET", `/run/${id}`);
    const status = res.json?.status;
    if (status === "COMPLETED" || status === "FAILED" || status === "CANCELLED") return res.json!;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${String(status)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A fresh request id. */
export function rid(label: string): string {
  return `${label}-${crypto.randomUUID()}`;
}

/** Polls GetWorkflow until the workflow has `status` (or throws after `timeoutMs`). */
export async function waitForWorkflow(id: string, status: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call("GET", `/workflow/${id}`);
    if (res.json?.status === status) return res.json;
    if (Date.now() > deadline) throw new Error(`workflow ${id} still ${String(res.json?.status)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const s3Client = new AwsClient({ ...CREDENTIALS, service: "s3", region: "us-east-1", retries: 0 });

/** A signed S3 request (path-style) through the Worker's fetch. */
export async function s3(method: string, path: string, init: RequestInit = {}, signer: AwsClient = s3Client): Promise<Response> {
  const signed = await signer.sign(`${BASE}${path}`, { method, ...init });
  return exports.default.fetch(signed);
}

/** A presigned S3 GET URL (query-signed), valid for `expires` seconds from `datetime` (default now). */
export async function presign(path: string, expires: number, datetime?: string): Promise<string> {
  const url = new URL(`${BASE}${path}`);
  url.searchParams.set("X-Amz-Expires", String(expires));
  const signed = await s3Client.sign(url.toString(), { method: "GET", aws: { signQuery: true, ...(datetime ? { datetime } : {}) } });
  return signed.url;
}

/** An unsigned request through the Worker's fetch (TRS, example files). */
export function plain(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${BASE}${path}`, init));
}

const logsClient = new AwsClient({ ...CREDENTIALS, service: "logs", region: "us-east-1", retries: 0 });

/** A signed CloudWatch Logs GetLogEvents call: status and JSON body. */
export async function getLogEvents(input: Record<string, unknown>, signer: AwsClient = logsClient): Promise<{ status: number; json: Record<string, unknown> }> {
  const signed = await signer.sign(`${BASE}/`, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "Logs_20140328.GetLogEvents" },
    body: JSON.stringify(input),
  });
  const res = await exports.default.fetch(signed);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
