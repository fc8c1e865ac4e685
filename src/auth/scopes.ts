/**
 * The GA4GH-style scopes of this service. A token that carries scopes (an OIDC access token with
 * a scope claim) may do only what its scopes allow; HTTP Basic users, static bearer tokens and
 * OIDC tokens without any scope claim have every non-admin scope (admins also `wes:admin`).
 * Scopes narrow what an account may do; they never make an account an admin (that is a role the
 * operator grants: WES_ADMINS or the OIDC admin claim).
 */

/** Every scope the service knows, in documentation order. */
export const WES_SCOPES = ["wes:read", "wes:submit", "wes:cancel", "wes:admin"] as const;

/** One scope. */
export type WesScope = (typeof WES_SCOPES)[number];

/** What each scope allows (for the auth-instructions page and docs). */
export const SCOPE_DESCRIPTIONS: Record<WesScope, string> = {
  "wes:read": "list and read runs and tasks; service-info state counts",
  "wes:submit": "submit runs (POST /runs)",
  "wes:cancel": "cancel runs (POST /runs/{id}/cancel)",
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

/** Scope values of one claim: a space-separated string (RFC 8693 `scope`) or an array of strings (`scp`, `permissions`). */
export function scopeValues(claim: unknown): string[] | undefined {
  if (typeof claim === "string") return claim.split(" ").filter((s) => s !== "");
  if (Array.isArray(claim)) return claim.filter((s): s is string => typeof s === "string");
  return undefined;
}

/** The scopes a token carries, read from the configured claim and from `scp` and `permissions`. */
export interface TokenScopes {
  /** Whether the token has any scope claim at all (then scopes are enforced). */
  carried: boolean;
  /** The service's scopes among them (others, such as `openid`, are ignored). */
  scopes: Set<WesScope>;
}

/** Reads the scopes of a verified claims set. */
export function tokenScopes(claims: Record<string, unknown>, scopeClaim: string): TokenScopes {
  let carried = false;
  const scopes = new Set<WesScope>();
  for (const name of new Set([scopeClaim, "scp", "permissions"])) {
    const values = Object.hasOwn(claims, name) ? scopeValues(claims[name]) : undefined;
    if (values === undefined) continue;
    carried = true;
    for (const value of values) if (isWesScope(value)) scopes.add(value);
  }
  return { carried, scopes };
}
