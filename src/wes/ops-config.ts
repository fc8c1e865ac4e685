/**
 * The settings of deletion, retention and fair use (src/settings/schema.ts, OPS group), parsed
 * once per isolate. docs/configuration.md#retention-and-fair-use documents them.
 */
import { perEnv, readGroup } from "../settings/read";
import { OPS } from "../settings/schema";

/** Per-user limits of POST /runs; `null` is no limit. */
export interface FairUseLimits {
  /** Most runs one user may have queued or active (any live state) at once. */
  maxActiveRuns: number | null;
  /** Most submissions one user may make in any 60 seconds (deleted runs still count). */
  submissionsPerMinute: number | null;
}

/** Retention of final runs; `days === null` keeps them forever. */
export interface RetentionSettings {
  days: number | null;
  /** Most runs deleted per cron tick. */
  batch: number;
}

/** What deleting a run removes besides what the service stored for it. */
export interface DeletionSettings {
  /** Also the run's outputs (its whole folder in the output bucket). */
  outputs: boolean;
}

/** The deletion settings; throws a ConfigError naming a bad value. */
export const deletionSettings = perEnv((env: Env): DeletionSettings => ({ outputs: readGroup(OPS, env).WES_DELETE_OUTPUTS }));

/** The per-user limits; throws a ConfigError naming a bad value. */
export const fairUseLimits = perEnv((env: Env): FairUseLimits => {
  const o = readGroup(OPS, env);
  return { maxActiveRuns: o.WES_USER_MAX_ACTIVE_RUNS || null, submissionsPerMinute: o.WES_USER_SUBMISSIONS_PER_MINUTE || null };
});

/** The retention settings; throws a ConfigError naming a bad value. */
export const retentionSettings = perEnv((env: Env): RetentionSettings => {
  const o = readGroup(OPS, env);
  return { days: o.WES_RETENTION_DAYS || null, batch: o.WES_RETENTION_BATCH };
});
