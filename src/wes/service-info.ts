/** GET /service-info — GA4GH service-info plus the WES fields (answers anonymous callers too). */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { authModes } from "../auth/credentials";
import { authInstructions, authTags } from "../auth/instructions";
import { oidcSettings } from "../auth/oidc-config";
import { authSettings, serviceSettings } from "../config";
import { database } from "../db/client";
import { countStates } from "../db/runs";
import { MAX_BODY_BYTES, MAX_MULTIPART_BYTES } from "./limits";
import { deletionSettings } from "./ops-config";
import { runExecutor } from "../executors/registry";
import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from "./page-token";
import { WES_STATES } from "./states";
import { publicBaseUrl, WES_BASE } from "./context";

/** Registers GET /service-info. */
export function registerServiceInfo(app: Hono<AppEnv>): void {
  app.get("/service-info", async (c) => {
    const settings = serviceSettings(c.env);
    const modes = authModes(await authSettings(c.env), oidcSettings(c.env));
    const principal = c.get("principal");
    // State counts are the caller's own (all runs for admins), zeros when anonymous or without wes:read.
    const counts = principal?.scopes.has("wes:read") ? await countStates(database(c.env.DB), principal.admin ? { all: true } : { user: principal.user }) : {};
    const executor = runExecutor(c.env).describe();
    const body = {
      id: settings.id,
      name: settings.name,
      type: { group: "org.ga4gh", artifact: "wes", version: "1.1.0" },
      description: settings.description,
      organization: settings.organization,
      environment: settings.environment,
      version: settings.version,
      workflow_type_versions: Object.fromEntries(
        Object.entries(executor.languages.types).map(([type, info]) => [type, { workflow_type_version: info.versions }]),
      ),
      supported_wes_versions: ["1.1.0"],
      supported_filesystem_protocols: executor.filesystemProtocols,
      workflow_engine_versions: Object.fromEntries(
        Object.entries(executor.languages.engines).map(([engine, info]) => [engine, { workflow_engine_version: info.versions }]),
      ),
      default_workflow_engine_parameters: executor.engineParameters,
      system_state_counts: Object.fromEntries(WES_STATES.map((state) => [state, counts[state] ?? 0])),
      auth_instructions_url: settings.authInstructionsUrl ?? `${publicBaseUrl(c)}${WES_BASE}/auth-instructions`,
      tags: {
        ...executor.tags,
        ...authTags(modes),
        // The largest body of any POST /runs (multipart, files included), and of a JSON or
        // URL-encoded one, which is read whole.
        max_request_bytes: String(MAX_MULTIPART_BYTES),
        max_json_request_bytes: String(MAX_BODY_BYTES),
        // Whether DELETE /runs/{id} also deletes the run's outputs (the dashboard says which).
        delete_outputs: String(deletionSettings(c.env).outputs),
        page_size_default: String(PAGE_SIZE_DEFAULT),
        page_size_max: String(PAGE_SIZE_MAX),
      },
    };
    return c.json(body);
  });

  app.get("/auth-instructions", async (c) => c.text(authInstructions(serviceSettings(c.env).name, authModes(await authSettings(c.env), oidcSettings(c.env)))));
}
