/**
 * The identity provider's signing keys, cached per isolate. The key set is fetched on first use,
 * refreshed when older than KEYS_MAX_AGE_MS or when a token names an unknown `kid`, but never more
 * often than once per `refreshSeconds` (WES_OIDC_JWKS_REFRESH_SECONDS) — so a flood of tokens with
 * made-up key ids cannot make this service hammer the IdP. A failed refresh keeps the old keys.
 *
 * jose's createRemoteJWKSet does most of this, but re-fetches on every request while the IdP is
 * down and drops the keys it has when a refresh fails; this small wrapper around
 * createLocalJWKSet (jose still parses and selects the keys) avoids both.
 */
import { createLocalJWKSet, errors, type FlattenedJWSInput, type JWSHeaderParameters, type JSONWebKeySet } from "jose";
import { log } from "../log";
import { secureUrl, type OidcSettings } from "./oidc-config";

/** Keys older than this are refreshed (rotation at the IdP is then picked up without a new `kid`). */
const KEYS_MAX_AGE_MS = 10 * 60_000;
/** A discovered jwks_uri is re-discovered after this long. */
const DISCOVERY_MAX_AGE_MS = 60 * 60_000;
const FETCH_TIMEOUT_MS = 5000;
/** Largest key set or discovery document read (real ones are a few KB). */
const MAX_DOCUMENT_BYTES = 256 * 1024;

/** The IdP's keys or discovery document could not be fetched; verification is impossible for now (503). */
export class KeysUnavailable extends Error {
  override name = "KeysUnavailable";
}

type LocalKeys = ReturnType<typeof createLocalJWKSet>;

interface Cached<T> {
  value?: T;
  loadedAt: number;
  attemptedAt: number;
  /** When the fetch in progress started (another request of this isolate is fetching). */
  pendingSince?: number;
}

const keySets = new Map<string, Cached<LocalKeys>>();
const discovered = new Map<string, Cached<string>>();

async function fetchJson(url: string, what: string): Promise<unknown> {
  let res: Response;
  try {
    // redirect: manual — a key set must come from the configured place, not wherever it points.
    res = await fetch(url, { headers: { Accept: "application/json" }, redirect: "manual", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (error) {
    throw new KeysUnavailable(`The ${what} could not be fetched (${error instanceof Error ? error.name : "error"}).`);
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new KeysUnavailable(`The ${what} answered HTTP ${res.status}.`);
  }
  const text = await res.text();
  if (text.length > MAX_DOCUMENT_BYTES) throw new KeysUnavailable(`The ${what} is larger than ${MAX_DOCUMENT_BYTES} bytes.`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new KeysUnavailable(`The ${what} is not JSON.`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Loads (or reuses) a cached value. `force` asks for a fresh copy; it is honoured only when the
 * last attempt is older than `minIntervalMs`. Returns the value and whether it was just fetched.
 */
async function load<T>(
  cache: Map<string, Cached<T>>,
  key: string,
  maxAgeMs: number,
  minIntervalMs: number,
  force: boolean,
  fetcher: () => Promise<T>,
): Promise<{ value: T; fresh: boolean }> {
  const entry = cache.get(key) ?? { loadedAt: 0, attemptedAt: 0 };
  cache.set(key, entry);
  let now = Date.now();
  if (entry.value !== undefined && now - entry.loadedAt < maxAgeMs && !force) return { value: entry.value, fresh: false };
  // A fetch started by a request that was then cancelled never finishes: give up on it after the timeout.
  const pending = () => entry.pendingSince !== undefined && Date.now() - entry.pendingSince < FETCH_TIMEOUT_MS + 1000;
  if (entry.value === undefined && pending()) {
    // Cold isolate, another request is fetching: wait for its result rather than fetch again.
    // (Polling module state, not awaiting that request's promise: workerd ties I/O to its request.)
    while (pending() && entry.value === undefined) await sleep(20);
    if (entry.value !== undefined) return { value: entry.value, fresh: false };
    now = Date.now();
  }
  if (pending() || now - entry.attemptedAt < minIntervalMs) {
    if (entry.value !== undefined) return { value: entry.value, fresh: false };
    throw new KeysUnavailable("The identity provider could not be reached recently; try again shortly.");
  }
  entry.attemptedAt = now;
  entry.pendingSince = now;
  try {
    entry.value = await fetcher();
    entry.loadedAt = Date.now();
    return { value: entry.value, fresh: true };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log("warn", "oidc.fetch_failed", { what: key, reason: reason.slice(0, 300), keptOldCopy: entry.value !== undefined });
    if (entry.value !== undefined) return { value: entry.value, fresh: false };
    throw error instanceof KeysUnavailable ? error : new KeysUnavailable(reason);
  } finally {
    entry.pendingSince = undefined;
  }
}

/** The key set URL: configured, or the discovery document's `jwks_uri` (OpenID Connect Discovery 1.0 §4). */
async function jwksUrl(settings: OidcSettings): Promise<string> {
  if (settings.jwksUrl) return settings.jwksUrl;
  const issuer = settings.issuer;
  const result = await load(discovered, issuer, DISCOVERY_MAX_AGE_MS, settings.refreshSeconds * 1000, false, async () => {
    const doc = await fetchJson(`${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`, "OpenID discovery document");
    const { issuer: named, jwks_uri: uri } = (doc ?? {}) as { issuer?: unknown; jwks_uri?: unknown };
    // Discovery §4.3: the document must name exactly the issuer it was fetched for.
    if (named !== issuer) throw new KeysUnavailable("The discovery document names a different issuer than WES_OIDC_ISSUER.");
    if (typeof uri !== "string" || !secureUrl(uri)) throw new KeysUnavailable("The discovery document has no usable https jwks_uri.");
    return uri;
  });
  return result.value;
}

async function keysFor(url: string, settings: OidcSettings, force: boolean): Promise<{ value: LocalKeys; fresh: boolean }> {
  return await load(keySets, url, KEYS_MAX_AGE_MS, settings.refreshSeconds * 1000, force, async () => {
    const json = await fetchJson(url, "JSON Web Key Set");
    try {
      return createLocalJWKSet(json as JSONWebKeySet);
    } catch {
      throw new KeysUnavailable("The JSON Web Key Set is not valid.");
    }
  });
}

/** A jose key resolver for `jwtVerify`: cached keys, one rate-limited refresh on an unknown `kid`. */
export function keyResolver(settings: OidcSettings) {
  return async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    const url = await jwksUrl(settings);
    const current = await keysFor(url, settings, false);
    try {
      return await current.value(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || current.fresh) throw error;
      const refreshed = await keysFor(url, settings, true);
      if (!refreshed.fresh) throw error;
      return await refreshed.value(header, token);
    }
  };
}
