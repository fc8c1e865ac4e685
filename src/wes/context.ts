/** Small helpers the WES route files share. */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { principalOf } from "../auth/middleware";
import type { Scope } from "../db/runs";

/** Base path of the WES API. */
export const WES_BASE = "/ga4gh/wes/v1";

/** The caller's visibility: admins see every run, users their own. */
export function scopeOf(c: Context<AppEnv>): Scope {
  const principal = principalOf(c);
  return principal.admin ? { all: true } : { user: principal.user };
}

/** Absolute URL of the API root as the client reached it (for `task_logs_url`). */
export function apiRoot(c: Context<AppEnv>): string {
  return `${new URL(c.req.url).origin}${WES_BASE}`;
}

/** Page-token scope of the caller's run listing (a token from another user's listing is foreign). */
export function runListScope(scope: Scope): string {
  return "all" in scope ? "runs:*" : `runs:${scope.user}`;
}
