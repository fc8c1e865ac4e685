/**
 * Pure helpers around OIDC tokens: recognising a JWT, and reading the user, the admin role and
 * the scopes from a verified claims set. No I/O, so they are unit-tested directly.
 */
import { SUBJECT_NAME } from "../wes/data-access-config";
import { impliedScopes, tokenScopes, type WesScope } from "./scopes";

/** Longest JWT accepted (real access tokens are 1–4 KB; this bounds the work per request). */
export const MAX_JWT_LENGTH = 8192;

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Whether a bearer token looks like a compact JWS: three base64url segments. The signature may be
 * empty so that an `alg: none` token is recognised, and refused as such, rather than looked up as
 * a static token.
 */
export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token);
}

/**
 * A claim by name: the top-level key as written (Auth0's namespaced claims are URLs that contain
 * dots), else a dotted path into nested objects (Keycloak's `realm_access.roles`).
 */
export function claimValue(claims: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  if (!name.includes(".")) return undefined;
  let value: unknown = claims;
  for (const part of name.split(".")) {
    if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The run owner named by the user claim, or why the token cannot name one. */
export function userFromClaims(claims: Record<string, unknown>, claim: string): { user: string } | { problem: string } {
  const value = claimValue(claims, claim);
  if (value === undefined || value === null || value === "") {
    return { problem: `The token has no '${claim}' claim (WES_OIDC_USER_CLAIM), so the user cannot be identified.` };
  }
  // Run owners are compared, stored and logged as text: no control characters or white space.
  if (typeof value !== "string" || value.length > 256 || /[\s\p{Cc}]/u.test(value)) {
    return { problem: `The token's '${claim}' claim (WES_OIDC_USER_CLAIM) must be a string of at most 256 characters without spaces.` };
  }
  return { user: value };
}

/** Whether the admin claim holds the admin value: equal to a string claim, or contained in an array claim. */
export function hasAdminValue(claims: Record<string, unknown>, claim: string, value: string): boolean {
  const found = claimValue(claims, claim);
  if (typeof found === "string") return found === value;
  return Array.isArray(found) && found.some((item) => item === value);
}

/** Most groups taken from one token (an IdP that lists thousands is misconfigured for this use). */
export const MAX_TOKEN_GROUPS = 200;

/**
 * The caller's groups from a verified token: a string claim is one group, a list claim its string
 * items. Only names a data-access rule could match (WES_ALLOWED_INPUT_PREFIXES `@group`: 1-64
 * letters, digits, `. _ @ + -`) are kept; Keycloak's full group paths lose their leading `/`.
 * Anything else in the claim is ignored rather than refused: groups only ever widen what a user
 * may read, so a group we cannot name simply grants nothing.
 */
export function groupsFromClaims(claims: Record<string, unknown>, claim: string): string[] {
  const value = claimValue(claims, claim);
  const items = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
  const groups = new Set<string>();
  for (const item of items) {
    if (typeof item !== "string") continue;
    const name = item.startsWith("/") && !item.slice(1).includes("/") ? item.slice(1) : item;
    if (SUBJECT_NAME.test(name)) groups.add(name);
    if (groups.size >= MAX_TOKEN_GROUPS) break;
  }
  return [...groups];
}

/** Admin flag and effective scopes of a verified token. */
export interface TokenRights {
  admin: boolean;
  scopes: ReadonlySet<WesScope>;
  /** Why the token has no scopes although it carries a scope claim (a claim of the wrong type): the 403 message. */
  scopeProblem?: string;
}

/**
 * Combines role and scopes. Unscoped tokens get every non-admin scope; a scoped token gets its
 * scopes; a token whose scope claim has the wrong type gets none (fail closed). Admin needs the admin role and, on a scoped token, `wes:admin` as well; `wes:admin`
 * without the role is dropped, so a client that merely asked for the scope gains nothing.
 */
export function tokenRights(claims: Record<string, unknown>, scopeClaim: string, adminRole: boolean): TokenRights {
  const carried = tokenScopes(claims, scopeClaim);
  if (carried.malformed) {
    const { claim, kind } = carried.malformed;
    return {
      admin: false,
      scopes: new Set(),
      scopeProblem: `The token's '${claim}' claim must be a space-separated string or a list of strings, but it is ${kind}; this token may do nothing that needs a scope.`,
    };
  }
  if (!carried.carried) return { admin: adminRole, scopes: impliedScopes(adminRole) };
  if (!adminRole) carried.scopes.delete("wes:admin");
  return { admin: carried.scopes.has("wes:admin"), scopes: carried.scopes };
}
