/**
 * Authentication for the WES routes. Every request is authenticated when it carries credentials
 * (wrong ones are a 401 everywhere, service-info included); run endpoints additionally require a
 * user, and refuse to work at all (503, fail closed) when no user is configured.
 */
import { createMiddleware } from "hono/factory";
import { authSettings } from "../config";
import { WesError } from "../errors";
import type { AppEnv } from "../app-env";
import { authenticate } from "./credentials";
import type { Principal } from "./principal";

/** The `WWW-Authenticate` challenge: both schemes we accept. */
export const CHALLENGE = 'Basic realm="GA4GH WES", charset="UTF-8", Bearer realm="GA4GH WES"';

function unauthorized(msg: string): WesError {
  return new WesError(401, msg, { "WWW-Authenticate": CHALLENGE });
}

/** Reads credentials if present; sets `principal` (null when anonymous). */
export const identify = createMiddleware<AppEnv>(async (c, next) => {
  const settings = await authSettings(c.env);
  const result = await authenticate(c.req.header("Authorization"), settings);
  if (result.kind === "invalid") throw unauthorized(result.reason);
  c.set("principal", result.kind === "authenticated" ? result.principal : null);
  await next();
});

/** Requires an authenticated user (run endpoints). */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const settings = await authSettings(c.env);
  if (settings.passwords.size === 0 && settings.tokenHashes.size === 0) {
    throw new WesError(
      503,
      "No users are configured, so run endpoints are disabled. Set WES_USERS (user:password pairs) and/or WES_TOKENS (user:token pairs) with `wrangler secret put`; see docs/configuration.md.",
    );
  }
  if (!c.get("principal")) throw unauthorized("Authentication required: send HTTP Basic credentials or a bearer token.");
  await next();
});

/** The authenticated principal of a run endpoint (after requireUser). */
export function principalOf(c: { get: (key: "principal") => Principal | null }): Principal {
  const principal = c.get("principal");
  if (!principal) throw unauthorized("Authentication required: send HTTP Basic credentials or a bearer token.");
  return principal;
}
