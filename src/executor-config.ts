/**
 * Execution settings (the seed plan's names), declared in src/settings/schema.ts and validated when
 * first needed with one ConfigError that lists every missing or bad variable. No ARN, bucket or
 * endpoint is hard-coded anywhere: docs/configuration.md lists each variable with its default.
 */
import type { AssumeRoleSettings } from "./executors/healthomics/client/sts";
import { perEnv, readGroup } from "./settings/read";
import { EXECUTOR } from "./settings/schema";

export { outputPrefix } from "./settings/schema";

/** Everything the HealthOmics executor needs. */
export interface ExecutorSettings {
  executor: "healthomics";
  region: string;
  roleArn: string;
  /** `s3://bucket/prefix/` (always ending in `/`); each run writes under `users/<owner>/runs/<run_id>/`. */
  outputPrefix: string;
  /** Base URL of a HealthOmics-compatible endpoint (the local emulator), when set. */
  endpoint?: string;
  /** An S3-compatible endpoint addressed path-style (the local emulator), when set. */
  s3Endpoint?: string;
  /** A CloudWatch Logs-compatible endpoint (the local emulator), when set. */
  logsEndpoint?: string;
  /** Lifetime of presigned output download URLs, in seconds (≤ 7 days; shortened to the credentials' own expiry); default 3600. */
  downloadUrlSeconds?: number;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** When set, HealthOmics calls use temporary credentials of this role (STS AssumeRole with the key above). */
  assumeRole?: AssumeRoleSettings;
  /** Deleting a run also deletes its HealthOmics run (DeleteRun; HEALTHOMICS_DELETE_RUNS). */
  deleteRuns?: boolean;
  /** Adaptive poll interval bounds, in milliseconds. */
  pollMinMs: number;
  pollMaxMs: number;
}

/** Parses the execution settings; throws one ConfigError naming every problem; cached per env object. */
export const executorSettings = perEnv((env: Env): ExecutorSettings => {
  const e = readGroup(EXECUTOR, env);
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = e;
  const settings: ExecutorSettings = {
    executor: e.WORKFLOW_EXECUTOR,
    region: e.HEALTHOMICS_REGION,
    roleArn: e.HEALTHOMICS_ROLE_ARN,
    outputPrefix: e.HEALTHOMICS_OUTPUT_BUCKET,
    credentials: sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey },
    pollMinMs: e.POLL_MIN_SECONDS * 1000,
    pollMaxMs: e.POLL_MAX_SECONDS * 1000,
    downloadUrlSeconds: e.OUTPUT_DOWNLOAD_URL_SECONDS,
    deleteRuns: e.HEALTHOMICS_DELETE_RUNS,
  };
  if (e.HEALTHOMICS_ENDPOINT) settings.endpoint = e.HEALTHOMICS_ENDPOINT;
  if (e.AWS_S3_ENDPOINT) settings.s3Endpoint = e.AWS_S3_ENDPOINT;
  if (e.AWS_LOGS_ENDPOINT) settings.logsEndpoint = e.AWS_LOGS_ENDPOINT;
  if (e.AWS_ROLE_ARN) {
    const assumeRole: AssumeRoleSettings = { roleArn: e.AWS_ROLE_ARN, sessionName: e.AWS_ROLE_SESSION_NAME, durationSeconds: e.AWS_ROLE_DURATION_SECONDS };
    if (e.AWS_ROLE_EXTERNAL_ID) assumeRole.externalId = e.AWS_ROLE_EXTERNAL_ID;
    if (e.AWS_STS_ENDPOINT) assumeRole.endpoint = e.AWS_STS_ENDPOINT;
    settings.assumeRole = assumeRole;
  }
  return settings;
});
