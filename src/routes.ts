/**
 * The WES routes, the methods each allows and the scope each method needs. The table answers
 * "wrong method on a known route" with 405 and an `Allow` header, which Hono does not do by
 * itself, and is the one place scopes are assigned: `registerWesRoutes` refuses to start when a
 * registered route has no entry, so a new route cannot forget its scope.
 */
import type { Context, Hono } from "hono";
import type { AppEnv } from "./app-env";
import { requireScopes } from "./auth/middleware";
import type { WesScope } from "./auth/scopes";
import { registerRunsCancel } from "./wes/runs-cancel";
import { registerRunsCreate } from "./wes/runs-create";
import { registerRunsDelete } from "./wes/runs-delete";
import { registerRunsGet } from "./wes/runs-get";
import { registerRunsList } from "./wes/runs-list";
import { registerRunsLogs } from "./wes/runs-logs";
import { registerOutputsGet } from "./wes/outputs-get";
import { registerRunsStatus } from "./wes/runs-status";
import { registerOverviewRunsGet } from "./wes/overview-runs-get";
import { registerOverviewRunsList } from "./wes/overview-runs-list";
import { registerServiceInfo } from "./wes/service-info";
import { registerTasksGet } from "./wes/tasks-get";
import { registerTasksList } from "./wes/tasks-list";
import { registerTasksLogs } from "./wes/tasks-logs";
import { registerWorkflowsList } from "./wes/workflows-list";
import { WES_BASE } from "./wes/context";

/** Scope per method; `null` means open to every caller (the handler decides what anonymous callers see). */
type MethodScopes = Partial<Record<"GET" | "POST" | "DELETE", WesScope | null>>;

interface Route {
  pattern: RegExp;
  scopes: MethodScopes;
}

/** Paths (relative to /ga4gh/wes/v1), their methods and scopes. */
const ROUTES: Route[] = [
  // Answers anonymous callers; its state counts need wes:read (src/wes/service-info.ts).
  { pattern: /^\/service-info$/, scopes: { GET: null } },
  { pattern: /^\/auth-instructions$/, scopes: { GET: null } },
  { pattern: /^\/runs$/, scopes: { GET: "wes:read", POST: "wes:submit" } },
  { pattern: /^\/runs\/[^/]+$/, scopes: { GET: "wes:read", DELETE: "wes:delete" } },
  { pattern: /^\/runs\/[^/]+\/status$/, scopes: { GET: "wes:read" } },
  { pattern: /^\/runs\/[^/]+\/cancel$/, scopes: { POST: "wes:cancel" } },
  { pattern: /^\/runs\/[^/]+\/tasks$/, scopes: { GET: "wes:read" } },
  { pattern: /^\/runs\/[^/]+\/tasks\/[^/]+$/, scopes: { GET: "wes:read" } },
  // Log texts and output downloads (RunLog/TaskLog `stdout`, `stderr`, `outputs`): docs/usage.md.
  { pattern: /^\/runs\/[^/]+\/logs\/[^/]+$/, scopes: { GET: "wes:read" } },
  { pattern: /^\/runs\/[^/]+\/tasks\/[^/]+\/logs\/[^/]+$/, scopes: { GET: "wes:read" } },
  { pattern: /^\/runs\/[^/]+\/outputs\/.+$/, scopes: { GET: "wes:read" } },
  // The service's own read models (not WES operations): docs/usage.md, "Beyond WES".
  { pattern: /^\/overview\/runs$/, scopes: { GET: "wes:read" } },
  { pattern: /^\/overview\/runs\/[^/]+$/, scopes: { GET: "wes:read" } },
  { pattern: /^\/workflows$/, scopes: { GET: "wes:read" } },
];

/** Admin routes outside the WES base (absolute paths), same shape. */
export const ADMIN_ROUTES: Record<string, MethodScopes> = {
  "/admin/metrics": { GET: "wes:admin" },
};

function methodScopes(path: string): MethodScopes | undefined {
  return ROUTES.find((r) => r.pattern.test(path))?.scopes;
}

/** Methods allowed on a path under the API base, or undefined when the path is unknown. */
export function allowedMethods(path: string): string[] | undefined {
  const scopes = methodScopes(path);
  if (!scopes) return undefined;
  const methods = Object.keys(scopes);
  return methods.includes("GET") ? [...methods, "HEAD"] : methods;
}

/** The scope a request needs: a scope, null when open, undefined when the table has no such route. */
export function requiredScope(table: MethodScopes | undefined, method: string): WesScope | null | undefined {
  const key = method === "HEAD" ? "GET" : method;
  return table && (key === "GET" || key === "POST" || key === "DELETE") ? table[key] : undefined;
}

/** The scope a WES request needs (path relative to the API base); see `requiredScope`. */
export function wesScopeFor(path: string, method: string): WesScope | null | undefined {
  return requiredScope(methodScopes(path), method);
}

/** Scope middleware for the WES sub-app. */
const wesScopes = requireScopes((c: Context<AppEnv>) => wesScopeFor(c.req.path.slice(WES_BASE.length), c.req.method));

/** Scope middleware for an admin route. */
export function adminScopes(path: string) {
  return requireScopes((c) => requiredScope(ADMIN_ROUTES[path], c.req.method));
}

/** Registers every WES operation on the API sub-app, behind the scope check. */
export function registerWesRoutes(api: Hono<AppEnv>): void {
  api.use("*", wesScopes);
  registerServiceInfo(api);
  registerRunsList(api);
  registerRunsCreate(api);
  registerRunsGet(api);
  registerRunsDelete(api);
  registerRunsStatus(api);
  registerRunsCancel(api);
  registerTasksList(api);
  registerTasksGet(api);
  registerRunsLogs(api);
  registerTasksLogs(api);
  registerOutputsGet(api);
  registerOverviewRunsList(api);
  registerOverviewRunsGet(api);
  registerWorkflowsList(api);
  for (const route of api.routes) {
    if (route.method === "ALL") continue; // middleware
    const sample = route.path.replace(/:[^/]+/g, "x");
    if (wesScopeFor(sample, route.method) === undefined) {
      throw new Error(`Route ${route.method} ${route.path} has no entry in the ROUTES table of src/routes.ts (methods and scopes).`);
    }
  }
}
