/**
 * One signed HTTP exchange with HealthOmics: URL, SigV4 (aws4fetch), timeout, error mapping and
 * the per-call record. Knows nothing about individual operations.
 */
import { AwsClient } from "aws4fetch";
import { localOmicsError, parseOmicsError, redactSecrets, type OmicsError, type OmicsResult } from "./errors";
import type { OmicsOperation } from "./wire-types";

/** What the client reports after every HTTP call (for metrics and pacing). */
export interface OmicsCallRecord {
  operation: OmicsOperation;
  /** HTTP status, or why none arrived. */
  status: number | "network" | "timeout";
  /** `OmicsError.type` when the call failed. */
  errorType?: string;
  durationMs: number;
}

/** Settings of a `HealthOmicsClient`. */
export interface HealthOmicsClientOptions {
  accessKeyId: string;
  secretAccessKey: string;
  /** Set for temporary credentials (STS); sent as `x-amz-security-token`. */
  sessionToken?: string | undefined;
  region: string;
  /** Full base URL used as given (the local emulator); default `omicsBaseUrl(region)`. */
  endpoint?: string | undefined;
  /** Per-call deadline in ms, covering the response body too (default 20 000). */
  timeoutMs?: number | undefined;
  /** Stand-in for the global `fetch` (tests of malformed responses). */
  fetch?: typeof fetch | undefined;
  /**
   * Called once per HTTP call (not for inputs rejected before sending, such as an empty id);
   * exceptions it throws are ignored.
   */
  onCall?: ((record: OmicsCallRecord) => void) | undefined;
  /**
   * Where temporary credentials come from (STS AssumeRole, credentials.ts). When set, it is asked
   * before every call (it caches and renews), and the static keys above are not used.
   */
  credentials?: (() => Promise<OmicsResult<AwsCredentials>>) | undefined;
}

/** A set of AWS credentials. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** Default per-call deadline. */
export const DEFAULT_TIMEOUT_MS = 20_000;

const REGION = /^[a-z0-9-]{1,40}$/;

/**
 * Base URL of the HealthOmics workflow operations. Every operation used here has the model's
 * endpoint `hostPrefix: "workflows-"` on top of the rule set's `https://omics.{Region}.{dnsSuffix}`
 * (service-2.json, endpoint-rule-set-1.json); the China partition's suffix is `amazonaws.com.cn`.
 * With `endpoint` (the emulator) the URL is used as given, without the host prefix, like the SDK
 * does for a custom endpoint when `disableHostPrefix` is set.
 */
export function omicsBaseUrl(region: string, endpoint?: string): string {
  if (endpoint) return endpoint.replace(/\/+$/, "");
  if (!REGION.test(region)) throw new TypeError(`Invalid AWS region: ${JSON.stringify(region)}`);
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://workflows-omics.${region}.${suffix}`;
}

/** One request, relative to the base URL. */
export interface OmicsRequest {
  operation: OmicsOperation;
  method: "GET" | "POST";
  /** Path with every label already URL-encoded. */
  path: string;
  query?: URLSearchParams | undefined;
  /** JSON body (serialised here); none when undefined. */
  body?: unknown;
  /** What a 2xx carries: a JSON object (default) or nothing worth reading (CancelRun). */
  response?: "json" | "empty" | undefined;
}

/**
 * Parses a 2xx JSON body into an object. An empty body is `{}` (every output member is
 * optional); anything that is not a JSON object is described in a string instead.
 */
function parseBody(text: string): Record<string, unknown> | string {
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `a body that is not JSON (${text.length} bytes)`;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return "JSON that is not an object";
  }
  return parsed as Record<string, unknown>;
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/** Signs and sends requests; see `HealthOmicsClient` for the public surface. */
export class OmicsTransport {
  #aws: AwsClient;
  #awsKeyId: string;
  readonly #region: string;
  readonly #credentials: HealthOmicsClientOptions["credentials"];
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #onCall: ((record: OmicsCallRecord) => void) | undefined;
  #secrets: readonly (string | undefined)[];

  constructor(options: HealthOmicsClientOptions) {
    // The SigV4 service name is the model's `signingName` "omics", while the host is
    // `workflows-omics.…`: without an explicit `service`, aws4fetch would guess
    // "workflows-omics" from the host name and every signature would be rejected (and with the
    // emulator's 127.0.0.1 host it would guess nothing at all). `retries: 0` turns off
    // aws4fetch's own retry loop (10 by default, on 429/5xx): the caller's alarm schedule
    // is the retry loop. We only use `sign()` and call fetch ourselves anyway (to allow a
    // stand-in fetch, a timeout and `redirect: "manual"`), so the setting is belt and braces.
    this.#region = options.region;
    this.#aws = this.#signer(options);
    this.#awsKeyId = options.accessKeyId;
    this.#credentials = options.credentials;
    this.#baseUrl = omicsBaseUrl(options.region, options.endpoint);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const f = options.fetch ?? fetch;
    // Call with `globalThis` as receiver: workerd's fetch throws "Illegal invocation" when it
    // is called as a method of another object (e.g. stored on `this` and called from there).
    this.#fetch = (input, init) => f.call(globalThis, input, init);
    this.#onCall = options.onCall;
    this.#secrets = [options.secretAccessKey, options.sessionToken, options.accessKeyId];
  }

