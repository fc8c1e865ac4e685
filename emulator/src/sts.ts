/**
 * A minimal STS for the emulator: AssumeRole (Query protocol, `POST /` with a form body, XML
 * answer), so the API's temporary-credentials path runs locally. Stateless: a temporary key's
 * secret is derived from the emulator's own secret, and its session token is a signed claim of
 * (key, expiry); HealthOmics calls signed with a temporary key are accepted until it expires.
 * Not implemented: policies, tags, MFA, GetCallerIdentity and every other STS action.
 */
import { type FrontRequest, signedParts } from "./front";
import { delay, dropped } from "./http";
import type { EmulatorVars } from "./settings";
import { type FailureReason, verifySignature, type SignedParts } from "./sigv4";

const encoder = new TextEncoder();

async function hmac(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const bytes = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(text)));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The secret of a temporary key: derived, so nothing needs storing. */
async function temporarySecret(vars: EmulatorVars, accessKeyId: string): Promise<string> {
  return (await hmac(vars.EMULATOR_SECRET_ACCESS_KEY, `secret:${accessKeyId}`)).slice(0, 40);
}

/**
 * Signing settings for a temporary key, or an AWS error when its session token is missing,
 * forged, for another key, or expired.
 */
export async function temporaryKeySettings(
  vars: EmulatorVars,
  accessKeyId: string,
  token: string | null,
  now: number,
): Promise<{ secretAccessKey: string } | { type: "UnrecognizedClientException" | "ExpiredTokenException"; message: string }> {
  const [payload, signature] = (token ?? "").split(".");
  if (!payload || !signature || (await hmac(vars.EMULATOR_SECRET_ACCESS_KEY, `token:${payload}`)) !== signature) {
    return { type: "UnrecognizedClientException", message: "The security token included in the request is invalid." };
  }
  const [key, expires] = atob(payload.replace(/-/g, "+").replace(/_/g, "/")).split("|");
  if (key !== accessKeyId) return { type: "UnrecognizedClientException", message: "The security token included in the request is invalid." };
  if (!(Number(expires) > now)) return { type: "ExpiredTokenException", message: "The security token included in the request is expired" };
  return { secretAccessKey: await temporarySecret(vars, accessKeyId) };
}

/** The key a request is signed with: a temporary key while its session token is valid, else the emulator's own key. */
export async function signingKeyFor(
  vars: EmulatorVars,
  accessKeyId: string | undefined,
  token: string | null,
  now: number,
): Promise<{ accessKeyId: string; secretAccessKey: string } | { type: "UnrecognizedClientException" | "ExpiredTokenException"; message: string }> {
  if (accessKeyId && /^ASIA[A-Z0-9]{16}$/.test(accessKeyId)) {
    const found = await temporaryKeySettings(vars, accessKeyId, token, now);
    return "type" in found ? found : { accessKeyId, secretAccessKey: found.secretAccessKey };
  }
  return { accessKeyId: vars.EMULATOR_ACCESS_KEY_ID, secretAccessKey: vars.EMULATOR_SECRET_ACCESS_KEY };
}

/** STS's (Query protocol) codes for signature failures. */
const STS_CODES: Record<FailureReason, string> = {
  missing: "MissingAuthenticationToken",
  malformed: "IncompleteSignature",
  "unknown-key": "InvalidClientTokenId",
  expired: "SignatureDoesNotMatch",
  "not-yet-valid": "SignatureDoesNotMatch",
  "scope-date": "SignatureDoesNotMatch",
  region: "SignatureDoesNotMatch",
  service: "SignatureDoesNotMatch",
  mismatch: "SignatureDoesNotMatch",
};

function xmlError(status: number, code: string, message: string): Response {
  const type = status >= 500 ? "Receiver" : "Sender";
  const body = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`;
  return new Response(body, { status, headers: { "content-type": "text/xml" } });
}

/** Serves `POST /` with `Action=AssumeRole`, signed (service `sts`) with the emulator's base key. */
export async function handleSts(parts: SignedParts, vars: EmulatorVars, now: number): Promise<Response> {
  const verdict = await verifySignature(
    parts,
    { accessKeyId: vars.EMULATOR_ACCESS_KEY_ID, secretAccessKey: vars.EMULATOR_SECRET_ACCESS_KEY, region: vars.EMULATOR_REGION, service: "sts" },
    now,
  );
  if (!verdict.ok) return xmlError(verdict.reason === "malformed" || verdict.reason === "missing" ? 400 : 403, STS_CODES[verdict.reason], verdict.message);
  const form = new URLSearchParams(new TextDecoder().decode(parts.body));
  if (form.get("Action") !== "AssumeRole") return xmlError(400, "InvalidAction", `Could not find operation ${form.get("Action") ?? ""} for version 2011-06-15`);
  const roleArn = form.get("RoleArn") ?? "";
  const session = form.get("RoleSessionName") ?? "";
  const duration = Number(form.get("DurationSeconds") ?? "3600");
  if (!/^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]+$/.test(roleArn))
    return xmlError(400, "ValidationError", "1 validation error detected: Value at 'roleArn' failed to satisfy constraint");
  if (!/^[\w+=,.@-]{2,64}$/.test(session))
    return xmlError(400, "ValidationError", "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint");
  if (!Number.isInteger(duration) || duration < 900 || duration > 43_200)
    return xmlError(400, "ValidationError", "The requested DurationSeconds exceeds the allowed range (900-43200)");
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const accessKeyId = `ASIA${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => alphabet[b % 32]).join("")}`;
  const expiresAt = now + duration * 1000;
  const payload = btoa(`${accessKeyId}|${expiresAt}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const token = `${payload}.${await hmac(vars.EMULATOR_SECRET_ACCESS_KEY, `token:${payload}`)}`;
  const roleName = roleArn.slice(roleArn.lastIndexOf("/") + 1);
  const account = roleArn.split(":")[4];
  const body = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${await temporarySecret(vars, accessKeyId)}</SecretAccessKey><SessionToken>${token}</SessionToken><Expiration>${new Date(expiresAt).toISOString()}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAEMULATOR:${session}</AssumedRoleId><Arn>arn:aws:sts::${account}:assumed-role/${roleName}/${session}</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
  return new Response(body, { status: 200, headers: { "content-type": "text/xml" } });
}

/** Serves one STS call: signature and action first, then the faults and quota of AssumeRole, then the log. */
export async function handleStsFront(front: FrontRequest): Promise<Response> {
  const body = new Uint8Array(await front.request.arrayBuffer());
  const at = new Date(front.arrivedAt).toISOString();
  const admission = await front.state.admit({ service: "sts", operation: "AssumeRole" });
  await delay(admission.latencyMs);
  if (admission.before === "drop") {
    await front.state.record({ service: "sts", operation: "AssumeRole", at, status: 0 });
    return dropped();
  }
  let res: Response;
  if (admission.before === "error") res = xmlError(500, "InternalFailure", "The request processing has failed because of an unknown error (injected fault)");
  else if (admission.before) res = xmlError(400, "Throttling", "Rate exceeded");
  else {
    res = await handleSts(signedParts(front, body), front.vars, front.arrivedAt);
    if (admission.after === "drop") {
      await front.state.record({ service: "sts", operation: "AssumeRole", at, status: 0 });
      return dropped();
    }
    if (admission.after === "error") res = xmlError(500, "InternalFailure", "The request processing has failed because of an unknown error (injected fault)");
    else if (admission.after) res = xmlError(400, "Throttling", "Rate exceeded");
  }
  await front.state.record({ service: "sts", operation: "AssumeRole", at, status: res.status });
  return res;
}
