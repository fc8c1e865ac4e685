/**
 * The one scale factor: every time-dependent setting of both Workers is multiplied by `scale`
 * (durations) or divided by it (rates), so a benchmark at scale 0.25 is the production system
 * watched through a 4× fast-forward. Figures are converted back to real units with `real()`.
 */

/** AWS's documented default HealthOmics API quotas (requests/s), as in wrangler.toml. */
export const REAL_QUOTAS = { StartRun: 1, GetRun: 10, ListRunTasks: 10, GetRunTask: 10, CancelRun: 10, GetWorkflow: 10 };
/** The service's production defaults (wrangler.toml [vars]). */
export const REAL_SETTINGS = { pollMinSeconds: 10, pollMaxSeconds: 300, eventsSafetyPollSeconds: 900, headroom: 0.8 };

/** Rounds without float noise (0.1 × 3 = 0.30000000000000004). */
function tidy(x) {
  return Number(x.toPrecision(10));
}

/** The API Worker's scaled settings (env-file entries). */
export function scaledApiSettings(scale) {
  return {
    HEALTHOMICS_QUOTAS: Object.entries(REAL_QUOTAS)
      .map(([op, q]) => `${op}=${tidy(q / scale)}`)
      .join(","),
    HEALTHOMICS_QUOTA_HEADROOM: String(REAL_SETTINGS.headroom),
    POLL_MIN_SECONDS: String(tidy(REAL_SETTINGS.pollMinSeconds * scale)),
    POLL_MAX_SECONDS: String(tidy(REAL_SETTINGS.pollMaxSeconds * scale)),
    HEALTHOMICS_EVENTS_SAFETY_POLL_SECONDS: String(tidy(REAL_SETTINGS.eventsSafetyPollSeconds * scale)),
  };
}

/** The emulator's scaled settings: its quotas are AWS's defaults divided by the time scale. */
export function scaledEmulatorSettings(scale) {
  return { EMULATOR_TIME_SCALE: String(scale), EMULATOR_QUOTAS: "on" };
}

/** A wall-clock duration (ms) in real seconds. */
export function realSeconds(wallMs, scale) {
  return wallMs / 1000 / scale;
}

/** The service's budget for an operation in real requests/s (quota × headroom). */
export function realBudget(operation) {
  return REAL_QUOTAS[operation] * REAL_SETTINGS.headroom;
}
