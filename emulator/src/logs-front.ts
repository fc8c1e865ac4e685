/**
 * CloudWatch Logs (JSON 1.1: `POST /`, `X-Amz-Target: Logs_20140328.<Operation>`,
 * `Content-Type: application/x-amz-json-1.1`, SigV4 service `logs`). Errors are
 * `{"__type": ..., "message": ...}` with status 400 (500 for the service's own failures), as
 * JSON-protocol services answer. Only GetLogEvents is served; it runs in the Durable Object.
 */
import { errorStatus, type ErrorBody } from "./errors";
import { type FrontRequest, signedParts } from "./front";
import { delay, dropped } from "./http";
import { verifySignature } from "./sigv4";
import { signingKeyFor } from "./sts";

const TARGET_PREFIX = "Logs_20140328.";
const CONTENT_TYPE = "application/x-amz-json-1.1";

function jsonError(requestId: string, e: ErrorBody): Response {
  return new Response(JSON.stringify({ __type: e.type, message: e.message }), {
    status: errorStatus(e.type, "logs"),
    headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": requestId },
  });
}

/** Serves one CloudWatch Logs call. */
export async function handleLogs(front: FrontRequest): Promise<Response> {
  const { request, vars, arrivedAt, requestId } = front;
  const body = new Uint8Array(await request.arrayBuffer());
  const target = request.headers.get("x-amz-target") ?? "";
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
  const accessKeyId = /Credential=([^/,\s]+)\//.exec(request.headers.get("authorization") ?? "")?.[1];
  const key = await signingKeyFor(vars, accessKeyId, request.headers.get("x-amz-security-token"), arrivedAt);
  const verdict =
    "type" in key
      ? { ok: false as const, ...key }
      : await verifySignature(signedParts(front, body), { ...key, region: vars.EMULATOR_REGION, service: "logs" }, arrivedAt);
  if (!verdict.ok) {
    const rejected: ErrorBody = { type: verdict.type, message: verdict.message };
    await front.state.record({
      service: "logs",
      operation: operation || "Unknown",
      at: new Date(arrivedAt).toISOString(),
      status: errorStatus(rejected.type, "logs"),
    });
    return jsonError(requestId, rejected);
  }
  if (request.method !== "POST" || operation !== "GetLogEvents") {
    return jsonError(requestId, { type: "UnknownOperationException", message: `The emulator's CloudWatch Logs serves GetLogEvents only, not '${target}'` });
  }
  let input: unknown;
  try {
    input = JSON.parse(new TextDecoder().decode(body) || "{}");
  } catch {
    input = undefined;
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return jsonError(requestId, { type: "SerializationException", message: "The request body is not a JSON object" });
  }
  const res = await front.state.call({ service: "logs", operation: "GetLogEvents", input: input as Record<string, unknown>, arrivedAt });
  await delay(res.latencyMs);
  if (res.drop) return dropped();
  if (res.error) return jsonError(requestId, res.error);
  return new Response(res.body ?? "{}", { status: 200, headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": requestId } });
}