  #signer(credentials: AwsCredentials): AwsClient {
    return new AwsClient({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
      service: "omics",
      region: this.#region,
      retries: 0,
    });
  }

  /** The base URL requests go to. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /**
   * Sends one request. 2xx → the parsed JSON object (or `undefined` for `response: "empty"`),
   * anything else → an `OmicsError`. Never throws.
   */
  async send<T>(request: OmicsRequest): Promise<OmicsResult<T>> {
    // A timer cleared as soon as the exchange ends, not AbortSignal.timeout: a pending timeout
    // keeps a Durable Object from going idle for the whole timeout after every call.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    try {
      return await this.#exchange<T>(request, controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  async #exchange<T>(request: OmicsRequest, signal: AbortSignal): Promise<OmicsResult<T>> {
    const started = Date.now();
    const query = request.query?.toString();
    const url = `${this.#baseUrl}${request.path}${query ? `?${query}` : ""}`;
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      // restJson1 request bodies are application/json. aws4fetch never signs content-type
      // (its UNSIGNABLE_HEADERS), which AWS accepts.
      headers["content-type"] = "application/json";
    }

    if (this.#credentials) {
      const current = await this.#credentials();
      if (!current.ok) return this.#fail(request, started, "network", current.error);
      if (current.value.accessKeyId !== this.#awsKeyId) {
        this.#aws = this.#signer(current.value);
        this.#awsKeyId = current.value.accessKeyId;
        this.#secrets = [current.value.secretAccessKey, current.value.sessionToken, current.value.accessKeyId];
      }
    }

    let signed: Request;
    try {
      signed = await this.#aws.sign(url, {
        method: request.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal,
        // AWS APIs do not redirect; following one would resend a signed request elsewhere.
        redirect: "manual",
      });
    } catch (e) {
      const error = localOmicsError("SigningError", `Could not sign the request: ${errorMessage(e)}`);
      return this.#fail(request, started, "network", error);
    }

    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(signed);
      text = await response.text();
    } catch (e) {
      if (signal.aborted) {
        const error = localOmicsError("Timeout", `HealthOmics ${request.operation} did not answer within ${this.#timeoutMs} ms`);
        return this.#fail(request, started, "timeout", error);
      }
      const error = localOmicsError("NetworkError", `HealthOmics ${request.operation} failed before a complete response: ${errorMessage(e)}`);
      return this.#fail(request, started, "network", error);
    }

    if (response.status < 200 || response.status > 299) {
      return this.#fail(request, started, response.status, parseOmicsError(response.status, response.headers, text));
    }
    // Any 2xx is success, as in the SDK (StartRun answers 201, CancelRun 202, the rest 200).
    if (request.response === "empty") {
      this.#record({ operation: request.operation, status: response.status, durationMs: Date.now() - started });
      return { ok: true, value: undefined as T };
    }
    const parsed = parseBody(text);
    if (typeof parsed === "string") {
      // A 2xx with a garbled body (a proxy page, a cut connection) says nothing final about the
      // request; every operation here is safe to repeat (StartRun through `requestId`).
      const error: OmicsError = {
        type: "InvalidResponse",
        status: response.status,
        message: `HealthOmics ${request.operation} answered ${response.status} with ${parsed}`,
        retryable: true,
      };
      return this.#fail(request, started, response.status, error);
    }
    this.#record({ operation: request.operation, status: response.status, durationMs: Date.now() - started });
    // The body is trusted to match the model's output shape (every member optional).
    return { ok: true, value: parsed as T };
  }

  #fail(request: OmicsRequest, started: number, status: OmicsCallRecord["status"], error: OmicsError): OmicsResult<never> {
    const clean: OmicsError = { ...error, message: redactSecrets(error.message, this.#secrets) };
    this.#record({ operation: request.operation, status, errorType: clean.type, durationMs: Date.now() - started });
    return { ok: false, error: clean };
  }

  #record(record: OmicsCallRecord): void {
    if (!this.#onCall) return;
    try {
      this.#onCall(record);
    } catch {
      // A metrics hook must never turn a finished call into a failure.
    }
  }
}
