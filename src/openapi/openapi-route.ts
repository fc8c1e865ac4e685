/** GET /openapi.json — the OpenAPI 3.1 document of the whole API (document.ts); public, like service-info. */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { authModes } from "../auth/credentials";
import { oidcSettings } from "../auth/oidc-config";
import { authSettings, serviceSettings } from "../config";
import { eventsSettings } from "../events/events-config";
import { openApiDocument } from "./document";

/** Path of the document. */
export const OPENAPI_PATH = "/openapi.json";

/** Registers GET /openapi.json. */
export function registerOpenApi(app: Hono<AppEnv>): void {
  app.get(OPENAPI_PATH, async (c) => {
    const settings = serviceSettings(c.env);
    const events = eventsSettings(c.env);
    return c.json(
      openApiDocument({
        origin: new URL(c.req.url).origin,
        serviceName: settings.name,
        serviceVersion: settings.version,
        modes: authModes(await authSettings(c.env), oidcSettings(c.env)),
        ...(events.secret ? { eventsHeader: events.headerName } : {}),
      }),
    );
  });
}
