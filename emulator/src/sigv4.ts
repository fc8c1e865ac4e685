/**
 * AWS Signature Version 4 verification (header form, `AWS4-HMAC-SHA256`), as AWS's front door
 * checks it for non-S3 services: canonical request with the path URI-encoded once more than it
 * travels (each segment double-encoded), sorted canonical query, the signed headers, and the
 * payload hash (`x-amz-content-sha256` when sent, else the body's SHA-256). HMAC-SHA256 comes
 * from WebCrypto. Pure: takes the request parts and the clock, does no I/O.
 * Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import type { ErrorType } from "./errors";

/** What a request must be signed with. */
export interface SigningSettings {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
}

/** The parts of a request the signature covers. */
export interface SignedParts {
  method: string;
  /** The path exactly as it travelled (already percent-encoded once). */
  path: string;
  /** The raw query string without the leading `?`. */
  query: string;
  headers: Headers;
  body: Uint8Array;
  /** The URL's host[:port], used when no Host header is present (requests built in-process). */
  host?: string;
}

/**
 * Why a verification failed, for services whose errors differ from the JSON services' (S3, STS):
 * they map the reason to their own codes (s3/auth.ts, sts.ts).
 */
export type FailureReason = "missing" | "malformed" | "unknown-key" | "expired" | "not-yet-valid" | "scope-date" | "region" | "service" | "mismatch";

/** Outcome of a verification; failures carry AWS's error type and message (JSON services), and the reason. */
export type Verdict =
  | { ok: true; accessKeyId: string }
  | { ok: false; type: ErrorType; message: string; reason: FailureReason; scope?: { region: string; service: string } };

/** How the canonical URI is built: once-encoded and not normalised for S3, normalised and encoded again for the others. */
export type UriMode = "s3" | "standard";

const encoder = new TextEncoder();
const ALGORITHM = "AWS4-HMAC-SHA256";
/** AWS rejects requests whose X-Amz-Date is more than 15 minutes from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Lower-case hex SHA-256 of bytes or text. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  return hex(await crypto.subtle.digest("SHA-256", bytes));
}

async function hmac(key: ArrayBuffer | Uint8Array, data: string): Promise<ArrayBuffer> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(data));
}

const signingKeys = new Map<string, ArrayBuffer>();

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), cached per day. */
export async function signingKey(secret: string, date: string, region: string, service: string): Promise<ArrayBuffer> {
  const cacheKey = [secret, date, region, service].join("\n");
  const cached = signingKeys.get(cacheKey);
  if (cached) return cached;
  const kDate = await hmac(encoder.encode(`AWS4${secret}`), date);
  const kRegion = await hmac(kDate, region);
  const kService = await hmac(kRegion, service);
  const kSigning = await hmac(kService, "aws4_request");
  if (signingKeys.size > 100) signingKeys.clear();
  signingKeys.set(cacheKey, kSigning);
  return kSigning;
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is %XX (upper case). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Canonical URI for non-S3 services: normalised path, each segment encoded again. */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = path.length > 1 && path.endsWith("/") ? "/" : "";
  const joined = `/${segments.map(uriEncode).join("/")}`;
  return joined === "/" ? "/" : `${joined}${trailing}`;
}

/** Canonical URI for S3: the path as it travelled, each segment encoded once (not normalised: `a//b` and `..` are key characters). */
export function canonicalUriS3(path: string): string {
  return path
    .split("/")
    .map((segment) => uriEncode(safeDecode(segment)))
    .join("/");
}

