import { ConfigError } from "../config";

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
  const problems: string[] = [];
  const secret = (env.HEALTHOMICS_EVENTS_SECRET ?? "").trim();
  if (secret && secret.length < 16) problems.push("HEALTHOMICS_EVENTS_SECRET must be at least 16 characters (or empty to switch events off)");
  const safety = Number((env.HEALTHOMICS_EVENTS_SAFETY_POLL_SECONDS ?? "").trim() || "900");
  if (!(Number.isFinite(safety) && safety > 0 && safety <= 86_400))
    problems.push("HEALTHOMICS_EVENTS_SAFETY_POLL_SECONDS must be a number of seconds between 0 and 86400");
  const headerName = (env.HEALTHOMICS_EVENTS_HEADER ?? "").trim() || "x-wes-events-secret";
  if (!/^[A-Za-z0-9-]{1,64}$/.test(headerName)) problems.push("HEALTHOMICS_EVENTS_HEADER must be an HTTP header name");
  if (problems.length > 0) throw new ConfigError(problems);
  const settings: EventsSettings = { headerName, safetyPollMs: safety * 1000, activeForMs: 60 * 60_000 };
  if (secret) settings.secret = secret;
  return settings;
}
