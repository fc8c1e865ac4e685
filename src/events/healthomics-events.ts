/**
 * POST /integrations/healthomics/events — HealthOmics EventBridge events ("Run Status Change",
 * "Task Status Change") delivered by an EventBridge API destination. Authenticated by a shared
 * secret in a header (constant-time compare). The run is found by its HealthOmics run `uuid`
 * (run ids are reused after deletion) and its Durable Object is woken at once; the object then
 * reads the truth with GetRun, so duplicated, late or out-of-order events can never move a state
 * backwards. Answers well within EventBridge's 5 s limit: one indexed D1 read and one RPC.
 */
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env";
import { secretsEqual } from "../auth/credentials";
import { database } from "../db/client";
import { findRunByOmicsUuid } from "../db/runs";
import { badRequest, WesError } from "../errors";
import { log } from "../log";
import { eventsSettings } from "./events-config";

/** Path of the endpoint (not under the WES base: it is not a WES operation). */
export const EVENTS_PATH = "/integrations/healthomics/events";

const KINDS: Record<string, "run" | "task"> = { "Run Status Change": "run", "Task Status Change": "task" };

interface OmicsEvent {
  source?: unknown;
  "detail-type"?: unknown;
  detail?: { uuid?: unknown; runUuid?: unknown; status?: unknown };
}

/** Registers the events endpoint. */
export function registerHealthOmicsEvents(app: Hono<AppEnv>): void {
  app.post(
    EVENTS_PATH,
    bodyLimit({
      maxSize: 256 * 1024,
      onError: () => {
        throw new WesError(413, "Event bodies are at most 256 KiB (the EventBridge event size limit).");
      },
    }),
    async (c) => {
      const settings = eventsSettings(c.env);
      if (!settings.secret) throw new WesError(503, "HealthOmics events are not enabled here: set HEALTHOMICS_EVENTS_SECRET (see docs/deployment.md).");
      const presented = c.req.header(settings.headerName) ?? "";
      if (!(await secretsEqual(presented, settings.secret))) {
        // RFC 9110 wants a challenge with every 401; this endpoint's "scheme" is the shared-secret header.
        throw new WesError(401, `Missing or wrong ${settings.headerName} header.`, { "WWW-Authenticate": `ApiKey header="${settings.headerName}"` });
      }
      let event: OmicsEvent;
      try {
        event = (await c.req.json()) as OmicsEvent;
      } catch {
        throw badRequest("The event body is not valid JSON.");
      }
      if (event === null || typeof event !== "object" || Array.isArray(event)) throw badRequest("The event must be a JSON object.");
      if (event.source !== "aws.omics") throw badRequest("Only HealthOmics events (source aws.omics) are accepted here.");
      const kind = typeof event["detail-type"] === "string" ? KINDS[event["detail-type"]] : undefined;
      if (!kind) {
        // Other HealthOmics events are fine to receive; they just do not concern runs.
        return c.json({ accepted: false, reason: "event type not used by this service" }, 202);
      }
      const uuid = kind === "run" ? event.detail?.uuid : event.detail?.runUuid;
      if (typeof uuid !== "string" || uuid === "" || uuid.length > 128) {
        throw badRequest(`A ${String(event["detail-type"])} event needs detail.${kind === "run" ? "uuid" : "runUuid"}.`);
      }
      const run = await findRunByOmicsUuid(database(c.env.DB), uuid);
      if (!run) return c.json({ accepted: false, reason: "no run with that HealthOmics uuid" }, 202);
      const status = typeof event.detail?.status === "string" && event.detail.status.length <= 64 ? event.detail.status : undefined;
      await c.env.RUN_OBJECT.get(c.env.RUN_OBJECT.idFromName(run.id)).nudge(kind, status);
      log("info", "events.received", { requestId: c.get("requestId"), runId: run.id, kind, status });
      return c.json({ accepted: true, run_id: run.id });
    },
  );
}
