/**
 * S3's authentication: SigV4 in the Authorization header (payload hash in `x-amz-content-sha256`,
 * required by S3) or in the query string (presigned URLs: `X-Amz-Expires` at most 604800 s,
 * counted from `X-Amz-Date`), answered with S3's error codes. The canonical URI is S3's (encoded
 * once, not normalised). Requests without either are anonymous, which S3 refuses on a private
 * bucket with AccessDenied. Temporary (STS) keys work in both forms while their token is valid.
 */
import type { EmulatorVars } from "../settings";
import { computeSignature, type FailureReason, formatAmzDate, parseAmzDate, parseAuthorization, type SignedParts, verifySignature } from "../sigv4";
import { signingKeyFor } from "../sts";
import { S3Error, s3Errors } from "./errors";

/** SigV4 presigned URLs live at most a week (S3 API Reference, "Authenticating Requests: Using Query Parameters"). */
export const MAX_PRESIGNED_EXPIRES = 604_800;
/** Requests signed more than 15 minutes away from the server's clock are refused. */
const MAX_SKEW_MS = 15 * 60 * 1000;
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** How the request proved who it is, and the payload hash it signed (for the object store to check). */
export interface S3Identity {
  accessKeyId: string;
  /** `x-amz-content-sha256` of a header-signed request; UNSIGNED-PAYLOAD for presigned ones. */
  payloadHash: string;
  presigned: boolean;
}

const PRESIGN_PARAMS = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"];

function queryError(message: string, extra: Record<string, string> = {}): S3Error {
  return new S3Error(400, "AuthorizationQueryParametersError", message, extra);
}

function headerMalformed(message: string, extra: Record<string, string> = {}): S3Error {
  return new S3Error(400, "AuthorizationHeaderMalformed", `The authorization header is malformed; ${message}`, extra);
}

async function keyFor(vars: EmulatorVars, accessKeyId: string, token: string | null, now: number): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const key = await signingKeyFor(vars, accessKeyId, token, now);
  if ("type" in key) {
    if (key.type === "ExpiredTokenException") throw new S3Error(400, "ExpiredToken", "The provided token has expired.");
    throw new S3Error(400, "InvalidToken", "The provided token is malformed or otherwise invalid.");
  }
  if (key.accessKeyId !== accessKeyId) throw s3Errors.invalidAccessKey(accessKeyId);
  return key;
}

/** Maps a header verification failure to S3's error. */
function headerFailure(reason: FailureReason, accessKeyId: string, vars: EmulatorVars, now: number, scope?: { region: string; service: string }): S3Error {
  switch (reason) {
    case "unknown-key":
      return s3Errors.invalidAccessKey(accessKeyId);
    case "expired":
    case "not-yet-valid":
      return new S3Error(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", {
        ServerTime: new Date(now).toISOString(),
        MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
      });
    case "region":
      return headerMalformed(`the region '${scope?.region ?? ""}' is wrong; expecting '${vars.EMULATOR_REGION}'`, { Region: vars.EMULATOR_REGION });
    case "service":
      return headerMalformed(`incorrect service "${scope?.service ?? ""}". This endpoint belongs to "s3".`);
    case "scope-date":
      return headerMalformed("Invalid credential date. Date is not the same as X-Amz-Date.");
    case "malformed":
    case "missing":
      return headerMalformed("the Authorization header could not be parsed.");
    default:
      return s3Errors.signatureMismatch(accessKeyId);
  }
}

