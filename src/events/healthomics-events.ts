/**
 * POST /integrations/healthomics/events — HealthOmics EventBridge events ("Run Status Change",
 * "Task Status Change") delivered by an EventBridge API destination. Authenticated by a shared
 * secret in a header (constant-time compare; events-auth.ts). The run is found by its HealthOmics
 * run `uuid` (run ids are reused after deletion); only an event without one falls back to the run
 * ARN or the HealthOmics run id, among live runs (run-match.ts). Its Durable Object is woken at
 * once and then reads the truth with GetRun, so duplicated, late or out-of-order events can never
 * move a state backwards. Answers well within EventBridge's 5 s limit: one indexed D1 read and one
 * RPC per matched run.
 */
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env";
import { database } from "../db/client";
import { badRequest, WesError } from "../errors";
import { log } from "../log";
import { checkEventsSecret } from "./events-auth";
import { eventsSettings } from "./events-config";
import { matchRuns } from "./run-match";

/** Path of the endpoint (not under the WES base: it is not a WES operation). */
export const EVENTS_PATH = "/integrations/healthomics/events";

/** The event types used, looked up as own keys only (a Map: `__proto__` or `toString` are just unknown types). */
const KINDS = new Map<string, "run" | "task">([
  ["Run Status Change", "run"],
  ["Task Status Change", "task"],
]);

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
      await checkEventsSecret(c, settings);
      let event: unknown;
      try {
        event = await c.req.json();
      } catch {
        throw badRequest("The event body is not valid JSON.");
      }
      if (event === null || typeof event !== "object" || Array.isArray(event)) throw badRequest("The event must be a JSON object.");
      const fields = new Map(Object.entries(event));
      if (fields.get("source") !== "aws.omics") throw badRequest("Only HealthOmics events (source aws.omics) are accepted here.");
      const detailType = fields.get("detail-type");
      const kind = typeof detailType === "string" ? KINDS.get(detailType) : undefined;
      if (!kind) {
        // Other HealthOmics events are fine to receive; they just do not concern runs.
        return c.json({ accepted: false, reason: "event type not used by this service" }, 202);
      }
      const rawDetail = fields.get("detail");
      const detail = new Map(rawDetail !== null && typeof rawDetail === "object" && !Array.isArray(rawDetail) ? Object.entries(rawDetail) : []);
      const requestId = c.get("requestId");
      const match = await matchRuns(database(c.env.DB), kind, detail, requestId);
      if (match.kind === "invalid") throw badRequest(`A ${detailType as string} event needs ${match.needs}.`);
      if (match.runIds.length === 0)
        return c.json({ accepted: false, reason: `no ${match.by === "uuid" ? "run with that HealthOmics uuid" : "live run with that HealthOmics run"}` }, 202);
      const rawStatus = detail.get("status");
      const status = typeof rawStatus === "string" && rawStatus.length <= 64 ? rawStatus : undefined;
      for (const runId of match.runIds) {
        await c.env.RUN_OBJECT.get(c.env.RUN_OBJECT.idFromName(runId)).nudge(kind, status);
        log("info", "events.received", { requestId, runId, kind, status });
      }
      return c.json({ accepted: true, run_id: match.runIds[0] });
    },
  );
}
