/**
 * Opaque, tamper-evident keyset page tokens for GET /runs and GET /runs/{id}/tasks.
 *
 * A token is `base64url(payload).base64url(HMAC-SHA256(key, payload))`: the payload holds the last
 * item's sort key, the listing it belongs to (`scope`) and that listing's filters (`f`), so a forged, edited or foreign token
 * (another user's listing, another run's tasks) is rejected with a 400. Keyset paging makes every
 * page cost the same however deep it is. The HMAC key is generated once per deployment and kept
 * in D1 (`service_keys`), so tokens survive isolate restarts.
 */
import { badRequest } from "../errors";
import { getOrCreateServiceKey } from "../db/service-keys";

/** Position after which the next page starts. */
export interface PageCursor {
  /** Primary sort value (creation time for runs, HealthOmics order for tasks). */
  k: number;
  /** Tie-breaker (run id or task id). */
  i: string;
  /** The listing's filters in canonical form (run-filters.ts), when it has any. */
  f?: string;
}

const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** The imported key, once per isolate (the key itself never changes once created). */
let key: Promise<CryptoKey> | undefined;

function hmacKey(db: D1Database): Promise<CryptoKey> {
  if (!key) {
    const imported = getOrCreateServiceKey(db, "page_token_hmac").then(
      async (secret) => await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]),
    );
    key = imported;
    imported.catch(() => {
      if (key === imported) key = undefined;
    });
  }
  return key;
}

/** Creates the token for the page after `cursor` in listing `scope`. */
export async function encodePageToken(db: D1Database, scope: string, cursor: PageCursor): Promise<string> {
  const payload = toBase64Url(encoder.encode(JSON.stringify({ s: scope, k: cursor.k, i: cursor.i, ...(cursor.f !== undefined ? { f: cursor.f } : {}) })));
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(db), encoder.encode(payload)));
  return `${payload}.${toBase64Url(signature)}`;
}

/** Verifies a token for listing `scope` (or any of several spellings of it); any problem is a 400 that says to start again without it. */
export async function decodePageToken(db: D1Database, scope: string | readonly string[], token: string): Promise<PageCursor> {
  const scopes: readonly string[] = typeof scope === "string" ? [scope] : scope;
  const invalid = badRequest(
    "page_token is not valid for this listing; use the next_page_token of the previous page, or omit it to start from the first page.",
  );
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined || token.length > 1024) throw invalid;
  const signatureBytes = fromBase64Url(signature);
  if (!signatureBytes) throw invalid;
  const ok = await crypto.subtle.verify("HMAC", await hmacKey(db), signatureBytes, encoder.encode(payload));
  if (!ok) throw invalid;
  const payloadBytes = fromBase64Url(payload);
  if (!payloadBytes) throw invalid;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(payloadBytes));
  } catch {
    throw invalid;
  }
  const value = parsed as { s?: unknown; k?: unknown; i?: unknown; f?: unknown };
  if (typeof value.s !== "string" || !scopes.includes(value.s) || typeof value.k !== "number" || typeof value.i !== "string") throw invalid;
  if (value.f !== undefined && typeof value.f !== "string") throw invalid;
  return { k: value.k, i: value.i, ...(value.f !== undefined ? { f: value.f } : {}) };
}

/** Default and maximum page sizes (documented in docs/usage.md). */
export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 500;

/** Parses `page_size`: absent → default; 0, negative or not an integer → 400; above the maximum → capped. */
export function parsePageSize(value: string | undefined): number {
  if (value === undefined) return PAGE_SIZE_DEFAULT;
  if (!/^\s*[+-]?[0-9]+\s*$/.test(value)) throw badRequest(`page_size must be a positive integer, got '${value.slice(0, 40)}'.`);
  const size = Number(value);
  if (size <= 0) throw badRequest(`page_size must be a positive integer, got ${value.trim()}.`);
  return Math.min(size, PAGE_SIZE_MAX);
}
