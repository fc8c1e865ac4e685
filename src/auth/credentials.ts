/**
 * Reads the Authorization header: HTTP Basic against WES_USERS, bearer tokens against WES_TOKENS,
 * and JWT-shaped bearer tokens against the OIDC issuer when OIDC is on. Secrets are compared as
 * SHA-256 digests with a constant-time comparison, and an unknown user costs the same work as a
 * known one.
 */
import { sha256, sha256Hex, type AuthSettings } from "../config";
import { looksLikeJwt } from "./claims";
import type { OidcSettings } from "./oidc-config";
import { verifyOidcToken } from "./oidc";
import type { Authentication, Refusal } from "./principal";
import { impliedScopes } from "./scopes";

/** HTTP authentication schemes that may be named in a refusal (IANA registry, plus AWS SigV4 and NTLM): lower-case → spelling. */
const KNOWN_SCHEMES = new Map(
  [
    "Digest",
    "DPoP",
    "GNAP",
    "HOBA",
    "Mutual",
    "Negotiate",
    "NTLM",
    "OAuth",
    "PrivateToken",
    "SCRAM-SHA-1",
    "SCRAM-SHA-256",
    "vapid",
    "AWS4-HMAC-SHA256",
    "Token",
  ].map((name) => [name.toLowerCase(), name]),
);

/** Constant-time equality of two strings (compares their SHA-256 digests). */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([sha256(a), sha256(b)]);
  return crypto.subtle.timingSafeEqual(da, db);
}

function decodeBasic(encoded: string): { user: string; password: string } | null {
  let text: string;
  try {
    const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
  const colon = text.indexOf(":");
  if (colon < 0) return null;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Which schemes are on: Basic with WES_USERS, Bearer with WES_TOKENS and/or OIDC. */
export interface AuthModes {
  basic: boolean;
  staticTokens: boolean;
  oidc: OidcSettings | null;
}

/** The enabled schemes of a deployment. */
export function authModes(settings: AuthSettings, oidc: OidcSettings | null): AuthModes {
  return { basic: settings.passwords.size > 0, staticTokens: settings.tokenHashes.size > 0, oidc };
}

/** Whether any way to sign in is configured (else run endpoints fail closed with 503). */
export function anyUsers(modes: AuthModes): boolean {
  return modes.basic || modes.staticTokens || modes.oidc !== null;
}

function refuse(scheme: Refusal["scheme"], reason: string, guess: boolean, bearerError?: Refusal["bearerError"]): Refusal {
  return { kind: "invalid", reason, scheme, guess, ...(bearerError ? { bearerError } : {}) };
}

function schemeList(modes: AuthModes): string {
  const bearer = modes.staticTokens || modes.oidc !== null;
  if (modes.basic && bearer) return "Basic or Bearer";
  if (modes.basic) return "Basic";
  if (bearer) return "Bearer";
  return "Basic or Bearer";
}

/** Reads an Authorization header value into an Authentication result. */
export async function authenticate(header: string | undefined, settings: AuthSettings, oidc: OidcSettings | null): Promise<Authentication> {
  if (header === undefined || header.trim() === "") return { kind: "anonymous" };
  const modes = authModes(settings, oidc);
  const match = /^(\S+)\s+(\S+)\s*$/.exec(header.trim());
  if (!match) {
    const bearerish = /^bearer\b/i.test(header.trim());
    return refuse(bearerish ? "bearer" : "other", "The Authorization header is malformed.", false, bearerish ? "invalid_request" : undefined);
  }
  const scheme = match[1]!.toLowerCase();
  const value = match[2]!;
  if (scheme === "basic") {
    if (!modes.basic && (modes.staticTokens || modes.oidc)) return refuse("basic", "HTTP Basic is not enabled on this service; send a bearer token.", false);
    const creds = decodeBasic(value);
    if (!creds) return refuse("basic", "The Basic credentials are not valid base64 'user:password'.", false);
    const expected = settings.passwordDigests.get(creds.user);
    // Constant time: the digests are compared, never the texts; an unknown user is compared with a
    // dummy digest, so both paths cost one SHA-256 and one comparison.
    const ok = crypto.subtle.timingSafeEqual(await sha256(creds.password), expected ?? settings.unknownUserDigest);
    if (!ok || expected === undefined) return refuse("basic", "Wrong user name or password.", true);
    const admin = settings.admins.has(creds.user);
    return { kind: "authenticated", principal: { user: creds.user, admin, scheme: "basic", scopes: impliedScopes(admin) } };
  }
  if (scheme === "bearer") {
    // JWT-shaped tokens go to the IdP when OIDC is on; static tokens never look like a JWT.
    if (oidc && looksLikeJwt(value)) return await verifyOidcToken(value, oidc);
    if (!modes.staticTokens && !modes.oidc && modes.basic)
      return refuse("bearer", "Bearer tokens are not enabled on this service; use HTTP Basic.", false, "invalid_request");
    const user = settings.tokenHashes.get(await sha256Hex(value));
    if (user === undefined) return refuse("bearer", "The bearer token is not valid.", true, "invalid_token");
    const admin = settings.admins.has(user);
    return { kind: "authenticated", principal: { user, admin, scheme: "bearer", scopes: impliedScopes(admin) } };
  }
  // The "scheme" may be the credential itself (a token pasted without one): only a registered
  // scheme name is ever repeated, spelled from the list, never from the header.
  const known = KNOWN_SCHEMES.get(scheme);
  return refuse("other", `Unsupported authorization scheme${known ? ` '${known}'` : ""}; use ${schemeList(modes)}.`, false);
}
