/**
 * The GA4GH-style scopes of this service. A token that carries scopes (an OIDC access token with
 * a scope claim) may do only what its scopes allow; HTTP Basic users, static bearer tokens and
 * OIDC tokens without any scope claim have every non-admin scope (admins also `wes:admin`).
 * Scopes narrow what an account may do; they never make an account an admin (that is a role the
 * operator grants: WES_ADMINS or the OIDC admin claim).
 */

/** Every scope the service knows, in documentation order. */
export const WES_SCOPES = ["wes:read", "wes:submit", "wes:cancel", "wes:delete", "wes:admin"] as const;

/** One scope. */
export type WesScope = (typeof WES_SCOPES)[number];

/** What each scope allows (for the auth-instructions page and docs). */
export const SCOPE_DESCRIPTIONS: Record<WesScope, string> = {
  "wes:read": "list and read runs and tasks; service-info state counts",
  "wes:submit": "submit runs (POST /runs)",
  "wes:cancel": "cancel runs (POST /runs/{id}/cancel)",
  "wes:delete": "delete finished runs and their stored data (DELETE /runs/{id})",
  "wes:admin": "admin metrics and every user's runs (needs an admin account too)",
};

const KNOWN = new Set<string>(WES_SCOPES);

/** True when `value` is one of the service's scopes. */
export function isWesScope(value: string): value is WesScope {
  return KNOWN.has(value);
}

/** The scopes of a principal whose credentials carry none: all non-admin ones, plus admin for admins. */
export function impliedScopes(admin: boolean): ReadonlySet<WesScope> {
  return new Set<WesScope>(admin ? WES_SCOPES : WES_SCOPES.filter((s) => s !== "wes:admin"));
}

/**
 * Scope values of one claim: a space-separated string (RFC 8693 `scope`) or an array of strings
 * (`scp`, `permissions`); null for any other value (a malformed claim, which is never read as
 * "no claim": that would grant every scope).
 */
export function scopeValues(claim: unknown): string[] | null {
  if (typeof claim === "string") return claim.split(" ").filter((s) => s !== "");
  if (Array.isArray(claim) && claim.every((s) => typeof s === "string")) return claim as string[];
  return null;
}

/** What a claim value is, in words (for messages). */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list with items that are not strings";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The scopes a token carries, read from the configured claim and from `scp` and `permissions`. */
export interface TokenScopes {
  /** Whether the token has any scope claim at all (then scopes are enforced). */
  carried: boolean;
  /** The service's scopes among them (others, such as `openid`, are ignored). */
  scopes: Set<WesScope>;
  /** A scope claim of the wrong type: the token then has no scopes at all. */
  malformed?: { claim: string; kind: string };
}

/** Reads the scopes of a verified claims set. */
export function tokenScopes(claims: Record<string, unknown>, scopeClaim: string): TokenScopes {
  let carried = false;
  const scopes = new Set<WesScope>();
  for (const name of new Set([scopeClaim, "scp", "permissions"])) {
    if (!Object.hasOwn(claims, name)) continue;
    carried = true;
    const values = scopeValues(claims[name]);
    if (values === null) return { carried, scopes: new Set(), malformed: { claim: name, kind: kindOf(claims[name]) } };
    for (const value of values) if (isWesScope(value)) scopes.add(value);
  }
  return { carried, scopes };
}