/** Canonical query string: decoded then re-encoded pairs, sorted by name then value. */
export function canonicalQuery(query: string): string {
  if (query === "") return "";
  const pairs = query
    .split("&")
    .filter((p) => p !== "")
    .map((p) => {
      const i = p.indexOf("=");
      const name = i < 0 ? p : p.slice(0, i);
      const value = i < 0 ? "" : p.slice(i + 1);
      // AWS reads a query string as a form: "+" is a space (a literal plus travels as %2B).
      return [uriEncode(safeDecode(name.replace(/\+/g, " "))), uriEncode(safeDecode(value.replace(/\+/g, " ")))] as const;
    })
    .filter(([name]) => name !== "X-Amz-Signature");
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

/** The canonical request, string to sign and signature for given parts, key scope and time. */
export async function computeSignature(
  parts: SignedParts,
  signedHeaders: string[],
  payloadHash: string,
  amzDate: string,
  settings: Omit<SigningSettings, "accessKeyId">,
  uriMode: UriMode = "standard",
): Promise<{ canonicalRequest: string; stringToSign: string; signature: string }> {
  const canonicalHeaders = signedHeaders
    .map((name) => {
      const value = parts.headers.get(name) ?? (name === "host" ? parts.host : undefined) ?? "";
      return `${name}:${value.trim().replace(/\s+/g, " ")}\n`;
    })
    .join("");
  const canonicalRequest = [
    parts.method.toUpperCase(),
    uriMode === "s3" ? canonicalUriS3(parts.path) : canonicalUri(parts.path),
    canonicalQuery(parts.query),
    canonicalHeaders,
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
  const date = amzDate.slice(0, 8);
  const scope = `${date}/${settings.region}/${settings.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, await sha256Hex(canonicalRequest)].join("\n");
  const key = await signingKey(settings.secretAccessKey, date, settings.region, settings.service);
  const signature = hex(await hmac(key, stringToSign));
  return { canonicalRequest, stringToSign, signature };
}

/** Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. */
export function parseAuthorization(header: string): { credential: string[]; signedHeaders: string[]; signature: string } | string {
  if (!header.startsWith(`${ALGORITHM} `)) return `Authorization header requires the ${ALGORITHM} algorithm.`;
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(",")) {
    const i = part.indexOf("=");
    if (i > 0) fields.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  for (const name of ["Credential", "SignedHeaders", "Signature"]) {
    if (!fields.get(name)) return `Authorization header requires '${name}' parameter. Authorization=${header}`;
  }
  return {
    credential: fields.get("Credential")!.split("/"),
    signedHeaders: fields
      .get("SignedHeaders")!
      .split(";")
      .map((h) => h.toLowerCase()),
    signature: fields.get("Signature")!,
  };
}

/** `20150830T123600Z` → epoch ms (NaN when malformed). */
export function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** epoch ms → `20150830T123600Z`. */
export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Options of a verification beyond the key. */
export interface VerifyOptions {
  /** Canonical URI rules (default: the non-S3 ones). */
  uriMode?: UriMode;
  /**
   * The payload hash to sign with, when the caller does not want the body hashed here (S3 streams
   * bodies: it passes `x-amz-content-sha256` and lets storage check the hash).
   */
  payloadHash?: string;
}

const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/** Checks the signing time against the clock (15 minutes either way) and the scope's date. */
function checkTime(stamp: string, at: number, scopeDate: string, now: number): Verdict | undefined {
  if (at < now - MAX_SKEW_MS) {
    return {
      ok: false,
      reason: "expired",
      type: "InvalidSignatureException",
      message: `Signature expired: ${stamp} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`,
    };
  }
  if (at > now + MAX_SKEW_MS) {
    return {
      ok: false,
      reason: "not-yet-valid",
      type: "InvalidSignatureException",
      message: `Signature not yet current: ${stamp} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`,
    };
  }
  if (scopeDate !== stamp.slice(0, 8)) {
    return {
      ok: false,
      reason: "scope-date",
      type: "InvalidSignatureException",
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${stamp.slice(0, 8)}', from '${stamp}'.`,
    };
  }
  return undefined;
}

/** Checks the scope's region and service. */
function checkScope(region: string, service: string, settings: SigningSettings): Verdict | undefined {
  const scope = { region, service };
  if (region !== settings.region) {
    return { ok: false, reason: "region", scope, type: "InvalidSignatureException", message: "Credential should be scoped to a valid region. " };
  }
  if (service !== settings.service) {
    return {
      ok: false,
      reason: "service",
      scope,
      type: "InvalidSignatureException",
      message: `Credential should be scoped to correct service: '${settings.service}'. `,
    };
  }
  return undefined;
}

/** Verifies a request's SigV4 header signature the way AWS does, with AWS's error types and messages. */
export async function verifySignature(parts: SignedParts, settings: SigningSettings, now: number, options: VerifyOptions = {}): Promise<Verdict> {
  const authorization = parts.headers.get("authorization");
  if (!authorization) return { ok: false, reason: "missing", type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" };
  const auth = parseAuthorization(authorization);
  if (typeof auth === "string") return { ok: false, reason: "malformed", type: "IncompleteSignatureException", message: auth };
  const [accessKeyId, scopeDate, region, service, terminator] = auth.credential;
  if (auth.credential.length !== 5 || terminator !== "aws4_request") {
    return {
      ok: false,
      reason: "malformed",
      type: "IncompleteSignatureException",
      message: `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${auth.credential.join("/")}'`,
    };
  }
  if (!auth.signedHeaders.includes("host")) {
    return {
      ok: false,
      reason: "malformed",
      type: "IncompleteSignatureException",
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    };
  }
  if (accessKeyId !== settings.accessKeyId) {
    return { ok: false, reason: "unknown-key", type: "UnrecognizedClientException", message: "The security token included in the request is invalid." };
  }
  const amzDate = parts.headers.get("x-amz-date") ?? "";
  const at = amzDate ? parseAmzDate(amzDate) : Date.parse(parts.headers.get("date") ?? "");
  if (Number.isNaN(at)) {
    return {
      ok: false,
      reason: "malformed",
      type: "IncompleteSignatureException",
      message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    };
  }
  const stamp = amzDate || formatAmzDate(at);
  const wrong = checkTime(stamp, at, scopeDate!, now) ?? checkScope(region!, service!, settings);
  if (wrong) return wrong;
  let payloadHash = options.payloadHash;
  let tampered = false;
  if (payloadHash === undefined) {
    const bodyHash = await sha256Hex(parts.body);
    const declared = parts.headers.get("x-amz-content-sha256");
    // A declared payload hash must also be the body's: otherwise the body was changed in transit.
    payloadHash = declared ?? bodyHash;
    tampered = declared !== null && declared !== "UNSIGNED-PAYLOAD" && declared !== bodyHash;
  }
  const { signature } = await computeSignature(parts, auth.signedHeaders, payloadHash, stamp, settings, options.uriMode);
  if (tampered || !constantTimeEqual(signature, auth.signature)) {
    return { ok: false, reason: "mismatch", type: "InvalidSignatureException", message: MISMATCH };
  }
  return { ok: true, accessKeyId };
}
