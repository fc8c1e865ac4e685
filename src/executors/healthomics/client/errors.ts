/**
 * HealthOmics errors as plain data.
 *
 * Results cross Durable Object RPC, where custom error classes do not survive, so every failure
 * is an `OmicsError` object inside an `OmicsResult`, never a thrown exception.
 */

/** A failed HealthOmics call. */
export interface OmicsError {
  /**
   * The AWS error type (`ThrottlingException`, `ValidationException`, …), or one of the
   * client's own: `NetworkError`, `Timeout`, `InvalidResponse`, `SigningError`,
   * `PageLimitExceeded`, or an HTTP fallback name (`ServiceUnavailable`, `Http418`, …) when the
   * response names no type.
   */
  type: string;
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  /** Human-readable text; never contains credentials or signatures. */
  message: string;
  /** True when the same request may succeed later (throttling, 5xx, network, timeout). */
  retryable: boolean;
  /**
   * True for ServiceQuotaExceededException (402): not retryable now, but not the request's fault
   * either; the caller waits (e.g. until runs are deleted) and tries again later.
   */
  quota?: boolean;
  /** AWS request id (`x-amzn-requestid`), for support cases. */
  awsRequestId?: string;
}

/** Outcome of one client operation: plain data, safe across RPC. */
export type OmicsResult<T> = { ok: true; value: T } | { ok: false; error: OmicsError };

/**
 * Error types the AWS SDK retries: smithy's THROTTLING_ERROR_CODES and TRANSIENT_ERROR_CODES
 * (@smithy/core retry/service-error-classification/constants.js), plus the model's
 * InternalServerException (`retryable` trait) and generic 5xx names of AWS front ends.
 * RequestTimeoutException (408) has no `retryable` trait in the omics model, but the SDK treats
 * it as transient, and every call made here is safe to repeat (StartRun through `requestId`).
 */
const RETRYABLE_TYPES = new Set([
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "LimitExceededException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "TransactionInProgressException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalServerException",
  "InternalFailure",
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "NetworkError",
  "Timeout",
]);

/** Names used when a non-2xx response carries no error type (e.g. an HTML page from a proxy). */
const STATUS_NAMES: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  402: "ServiceQuotaExceededException",
  403: "Forbidden",
  404: "NotFound",
  408: "RequestTimeout",
  409: "Conflict",
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

const MAX_MESSAGE = 1000;
const MAX_SNIPPET = 200;

/**
 * Classifies an error type and HTTP status: retryable (throttling, transient, 408, 429, 5xx)
 * or final, and marks ServiceQuotaExceededException / 402 as `quota`.
 */
export function classifyOmicsError(type: string, status: number | null): Pick<OmicsError, "retryable" | "quota"> {
  if (type === "ServiceQuotaExceededException" || status === 402) {
    return { retryable: false, quota: true };
  }
  const retryable = RETRYABLE_TYPES.has(type) || status === 408 || status === 429 || (status !== null && status >= 500 && status <= 599);
  return { retryable };
}

/**
 * Reduces a raw error code to its type name the way the AWS SDK does (smithy
 * `sanitizeErrorCode`): `ValidationException:http://internal…` → `ValidationException`,
 * `com.amazonaws.omics#ValidationException` → `ValidationException`.
 */
export function sanitizeErrorType(raw: string): string {
  let value = raw.split(",")[0] ?? "";
  value = value.split(":")[0] ?? "";
  if (value.includes("#")) value = value.split("#")[1] ?? "";
  return value.trim();
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  if (!text.trim()) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Value of the first key matching `name` case-insensitively (the SDK's `findKey`). */
function member(body: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(body).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : body[key];
}

function asCode(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  return typeof value === "string" && value.trim() ? value : undefined;
}

/** First characters of a non-JSON body with tags stripped and whitespace collapsed. */
function snippet(text: string): string {
  const plain = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > MAX_SNIPPET ? `${plain.slice(0, MAX_SNIPPET)}…` : plain;
}

/**
 * Parses a non-2xx HealthOmics response into an `OmicsError`, as the SDK's restJson1 protocol
 * does (smithy `loadRestJsonErrorCode`): the type comes from the `x-amzn-errortype` header, else
 * the body's `code`, else its `__type`; the message from the body's `message`/`Message`. An
 * empty, HTML or otherwise non-JSON body still yields a type (named after the status) and a
 * message (with a short text snippet of the body).
 */
export function parseOmicsError(status: number, headers: HeadersInit | null | undefined, bodyText: string): OmicsError {
  const h = new Headers(headers ?? undefined);
  const body = parseJsonObject(bodyText);

  const headerType = h.get("x-amzn-errortype");
  const rawType = (headerType?.trim() ? headerType : undefined) ?? (body ? (asCode(member(body, "code")) ?? asCode(body.__type)) : undefined);
  const parsedType = rawType ? sanitizeErrorType(rawType) : "";
  const type = parsedType || STATUS_NAMES[status] || `Http${status}`;

  const bodyMessage = body ? member(body, "message") : undefined;
  let message: string;
  if (typeof bodyMessage === "string" && bodyMessage.trim()) {
    message = bodyMessage;
  } else {
    const text = body ? "" : snippet(bodyText);
    message = text ? `HTTP ${status}: ${text}` : `HTTP ${status} ${type}`;
  }
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE)}…`;

  const error: OmicsError = { type, status, message, ...classifyOmicsError(type, status) };
  const awsRequestId = h.get("x-amzn-requestid") ?? h.get("x-amz-request-id");
  if (awsRequestId) error.awsRequestId = awsRequestId;
  return error;
}

/** A client-side error (no HTTP status) with the standard classification. */
export function localOmicsError(type: string, message: string): OmicsError {
  return { type, status: null, message, ...classifyOmicsError(type, null) };
}

/**
 * Removes credentials from a text. AWS signature errors echo the canonical request, which holds
 * the `x-amz-security-token` header value; signatures are scrubbed too for good measure.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 8) out = out.split(secret).join("[REDACTED]");
  }
  return out.replace(/Signature=[0-9a-f]{64}/gi, "Signature=[REDACTED]");
}
