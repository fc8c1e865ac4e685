/**
 * The first middleware of every request: a request id (answered as `X-Request-Id`), `Cache-Control:
 * no-store`, and the `http.request` access-log line — which names the user, never credentials (no
 * headers, no query string).
 *
 * WES_ACCESS_LOG decides which requests get that line. `writes-and-errors` (the default) logs every
 * request that is not a GET or HEAD, every failure (status ≥ 400) and every slow request; a
 * successful read, by far the most frequent request (clients poll), is left to Workers Logs'
 * invocation log, which records its method, URL and status without the user. `all` logs every
 * request. Why the default: docs/performance.md ("Overhead") and docs/deployment.md ("Observability").
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env";
import { serviceSettings } from "./config";
import { log } from "./log";

/** A read slower than this is logged whatever WES_ACCESS_LOG says. */
export const SLOW_REQUEST_MS = 1000;

/** Which requests get an `http.request` line. */
export type AccessLogMode = "all" | "writes-and-errors";

/** Whether a request gets an `http.request` line. */
export function shouldLog(mode: AccessLogMode, method: string, status: number, ms: number): boolean {
  if (mode === "all") return true;
  return (method !== "GET" && method !== "HEAD") || status >= 400 || ms >= SLOW_REQUEST_MS;
}

function modeOf(env: Env): AccessLogMode {
  try {
    return serviceSettings(env).accessLog;
  } catch {
    return "all"; // a broken configuration is answered with 503s: log every one of them
  }
}

/** Request id, no-store, access log. */
export const accessLog = createMiddleware<AppEnv>(async (c, next) => {
  const requestId = crypto.randomUUID();
  c.set("requestId", requestId);
  c.set("principal", null);
  c.set("identified", false);
  const started = Date.now();
  await next();
  c.header("X-Request-Id", requestId);
  c.header("Cache-Control", "no-store");
  const ms = Date.now() - started;
  if (!shouldLog(modeOf(c.env), c.req.method, c.res.status, ms)) return;
  log("info", "http.request", { requestId, method: c.req.method, path: c.req.path.slice(0, 200), status: c.res.status, ms, user: c.get("principal")?.user });
});