async function authenticateHeader(parts: SignedParts, vars: EmulatorVars, now: number, hasBody: boolean): Promise<S3Identity> {
  const auth = parseAuthorization(parts.headers.get("authorization")!);
  if (typeof auth === "string") throw headerMalformed(auth);
  const accessKeyId = auth.credential[0] ?? "";
  const payloadHash = parts.headers.get("x-amz-content-sha256");
  if (payloadHash === null) throw new S3Error(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
  if (!/^([0-9a-f]{64}|UNSIGNED-PAYLOAD|STREAMING-[A-Z0-9-]+)$/.test(payloadHash)) {
    throw new S3Error(400, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER or a valid sha256 value.");
  }
  const key = await keyFor(vars, accessKeyId, parts.headers.get("x-amz-security-token"), now);
  const verdict = await verifySignature(parts, { ...key, region: vars.EMULATOR_REGION, service: "s3" }, now, { uriMode: "s3", payloadHash });
  if (!verdict.ok) throw headerFailure(verdict.reason, accessKeyId, vars, now, verdict.scope);
  // Without a body there is nothing for storage to check: the declared hash must be the empty one.
  if (!hasBody && /^[0-9a-f]{64}$/.test(payloadHash) && payloadHash !== EMPTY_SHA256) {
    throw new S3Error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return { accessKeyId, payloadHash, presigned: false };
}

async function authenticateQuery(parts: SignedParts, query: URLSearchParams, vars: EmulatorVars, now: number): Promise<S3Identity> {
  if (PRESIGN_PARAMS.some((p) => !query.get(p))) {
    throw queryError(
      "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
    );
  }
  if (query.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") throw queryError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const credential = query.get("X-Amz-Credential")!.split("/");
  const [accessKeyId, scopeDate, region, service, terminator] = credential;
  if (credential.length !== 5 || terminator !== "aws4_request") {
    throw queryError(
      `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
    );
  }
  if (region !== vars.EMULATOR_REGION) {
    throw queryError(`Error parsing the X-Amz-Credential parameter; the region '${region}' is wrong; expecting '${vars.EMULATOR_REGION}'`, {
      Region: vars.EMULATOR_REGION,
    });
  }
  if (service !== "s3") throw queryError(`Error parsing the X-Amz-Credential parameter; incorrect service "${service}". This endpoint belongs to "s3".`);
  const amzDate = query.get("X-Amz-Date")!;
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt)) throw queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  if (scopeDate !== amzDate.slice(0, 8))
    throw queryError('Error parsing the X-Amz-Credential parameter; incorrect date format. This date in the credential must be in the format "yyyyMMdd".');
  const expiresText = query.get("X-Amz-Expires")!;
  if (!/^\d+$/.test(expiresText)) throw queryError("X-Amz-Expires should be a number");
  const expires = Number(expiresText);
  if (expires > MAX_PRESIGNED_EXPIRES) throw queryError(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_EXPIRES}`);
  if (signedAt > now + MAX_SKEW_MS) throw new S3Error(403, "AccessDenied", "Request is not valid yet");
  if (now > signedAt + expires * 1000) {
    throw new S3Error(403, "AccessDenied", "Request has expired", {
      "X-Amz-Expires": expiresText,
      Expires: new Date(signedAt + expires * 1000).toISOString(),
      ServerTime: new Date(now).toISOString(),
    });
  }
  const key = await keyFor(vars, accessKeyId!, query.get("X-Amz-Security-Token"), now);
  const signedHeaders = query.get("X-Amz-SignedHeaders")!.toLowerCase().split(";");
  if (!signedHeaders.includes("host")) throw queryError("Query-string authentication requires the Host header to be signed.");
  const { signature } = await computeSignature(
    parts,
    signedHeaders,
    "UNSIGNED-PAYLOAD",
    formatAmzDate(signedAt),
    { ...key, region: region!, service: "s3" },
    "s3",
  );
  if (signature !== query.get("X-Amz-Signature")) throw s3Errors.signatureMismatch(accessKeyId!);
  return { accessKeyId: accessKeyId!, payloadHash: "UNSIGNED-PAYLOAD", presigned: true };
}

/**
 * Authenticates an S3 request, or throws the S3Error S3 answers with. `hasBody`: whether the
 * operation carries a body (PutObject), so that a signed payload hash is left for storage to check.
 */
export async function authenticateS3(parts: SignedParts, vars: EmulatorVars, now: number, hasBody: boolean): Promise<S3Identity> {
  const query = new URLSearchParams(parts.query);
  if (query.has("X-Amz-Credential") || query.has("X-Amz-Signature") || query.has("X-Amz-Algorithm")) return authenticateQuery(parts, query, vars, now);
  if (parts.headers.get("authorization")) return authenticateHeader(parts, vars, now, hasBody);
  throw s3Errors.accessDenied();
}
