/**
 * Builds the Hono app: request id, secure headers, CORS (only as configured), access log,
 * authentication, the WES routes, and one error handler that renders every failure as a WES
 * ErrorResponse whose HTTP status equals its `status_code`.
 */
import { Hono, type Context } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./app-env";
import { registerAdminMetrics } from "./admin/metrics";
import { identify } from "./auth/middleware";
import { registerHealthOmicsEvents } from "./events/healthomics-events";
import { ConfigError, serviceSettings } from "./config";
import { errorResponse, WesError } from "./errors";
import { describeError, log } from "./log";
import { allowedMethods, registerWesRoutes } from "./routes";
import { WES_BASE } from "./wes/context";

function errorJson(c: Context<AppEnv>, status: ContentfulStatusCode, msg: string, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json(errorResponse(status, msg), status);
}

/** Creates the API application. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use("*", async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set("requestId", requestId);
    c.set("principal", null);
    const started = Date.now();
    await next();
    c.header("X-Request-Id", requestId);
    c.header("Cache-Control", "no-store");
    log("info", "http.request", {
      requestId,
      method: c.req.method,
      path: new URL(c.req.url).pathname.slice(0, 200),
      status: c.res.status,
      ms: Date.now() - started,
      user: c.get("principal")?.user,
    });
  });
  app.use("*", secureHeaders({ crossOriginResourcePolicy: "same-origin", referrerPolicy: "no-referrer" }));
  app.use("*", async (c, next) => {
    const origins = serviceSettings(c.env).corsOrigins;
    if (origins.length === 0) return await next();
    return await cors({
      origin: origins.includes("*") ? "*" : origins,
      allowMethods: ["GET", "POST", "OPTIONS"],
      allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key"],
      exposeHeaders: ["X-Request-Id"],
      maxAge: 600,
    })(c, next);
  });

  const api = new Hono<AppEnv>();
  api.use("*", identify);
  registerWesRoutes(api);
  app.route(WES_BASE, api);
  registerHealthOmicsEvents(app);
  registerAdminMetrics(app);

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const methods = path.startsWith(WES_BASE) ? allowedMethods(path.slice(WES_BASE.length)) : undefined;
    if (methods) {
      return errorJson(c, 405, `${c.req.method} is not allowed on ${path}; use ${methods.join(", ")}.`, { Allow: methods.join(", ") });
    }
    return errorJson(c, 404, `No such endpoint: ${c.req.method} ${path.slice(0, 200)}. The WES API lives under ${WES_BASE}.`);
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
