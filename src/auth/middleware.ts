/**
 * Authentication for the WES routes and the admin endpoints. Every request is authenticated when
 * it carries credentials (wrong ones are a 401 everywhere, service-info included); run endpoints
 * additionally require a user, and refuse to work at all (503, fail closed) when no way to sign
 * in is configured. Scopes are checked per route from the table in src/routes.ts.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { authSettings } from "../config";
import { WesError } from "../errors";
import { log } from "../log";
import { challenge, REALM } from "./challenge";
import { anyUsers, authenticate, authModes, type AuthModes } from "./credentials";
import { blockedUntil, clientKey, failureLimit, recordFailure, tooManyFailures } from "./guard";
import { oidcSettings } from "./oidc-config";
import type { Principal } from "./principal";
import type { WesScope } from "./scopes";

/** The challenge when the enabled schemes are unknown (an invariant broken): both schemes. */
const CHALLENGE = `Basic realm="${REALM}", charset="UTF-8", Bearer realm="${REALM}"`;

async function modesOf(env: Env): Promise<AuthModes> {
  return authModes(await authSettings(env), oidcSettings(env));
}

function loginHint(modes: AuthModes): string {
  const ways = [modes.basic ? "HTTP Basic credentials" : "", modes.staticTokens || modes.oidc ? "a bearer token" : ""].filter((w) => w !== "");
  return `Authentication required: send ${ways.length > 0 ? ways.join(" or ") : "HTTP Basic credentials or a bearer token"}.`;
}

/**
 * Reads credentials if present; sets `principal` (null when anonymous). A client that failed too
 * often gets 429 before its credentials are even looked at (src/auth/guard.ts). Runs once per
 * request, however many routes mount it.
 */
export const identify = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("identified")) return await next();
  const header = c.req.header("Authorization");
  const settings = await authSettings(c.env);
  const oidc = oidcSettings(c.env);
  const limit = failureLimit(c.env);
  const client = clientKey(c.req.raw.headers);
  if (limit > 0 && header !== undefined && header.trim() !== "") {
    const until = blockedUntil(client);
    if (until !== undefined) throw tooManyFailures(until);
  }
  const result = await authenticate(header, settings, oidc);
  if (result.kind === "unavailable") {
    log("error", "auth.idp_unavailable", { requestId: c.get("requestId"), reason: result.reason });
    throw new WesError(503, `${result.reason} Please try again shortly.`, { "Retry-After": "30" });
  }
  if (result.kind === "invalid") {
    // The reason never contains the credential; the client address is logged to spot guessing.
    log("info", "auth.failed", { requestId: c.get("requestId"), client, scheme: result.scheme, reason: result.reason, guess: result.guess });
    if (result.guess && limit > 0) await recordFailure(c.env, client, limit, c.get("requestId"));
    const bearer = result.scheme === "bearer" && result.bearerError ? { error: result.bearerError, description: result.reason } : undefined;
    throw new WesError(401, result.reason, { "WWW-Authenticate": challenge(authModes(settings, oidc), bearer) });
  }
  c.set("principal", result.kind === "authenticated" ? result.principal : null);
  c.set("identified", true);
  await next();
});

/** Requires an authenticated user (run endpoints). */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const modes = await modesOf(c.env);
  if (!anyUsers(modes)) {
    throw new WesError(
      503,
      "No users are configured, so run endpoints are disabled. Set WES_USERS (user:password pairs) and/or WES_TOKENS (user:token pairs) with `wrangler secret put`, or WES_OIDC_ISSUER and WES_OIDC_AUDIENCE for OpenID Connect; see docs/security.md.",
    );
  }
  if (!c.get("principal")) throw new WesError(401, loginHint(modes), { "WWW-Authenticate": challenge(modes) });
  await next();
});

/** The 403 for a principal that lacks `scope`. */
export function insufficientScope(principal: Principal, scope: WesScope, modes: AuthModes): WesError {
  if (principal.scopeProblem) {
    const msg = principal.scopeProblem;
    return new WesError(403, msg, { "WWW-Authenticate": challenge(modes, { error: "insufficient_scope", description: msg, scope }) });
  }
  if (principal.scheme !== "oidc") {
    // Basic and static-token users have every scope but wes:admin, which comes with WES_ADMINS.
    return new WesError(403, `This request needs the scope '${scope}', which only admins have (WES_ADMINS, or the OpenID Connect admin claim).`);
  }
  const msg =
    scope === "wes:admin"
      ? `This request needs the scope 'wes:admin' and an admin account (the ${modes.oidc?.admin ? `'${modes.oidc.admin.claim}' claim containing '${modes.oidc.admin.value}'` : "OpenID Connect admin claim"}); this token has not both.`
      : `This request needs the scope '${scope}', which this token does not carry.`;
  return new WesError(403, msg, { "WWW-Authenticate": challenge(modes, { error: "insufficient_scope", description: msg, scope }) });
}

/**
 * Checks the caller's scopes against `scopeFor` (the route table). Anonymous callers pass: the
 * route decides whether it needs a user (requireUser) and answers 401/503 itself.
 */
export function requireScopes(scopeFor: (c: Context<AppEnv>) => WesScope | null | undefined) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get("principal");
    const scope = principal ? scopeFor(c) : undefined;
    if (principal && scope && !principal.scopes.has(scope)) throw insufficientScope(principal, scope, await modesOf(c.env));
    await next();
  });
}

/** The authenticated principal of a run endpoint (after requireUser). */
export function principalOf(c: { get: (key: "principal") => Principal | null }): Principal {
  const principal = c.get("principal");
  if (!principal) throw new WesError(401, "Authentication required: send HTTP Basic credentials or a bearer token.", { "WWW-Authenticate": CHALLENGE });
  return principal;
}
