/** Small helpers the WES route files share. */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { principalOf } from "../auth/middleware";
import { serviceSettings } from "../config";
import type { Scope } from "../db/runs";

/** Base path of the WES API. */
export const WES_BASE = "/ga4gh/wes/v1";

/** The caller's visibility: admins see every run, users their own. */
export function scopeOf(c: Context<AppEnv>): Scope {
  const principal = principalOf(c);
  return principal.admin ? { all: true } : { user: principal.user };
}

/**
 * Base of every absolute URL the API builds (`task_logs_url`, `auth_instructions_url`, and any
 * log or download URL to come): WES_PUBLIC_BASE_URL when set, else the origin the client reached
 * (which a proxy or a forged Host header can change). No trailing slash.
 */
export function publicBaseUrl(c: Context<AppEnv>): string {
  return serviceSettings(c.env).publicBaseUrl ?? new URL(c.req.url).origin;
}

/** Absolute URL of the WES API root (for `task_logs_url`). */
export function apiRoot(c: Context<AppEnv>): string {
  return `${publicBaseUrl(c)}${WES_BASE}`;
}

/**
 * Page-token scope of the caller's run listing (a token from another user's listing is foreign).
 * The kind comes first, so no user name — not even `*` — can spell the admin listing's scope.
 */
export function runListScope(scope: Scope): string {
  return "all" in scope ? "runs/all" : `runs/user/${scope.user}`;
}

/**
 * Scopes of tokens issued before runListScope took its kind prefix (`runs:*`, `runs:<user>`),
 * still accepted for the listing they were issued for — except `runs:*` for a user named `*`,
 * the one that was ambiguous. (Tokens are short-lived; this can go after a release.)
 */
export function legacyRunListScopes(scope: Scope): string[] {
  if ("all" in scope) return ["runs:*"];
  return scope.user === "*" ? [] : [`runs:${scope.user}`];
}
