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
