/**
 * HealthOmics (restJson1, SigV4 service `omics`): the Worker authenticates the request, binds and
 * validates it against the API model, and hands it to the EmulatorState Durable Object.
 */
import { logHints } from "./dispatch";
import { ApiError, type ErrorBody } from "./errors";
import { type FrontRequest, signedParts } from "./front";
import { delay, dropped } from "./http";
import { model } from "./model";
import { bindInput, matchOperation } from "./router";
import { verifySignature } from "./sigv4";
import type { CallRequest, CallResponse } from "./state";
import { signingKeyFor } from "./sts";
import { validateInput } from "./validation";

function awsError(requestId: string, e: ErrorBody): Response {
  return new Response(JSON.stringify({ message: e.message }), {
    status: new ApiError(e.type, e.message).status,
    headers: { "content-type": "application/json", "x-amzn-requestid": requestId, "x-amzn-errortype": e.type },
  });
}

function render(requestId: string, res: CallResponse): Response {
  if (res.drop) return dropped();
  if (res.error) return awsError(requestId, res.error);
  const headers: Record<string, string> = { "x-amzn-requestid": requestId };
  if (res.body === undefined) return new Response(null, { status: res.status, headers });
  headers["content-type"] = "application/json";
  return new Response(res.body, { status: res.status, headers });
}

/** Serves one HealthOmics call. */
export async function handleOmics(front: FrontRequest): Promise<Response> {
  const { request, url, vars, arrivedAt, requestId } = front;
  const body = new Uint8Array(await request.arrayBuffer());
  const matched = matchOperation(request.method, url.pathname);
  const parts = signedParts(front, body);
  // A temporary key (from AssumeRole) signs with its derived secret, while its session token is valid.
  const accessKeyId = /Credential=([^/,\s]+)\//.exec(request.headers.get("authorization") ?? "")?.[1];
  const key = await signingKeyFor(vars, accessKeyId, request.headers.get("x-amz-security-token"), arrivedAt);
  if ("type" in key) return awsError(requestId, key);
  const verdict = await verifySignature(parts, { ...key, region: vars.EMULATOR_REGION, service: model.metadata.signingName }, arrivedAt);
  if (!matched) {
    if (!verdict.ok) return awsError(requestId, verdict);
    return awsError(requestId, { type: "UnknownOperationException", message: `No operation matches ${request.method} ${url.pathname}` });
  }
  const text = new TextDecoder().decode(body);
  let input: Record<string, unknown> = {};
  let invalid: ErrorBody | undefined;
  try {
    input = bindInput(matched.operation, matched.labels, url.searchParams, text);
    const inputShape = model.operations[matched.operation]?.input?.shape;
    if (inputShape) validateInput(inputShape, input);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    invalid = { type: error.type, message: error.message };
  }
  if (!verdict.ok) {
    // Rejected calls are logged too, identified from method + path (and the body's requestId).
    await front.state.record({
      service: "omics",
      operation: matched.operation,
      at: new Date(arrivedAt).toISOString(),
      status: new ApiError(verdict.type, verdict.message).status,
      ...logHints(input, matched.operation),
    });
    return awsError(requestId, verdict);
  }
  const call: CallRequest = { service: "omics", operation: matched.operation, input, arrivedAt };
  if (invalid) call.invalid = invalid;
  const res = await front.state.call(call);
  await delay(res.latencyMs);
  return render(requestId, res);
}
