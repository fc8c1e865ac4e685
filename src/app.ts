/**
 * Builds the Hono app: request id and access log (src/access-log.ts), secure headers, CORS (only as configured),
 * authentication (with the failed-authentication guard and per-route scopes), the WES routes, and
 * one error handler that renders every failure as a WES ErrorResponse whose HTTP status equals its
 * `status_code`. docs/security.md describes the whole.
 */
import { Hono, type Context } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { accessLog } from "./access-log";
import type { AppEnv } from "./app-env";
import { METRICS_PATH, registerAdminMetrics } from "./admin/metrics";
import { identify } from "./auth/middleware";
import { registerDevHooks } from "./dev/hooks";
import { ConfigError, serviceSettings } from "./config";
import { registerExecutorRoutes } from "./executors/registry";
import { errorResponse, WesError } from "./errors";
import { describeError, log } from "./log";
import { registerOpenApi } from "./openapi/openapi-route";
import { registerDashboardOidc } from "./dashboard/oidc-routes";
import { adminScopes, allowedMethods, registerWesRoutes } from "./routes";
import { WES_BASE } from "./wes/context";

function errorJson(c: Context<AppEnv>, status: ContentfulStatusCode, msg: string, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json(errorResponse(status, msg), status);
}

/** Creates the API application. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use("*", accessLog);
  // An API answers JSON and text only: nothing may be framed, scripted or embedded from it.
  app.use(
    "*",
    secureHeaders({
      crossOriginResourcePolicy: "same-origin",
      referrerPolicy: "no-referrer",
      xFrameOptions: "DENY",
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    }),
  );
  app.use("*", async (c, next) => {
    const origins = serviceSettings(c.env).corsOrigins;
    if (origins.length === 0) return await next();
    return await cors({
      origin: origins.includes("*") ? "*" : origins,
      allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
      allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key"],
      // Browser clients need the challenge (which scheme, which scope) and how long to back off.
      exposeHeaders: ["X-Request-Id", "WWW-Authenticate", "Retry-After"],
      maxAge: 600,
    })(c, next);
  });

  const api = new Hono<AppEnv>();
  api.use("*", identify);
  registerWesRoutes(api);
  app.route(WES_BASE, api);
  registerExecutorRoutes(app);
  // Authenticated and scope-checked before the metrics handler (whose own identify is then a no-op).
  app.use(METRICS_PATH, identify, adminScopes(METRICS_PATH));
  registerAdminMetrics(app);
  registerOpenApi(app);
  registerDashboardOidc(app);
  // Absent (404) unless WES_ENVIRONMENT=development.
  registerDevHooks(app);

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const shown = path.length > 200 ? `${path.slice(0, 197)}...` : path;
    const methods = path.startsWith(WES_BASE) ? allowedMethods(path.slice(WES_BASE.length)) : undefined;
    if (methods) {
      return errorJson(c, 405, `${c.req.method} is not allowed on ${shown}; use ${methods.join(", ")}.`, { Allow: methods.join(", ") });
    }
    return errorJson(c, 404, `No such endpoint: ${c.req.method} ${shown}. The WES API lives under ${WES_BASE}.`);
  });

  app.onError((error, c) => {
    if (error instanceof WesError) return errorJson(c, error.status, error.message, error.headers);
    if (error instanceof ConfigError) {
      log("error", "config.invalid", { requestId: c.get("requestId"), problems: error.problems });
      return errorJson(c, 503, error.message);
    }
    if (error instanceof HTTPException) {
      return errorJson(c, error.status as ContentfulStatusCode, error.message || "The request could not be processed.");
    }
    const requestId = c.get("requestId");
    log("error", "http.unhandled_error", { requestId, error: describeError(error) });
    return errorJson(c, 500, `Internal server error (request id ${requestId}). The error has been logged; please report the request id if it persists.`);
  });

  return app;
}
