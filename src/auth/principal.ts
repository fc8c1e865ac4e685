/** Who is calling. Every run belongs to the `user` that created it; admins see every run. */
import type { WesScope } from "./scopes";

/** An authenticated caller. */
export interface Principal {
  user: string;
  /** Sees, lists and may cancel every run (WES_ADMINS, or the OIDC admin claim plus `wes:admin` when scoped). */
  admin: boolean;
  /** `bearer` is a static token from WES_TOKENS; `oidc` a verified OpenID Connect JWT. */
  scheme: "basic" | "bearer" | "oidc";
  /** What the caller may do (src/auth/scopes.ts); checked per route (src/routes.ts). */
  scopes: ReadonlySet<WesScope>;
  /** Groups the identity provider put in an OIDC token (WES_OIDC_GROUPS_CLAIM), used by `@group` data-access rules besides WES_GROUPS. */
  groups?: readonly string[];
  /** Why an OIDC token has no scopes (a scope claim of the wrong type): the 403 every scoped route answers. */
  scopeProblem?: string;
}

/** Why credentials were refused, for the 401 and its `WWW-Authenticate` challenge. */
export interface Refusal {
  kind: "invalid";
  reason: string;
  /** The scheme the client tried; a Bearer refusal carries an RFC 6750 error code. */
  scheme: "basic" | "bearer" | "other";
  /** RFC 6750 error code for Bearer refusals. */
  bearerError?: "invalid_request" | "invalid_token";
  /**
   * Whether this refusal counts towards the failed-authentication limit: only a credential that
   * could be a guess (a wrong password, an unknown token, a JWT whose signature does not verify).
   * Malformed headers, disabled schemes and genuine-but-expired tokens are not guesses.
   */
  guess: boolean;
}

/** Result of reading the Authorization header. */
export type Authentication =
  | { kind: "anonymous" }
  | { kind: "authenticated"; principal: Principal }
  | Refusal
  /** The credentials could not be checked right now (the identity provider is unreachable): 503. */
  | { kind: "unavailable"; reason: string };
