/**
 * The WES routes and the methods each allows. The table also answers "wrong method on a known
 * route" with 405 and an `Allow` header, which Hono does not do by itself.
 */
import type { Hono } from "hono";
import type { AppEnv } from "./app-env";
import { registerRunsCancel } from "./wes/runs-cancel";
import { registerRunsCreate } from "./wes/runs-create";
import { registerRunsGet } from "./wes/runs-get";
import { registerRunsList } from "./wes/runs-list";
import { registerRunsStatus } from "./wes/runs-status";
import { registerServiceInfo } from "./wes/service-info";
import { registerTasksGet } from "./wes/tasks-get";
import { registerTasksList } from "./wes/tasks-list";

/** Paths (relative to /ga4gh/wes/v1) and their methods. */
const ROUTES: Array<{ pattern: RegExp; methods: string[] }> = [
  { pattern: /^\/service-info$/, methods: ["GET"] },
  { pattern: /^\/auth-instructions$/, methods: ["GET"] },
  { pattern: /^\/runs$/, methods: ["GET", "POST"] },
  { pattern: /^\/runs\/[^/]+$/, methods: ["GET"] },
  { pattern: /^\/runs\/[^/]+\/status$/, methods: ["GET"] },
  { pattern: /^\/runs\/[^/]+\/cancel$/, methods: ["POST"] },
  { pattern: /^\/runs\/[^/]+\/tasks$/, methods: ["GET"] },
  { pattern: /^\/runs\/[^/]+\/tasks\/[^/]+$/, methods: ["GET"] },
];

/** Methods allowed on a path under the API base, or undefined when the path is unknown. */
export function allowedMethods(path: string): string[] | undefined {
  const route = ROUTES.find((r) => r.pattern.test(path));
  if (!route) return undefined;
  return route.methods.includes("GET") ? [...route.methods, "HEAD"] : route.methods;
}

/** Registers every WES operation on the API sub-app. */
export function registerWesRoutes(api: Hono<AppEnv>): void {
  registerServiceInfo(api);
  registerRunsList(api);
  registerRunsCreate(api);
  registerRunsGet(api);
  registerRunsStatus(api);
  registerRunsCancel(api);
  registerTasksList(api);
  registerTasksGet(api);
}
