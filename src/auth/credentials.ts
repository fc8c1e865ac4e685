/**
 * Checks HTTP basic credentials and bearer tokens against the configured users
 * (WES_USERS, WES_TOKENS). Secrets are compared as SHA-256 digests with a constant-time
 * comparison, and an unknown user costs the same work as a known one.
 */
import { sha256Hex, type AuthSettings } from "../config";
import type { Authentication } from "./principal";

const encoder = new TextEncoder();

async function digest(text: string): Promise<ArrayBuffer> {
  return await crypto.subtle.digest("SHA-256", encoder.encode(text));
}

/** Constant-time equality of two strings (compares their SHA-256 digests). */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([digest(a), digest(b)]);
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

/** Reads an Authorization header value into an Authentication result. */
export async function authenticate(header: string | undefined, settings: AuthSettings): Promise<Authentication> {
  if (header === undefined || header.trim() === "") return { kind: "anonymous" };
  const match = /^(\S+)\s+(\S+)\s*$/.exec(header.trim());
  if (!match) return { kind: "invalid", reason: "The Authorization header is malformed." };
  const scheme = match[1]!.toLowerCase();
  const value = match[2]!;
  if (scheme === "basic") {
    const creds = decodeBasic(value);
    if (!creds) return { kind: "invalid", reason: "The Basic credentials are not valid base64 'user:password'." };
    const expected = settings.passwords.get(creds.user);
    // Compare against a dummy when the user is unknown so both paths cost the same.
    const ok = await secretsEqual(creds.password, expected ?? "\u0000unknown-user");
    if (!ok || expected === undefined) return { kind: "invalid", reason: "Wrong user name or password." };
    return { kind: "authenticated", principal: { user: creds.user, admin: settings.admins.has(creds.user), scheme: "basic" } };
  }
  if (scheme === "bearer") {
    const user = settings.tokenHashes.get(await sha256Hex(value));
    if (user === undefined) return { kind: "invalid", reason: "The bearer token is not valid." };
    return { kind: "authenticated", principal: { user, admin: settings.admins.has(user), scheme: "bearer" } };
  }
  return { kind: "invalid", reason: `Unsupported authorization scheme '${match[1]}'; use Basic or Bearer.` };
}
