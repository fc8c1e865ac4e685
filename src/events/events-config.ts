/** Settings of the HealthOmics EventBridge endpoint (docs/configuration.md, docs/deployment.md). */

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

/** Reads HEALTHOMICS_EVENTS_SECRET, HEALTHOMICS_EVENTS_HEADER and HEALTHOMICS_EVENTS_SAFETY_POLL_SECONDS. */
export function eventsSettings(env: Env): EventsSettings {
  const secret = (env.HEALTHOMICS_EVENTS_SECRET ?? "").trim();
  const safety = Number((env.HEALTHOMICS_EVENTS_SAFETY_POLL_SECONDS ?? "").trim() || "900");
  const settings: EventsSettings = {
    headerName: (env.HEALTHOMICS_EVENTS_HEADER ?? "").trim() || "x-wes-events-secret",
    safetyPollMs: (Number.isFinite(safety) && safety > 0 ? safety : 900) * 1000,
    activeForMs: 60 * 60_000,
  };
  if (secret) settings.secret = secret;
  return settings;
}
