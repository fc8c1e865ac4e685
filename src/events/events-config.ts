/** Settings of the HealthOmics EventBridge endpoint (docs/configuration.md, docs/deployment.md). */
import { perEnv, readGroup } from "../settings/read";
import { EVENTS } from "../settings/schema";

/** Events count as "flowing" for a run this long after its last one. */
const EVENTS_ACTIVE_FOR_MS = 60 * 60_000;

/** Events settings; `secret` undefined means the endpoint is switched off. */
export interface EventsSettings {
  secret?: string;
  /** Header the EventBridge connection sends the secret in (API key authorization). */
  headerName: string;
  /** Longest poll interval while events flow (polling becomes a safety net), ms. */
  safetyPollMs: number;
  /** Events count as "flowing" for this long after the last one, ms. */
  activeForMs: number;
}

/** Reads HEALTHOMICS_EVENTS_SECRET, HEALTHOMICS_EVENTS_HEADER and HEALTHOMICS_EVENTS_SAFETY_POLL_SECONDS; cached per env object. */
export const eventsSettings = perEnv((env: Env): EventsSettings => {
  const e = readGroup(EVENTS, env);
  const settings: EventsSettings = {
    headerName: e.HEALTHOMICS_EVENTS_HEADER,
    safetyPollMs: e.HEALTHOMICS_EVENTS_SAFETY_POLL_SECONDS * 1000,
    activeForMs: EVENTS_ACTIVE_FOR_MS,
  };
  if (e.HEALTHOMICS_EVENTS_SECRET) settings.secret = e.HEALTHOMICS_EVENTS_SECRET;
  return settings;
});
