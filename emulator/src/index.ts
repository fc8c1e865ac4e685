/**
 * The local AWS HealthOmics emulator (docs/emulator.md). The Worker authenticates requests
 * (SigV4, service "omics"), binds and validates them against the API model, and hands them to
 * the single EmulatorState Durable Object, which holds every run and serialises the calls.
 * /__emulator/* are unsigned local endpoints for tests and tools.
 */
import type { AdminRequest } from "./admin";
import { ApiError, type ErrorBody } from "./errors";
import { model } from "./model";
import { bindInput, matchOperation } from "./router";
import type { EmulatorVars } from "./settings";
import { verifySignature } from "./sigv4";
import { handleSts, temporaryKeySettings, usesTemporaryKey } from "./sts";
import type { CallRequest, CallResponse } from "./state";
import { validateInput } from "./validation";
import { logHints } from "./dispatch";

export { EmulatorState } from "./state";

function awsError(requestId: string, e: ErrorBody): Response {
  return new Response(JSON.stringify({ message: e.message }), {
    status: new ApiError(e.type, e.message).status,
    headers: { "content-type": "application/json", "x-amzn-requestid": requestId, "x-amzn-errortype": e.type },
  });
}

/**
 * A dropped connection. Failing before the headers go out is not enough: wrangler dev's proxy
 * answers that with its own 500 (and silently retries GETs). So the headers and a first byte go
 * out, then the body stream fails: the client sees the connection cut mid-response.
 */
function dropped(): Response {
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new TextEncoder().encode("{"));
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.error(new Error("connection dropped (injected fault)"));
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
}

function render(requestId: string, res: CallResponse): Response {
  if (res.drop) return dropped();
  const headers: Record<string, string> = { "x-amzn-requestid": requestId };
  if (res.errorType) headers["x-amzn-errortype"] = res.errorType;
  if (res.body === undefined) return new Response(null, { status: res.status, headers });
  headers["content-type"] = "application/json";
  return new Response(res.body, { status: res.status, headers });
}

function settingsOf(env: Env): EmulatorVars {
  return env as unknown as EmulatorVars;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/__emulator/health") return Response.json({ ok: true });
    const stub = env.EMULATOR_STATE.get(env.EMULATOR_STATE.idFromName("global"));
    if (url.pathname.startsWith("/__emulator/")) {
      const req: AdminRequest = {
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: await request.text(),
      };
      const res = await stub.admin(req);
      return new Response(res.body, { status: res.status, headers: { "content-type": "application/json" } });
    }

    const arrivedAt = Date.now();
    const awsRequestId = crypto.randomUUID();
    const body = new Uint8Array(await request.arrayBuffer());
    const matched = matchOperation(request.method, url.pathname);
    const vars = settingsOf(env);
    const parts = { method: request.method, path: url.pathname, query: url.search.slice(1), headers: request.headers, body, host: url.host };
    // STS AssumeRole (POST / with a form body), for the temporary-credentials path (sts.ts).
    if (request.method === "POST" && url.pathname === "/") {
      const res = await handleSts(parts, vars, arrivedAt);
      await stub.record({ operation: "AssumeRole", at: new Date(arrivedAt).toISOString(), status: res.status });
      return res;
    }
    // A temporary key (from AssumeRole) signs with its derived secret, while its session token is valid.
    let signingKey = { accessKeyId: vars.EMULATOR_ACCESS_KEY_ID, secretAccessKey: vars.EMULATOR_SECRET_ACCESS_KEY };
    const temporaryKey = usesTemporaryKey(request.headers);
    if (temporaryKey) {
      const found = await temporaryKeySettings(vars, temporaryKey, request.headers.get("x-amz-security-token"), arrivedAt);
      if ("type" in found) return awsError(awsRequestId, found);
      signingKey = { accessKeyId: temporaryKey, secretAccessKey: found.secretAccessKey };
    }
    const verdict = await verifySignature(parts, { ...signingKey, region: vars.EMULATOR_REGION, service: model.metadata.signingName }, arrivedAt);
    if (!matched) {
      if (!verdict.ok) return awsError(awsRequestId, verdict);
      return awsError(awsRequestId, { type: "UnknownOperationException", message: `No operation matches ${request.method} ${url.pathname}` });
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
      await stub.record({
        operation: matched.operation,
        at: new Date(arrivedAt).toISOString(),
        status: new ApiError(verdict.type, verdict.message).status,
        ...logHints(input, matched.operation),
      });
      return awsError(awsRequestId, verdict);
    }
    const call: CallRequest = { operation: matched.operation, input, arrivedAt };
    if (invalid) call.invalid = invalid;
    const res = await stub.call(call);
    if (res.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, res.latencyMs));
    return render(awsRequestId, res);
  },
} satisfies ExportedHandler<Env>;
