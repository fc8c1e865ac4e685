/**
 * HealthOmicsClient units: error parsing and classification, base URL, wire types, network
 * failure, timeout and the per-call record. Requests that need a server go to the real emulator
 * process (env.TEST_EMULATOR_URL); a stand-in fetch is used only for malformed responses the
 * emulator cannot produce.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import {
  HealthOmicsClient,
  classifyOmicsError,
  omicsBaseUrl,
  parseOmicsError,
  type GetRunOutput,
  type GetRunTaskOutput,
  type GetWorkflowOutput,
  type HealthOmicsClientOptions,
  type OmicsCallRecord,
  type OmicsError,
  type StartRunInput,
  type TaskListItemOutput,
  type Wire,
} from "../../src/executors/healthomics/client/client";

const CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  region: "us-east-1",
} as const;

function client(options: Partial<HealthOmicsClientOptions> = {}): HealthOmicsClient {
  return new HealthOmicsClient({ ...CREDENTIALS, endpoint: env.TEST_EMULATOR_URL, ...options });
}

/** A stand-in fetch answering every request with one canned response (malformed-response cases only). */
function cannedFetch(status: number, body: string, headers: Record<string, string> = {}): typeof fetch {
  return async () => new Response(status === 204 ? null : body, { status, headers });
}

describe("parseOmicsError", () => {
  type Case = [name: string, status: number, headers: Record<string, string>, body: string, expected: Partial<OmicsError>];
  const cases: Case[] = [
    [
      "type from x-amzn-errortype, anything after ':' dropped",
      400,
      { "x-amzn-errortype": "ValidationException:http://internal.amazon.com/coral/com.amazon.bragi/" },
      JSON.stringify({ message: "1 validation error detected" }),
      { type: "ValidationException", status: 400, message: "1 validation error detected", retryable: false },
    ],
    [
      "body __type with a namespace, capitalised Message",
      404,
      {},
      JSON.stringify({ __type: "com.amazonaws.omics#ResourceNotFoundException", Message: "Run 1 not found" }),
      { type: "ResourceNotFoundException", message: "Run 1 not found", retryable: false },
    ],
    ["body code", 409, {}, JSON.stringify({ code: "ConflictException", message: "busy" }), { type: "ConflictException", message: "busy", retryable: false }],
    [
      "header wins over the body",
      400,
      { "x-amzn-errortype": "ValidationException" },
      JSON.stringify({ __type: "com.amazonaws.omics#ConflictException", message: "m" }),
      { type: "ValidationException" },
    ],
    [
      "body code wins over __type (SDK order)",
      403,
      {},
      JSON.stringify({ code: "AccessDeniedException", __type: "x#ValidationException", message: "no" }),
      { type: "AccessDeniedException", retryable: false },
    ],
    ["missing body on 503", 503, {}, "", { type: "ServiceUnavailable", status: 503, message: "HTTP 503 ServiceUnavailable", retryable: true }],
    [
      "HTML body on 502",
      502,
      { "content-type": "text/html" },
      "<html><head><style>p{}</style></head><body><h1>502 Bad Gateway</h1>\n<p>nginx</p></body></html>",
      { type: "BadGateway", message: "HTTP 502: 502 Bad Gateway nginx", retryable: true },
    ],
    [
      "402 quota",
      402,
      { "x-amzn-errortype": "ServiceQuotaExceededException" },
      JSON.stringify({ message: "Maximum runs reached" }),
      { type: "ServiceQuotaExceededException", retryable: false, quota: true },
    ],
    [
      "429 throttling",
      429,
      { "x-amzn-errortype": "ThrottlingException" },
      JSON.stringify({ message: "Rate exceeded" }),
      { type: "ThrottlingException", retryable: true },
    ],
    ["429 without a type", 429, {}, "Too Many Requests", { type: "TooManyRequests", retryable: true }],
    [
      "500 internal",
      500,
      { "x-amzn-errortype": "InternalServerException" },
      JSON.stringify({ message: "oops" }),
      { type: "InternalServerException", retryable: true },
    ],
    [
      "408 RequestTimeoutException (transient for the SDK)",
      408,
      { "x-amzn-errortype": "RequestTimeoutException" },
      JSON.stringify({ message: "timed out" }),
      { type: "RequestTimeoutException", retryable: true },
    ],
    ["unknown 4xx is final", 418, {}, "", { type: "Http418", message: "HTTP 418 Http418", retryable: false }],
    ["JSON that is not an object", 400, {}, "[1,2]", { type: "BadRequest", message: "HTTP 400: [1,2]", retryable: false }],
    [
      "throttling type on a 400 is still retryable",
      400,
      { "x-amzn-errortype": "Throttling" },
      JSON.stringify({ message: "slow down" }),
      { type: "Throttling", retryable: true },
    ],
  ];

  it.each(cases)("%s", (_name, status, headers, body, expected) => {
    const error = parseOmicsError(status, headers, body);
    expect(error).toMatchObject(expected);
    expect(error.status).toBe(status);
    if (!expected.quota) expect(error.quota).toBeUndefined();
  });

  it("keeps the AWS request id and caps long messages", () => {
    const error = parseOmicsError(500, { "x-amzn-requestid": "abc-123" }, "x".repeat(5000));
    expect(error.awsRequestId).toBe("abc-123");
    expect(error.message.length).toBeLessThan(300);
  });

  it("classifies client-side types", () => {
    expect(classifyOmicsError("NetworkError", null)).toEqual({ retryable: true });
    expect(classifyOmicsError("Timeout", null)).toEqual({ retryable: true });
    expect(classifyOmicsError("AccessDeniedException", 403)).toEqual({ retryable: false });
    expect(classifyOmicsError("ServiceQuotaExceededException", 402)).toEqual({ retryable: false, quota: true });
    expect(classifyOmicsError("ServiceUnavailable", 503)).toEqual({ retryable: true });
  });
});

describe("omicsBaseUrl", () => {
  it("prefixes the workflow host", () => {
    expect(omicsBaseUrl("us-east-1")).toBe("https://workflows-omics.us-east-1.amazonaws.com");
    expect(omicsBaseUrl("eu-west-2")).toBe("https://workflows-omics.eu-west-2.amazonaws.com");
  });
  it("uses an explicit endpoint as given, without a trailing slash", () => {
    expect(omicsBaseUrl("us-east-1", "http://127.0.0.1:8788/")).toBe("http://127.0.0.1:8788");
    expect(omicsBaseUrl("us-east-1", "https://omics.example.test/base")).toBe("https://omics.example.test/base");
  });
  it("rejects a region that would change the host", () => {
    expect(() => omicsBaseUrl("us-east-1.evil.example/")).toThrow(TypeError);
    expect(new HealthOmicsClient({ ...CREDENTIALS }).baseUrl).toBe("https://workflows-omics.us-east-1.amazonaws.com");
  });
});

describe("wire types", () => {
  it("maps Date to string recursively (compile-time check)", () => {
    expectTypeOf<Wire<{ a: Date; b?: Date | undefined; c: { d: Date[] } }>>().toEqualTypeOf<{
      a: string;
      b?: string | undefined;
      c: { d: string[] };
    }>();
    expectTypeOf<GetRunOutput["creationTime"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<GetRunTaskOutput["stopTime"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<TaskListItemOutput["startTime"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<GetWorkflowOutput["creationTime"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<StartRunInput["requestId"]>().toEqualTypeOf<string>();
    // @ts-expect-error requestId is required: it is the idempotency token
    const missing: StartRunInput = { roleArn: "arn:aws:iam::1:role/r", outputUri: "s3://b/" };
    expect(missing).toBeDefined();
  });
});

describe("transport failures", () => {
  it("a closed port is a retryable NetworkError, recorded as 'network'", async () => {
    const records: OmicsCallRecord[] = [];
    const omics = client({ endpoint: "http://127.0.0.1:9", onCall: (r) => records.push(r) });
    const result = await omics.getRun("1234567");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ type: "NetworkError", status: null, retryable: true });
    expect(result.error.message).not.toContain(CREDENTIALS.secretAccessKey);
    expect(records).toEqual([{ operation: "GetRun", status: "network", errorType: "NetworkError", durationMs: expect.any(Number) }]);
  });

  it("an empty path label fails locally, without a call", async () => {
    const records: OmicsCallRecord[] = [];
    const result = await client({ onCall: (r) => records.push(r) }).getRunTask("123", "");
    expect(result).toMatchObject({ ok: false, error: { type: "ValidationException", status: null, retryable: false } });
    expect(records).toEqual([]);
  });

  describe("against the emulator's latency fault", () => {
    afterEach(async () => {
      await fetch(`${env.TEST_EMULATOR_URL}/__emulator/faults`, { method: "DELETE" });
    });

    it("a slow answer is a retryable Timeout, recorded as 'timeout'", async (ctx) => {
      const injected = await fetch(`${env.TEST_EMULATOR_URL}/__emulator/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ operation: "GetWorkflow", kind: "latency", latencyMs: 2000, count: 1 }),
      });
      await injected.body?.cancel();
      // The emulator is written concurrently; without its fault endpoint this test cannot run.
      if (injected.status === 404) ctx.skip();
      expect(injected.ok).toBe(true);

      const records: OmicsCallRecord[] = [];
      const result = await client({ timeoutMs: 200, onCall: (r) => records.push(r) }).getWorkflow("1000001");
      expect(result).toMatchObject({ ok: false, error: { type: "Timeout", status: null, retryable: true } });
      expect(records).toMatchObject([{ operation: "GetWorkflow", status: "timeout", errorType: "Timeout" }]);
      expect(records[0]?.durationMs).toBeLessThan(2000);
    });
  });
});

describe("onCall", () => {
  it("records the operation, status and duration of a real call", async () => {
    const records: OmicsCallRecord[] = [];
    const result = await client({ onCall: (r) => records.push(r) }).getWorkflow("1000001");
    expect(result.ok).toBe(true);
    expect(records).toEqual([{ operation: "GetWorkflow", status: 200, durationMs: expect.any(Number) }]);
  });

  it("records the error type of a failed call", async () => {
    const records: OmicsCallRecord[] = [];
    const result = await client({ onCall: (r) => records.push(r) }).getRun("999999999");
    expect(result).toMatchObject({ ok: false, error: { type: "ResourceNotFoundException", status: 404 } });
    expect(records).toMatchObject([{ operation: "GetRun", status: 404, errorType: "ResourceNotFoundException" }]);
  });

  it("a throwing hook does not fail the call", async () => {
    const omics = client({
      endpoint: "http://127.0.0.1:9",
      onCall: () => {
        throw new Error("metrics down");
      },
    });
    const result = await omics.cancelRun("1");
    expect(result).toMatchObject({ ok: false, error: { type: "NetworkError" } });
  });
});

describe("malformed responses (stand-in fetch)", () => {
  it("a 2xx HTML page is a retryable InvalidResponse", async () => {
    const records: OmicsCallRecord[] = [];
    const omics = client({ fetch: cannedFetch(200, "<html>captive portal</html>"), onCall: (r) => records.push(r) });
    const result = await omics.getRun("1");
    expect(result).toMatchObject({ ok: false, error: { type: "InvalidResponse", status: 200, retryable: true } });
    expect(records).toMatchObject([{ operation: "GetRun", status: 200, errorType: "InvalidResponse" }]);
  });

  it("a 2xx JSON non-object is an InvalidResponse", async () => {
    const result = await client({ fetch: cannedFetch(200, "null") }).getRunTask("1", "2");
    expect(result).toMatchObject({ ok: false, error: { type: "InvalidResponse" } });
  });

  it("an empty 2xx body is an empty output; CancelRun ignores any body", async () => {
    expect(await client({ fetch: cannedFetch(200, "") }).getRun("1")).toEqual({ ok: true, value: {} });
    expect(await client({ fetch: cannedFetch(202, "{}") }).cancelRun("1")).toEqual({ ok: true, value: undefined });
  });

  it("a 503 HTML page from a front end is a retryable error", async () => {
    const result = await client({
      fetch: cannedFetch(503, "<html><body>Service Unavailable</body></html>", { "content-type": "text/html" }),
    }).startRun({ roleArn: "arn:aws:iam::1:role/r", outputUri: "s3://b/", requestId: "r-1", workflowId: "1000001" });
    expect(result).toMatchObject({
      ok: false,
      error: { type: "ServiceUnavailable", status: 503, message: "HTTP 503: Service Unavailable", retryable: true },
    });
  });

  it("credentials echoed by the server never reach the error", async () => {
    const sessionToken = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789";
    const echo =
      `The Canonical String for this request should have been 'x-amz-security-token:${sessionToken}' ` +
      `Signature=${"a".repeat(64)} key ${CREDENTIALS.secretAccessKey}`;
    const result = await client({
      sessionToken,
      fetch: cannedFetch(403, JSON.stringify({ message: echo }), { "x-amzn-errortype": "InvalidSignatureException" }),
    }).getRun("1");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.type).toBe("InvalidSignatureException");
    expect(result.error.message).not.toContain(sessionToken);
    expect(result.error.message).not.toContain(CREDENTIALS.secretAccessKey);
    expect(result.error.message).not.toContain("a".repeat(64));
    expect(result.error.message).toContain("[REDACTED]");
  });
});
