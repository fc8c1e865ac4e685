/**
 * Execution settings (the seed plan's names), validated when first needed with one ConfigError
 * that lists every missing or bad variable. No ARN, bucket or endpoint is hard-coded anywhere:
 * docs/configuration.md lists each variable with its default.
 */
import { ConfigError } from "./config";
import type { AssumeRoleSettings } from "./executors/healthomics/client/sts";

/** Everything the HealthOmics executor needs. */
export interface ExecutorSettings {
  executor: "healthomics";
  region: string;
  roleArn: string;
  /** `s3://bucket/prefix/` (always ending in `/`); each run writes under `users/<owner>/runs/<run_id>/`. */
  outputPrefix: string;
  /** Base URL of a HealthOmics-compatible endpoint (the local emulator), when set. */
  endpoint?: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** When set, HealthOmics calls use temporary credentials of this role (STS AssumeRole with the key above). */
  assumeRole?: AssumeRoleSettings;
  /** Adaptive poll interval bounds, in milliseconds. */
  pollMinMs: number;
  pollMaxMs: number;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function seconds(value: string | undefined, name: string, fallback: number, problems: string[]): number {
  const text = value?.trim();
  if (!text) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) {
    problems.push(`${name} must be a number of seconds between 0 and 86400`);
    return fallback;
  }
  return n;
}

/** Normalises HEALTHOMICS_OUTPUT_BUCKET (`bucket`, `bucket/prefix` or `s3://bucket/prefix`) to `s3://bucket/prefix/`. */
export function outputPrefix(value: string): string | undefined {
  const text = value.trim().replace(/^s3:\/\//i, "");
  const [bucket, ...rest] = text.split("/");
  if (!bucket || !BUCKET.test(bucket) || bucket.includes("..")) return undefined;
  const prefix = rest.filter((part) => part !== "").join("/");
  if (/[\u0000-\u001f]/.test(prefix)) return undefined;
  return `s3://${bucket}/${prefix ? `${prefix}/` : ""}`;
}

const cache = new WeakMap<object, ExecutorSettings>();

/** Parses the execution settings; throws one ConfigError naming every problem. */
export function executorSettings(env: Env): ExecutorSettings {
  const cached = cache.get(env);
  if (cached) return cached;
  const problems: string[] = [];
  const executor = (env.WORKFLOW_EXECUTOR || "healthomics").trim();
  if (executor !== "healthomics") problems.push(`WORKFLOW_EXECUTOR must be 'healthomics' (the only executor today), got '${executor.slice(0, 40)}'`);
  const region = (env.HEALTHOMICS_REGION || "").trim();
  if (!REGION.test(region)) problems.push("HEALTHOMICS_REGION must be an AWS region such as us-east-1");
  const roleArn = (env.HEALTHOMICS_ROLE_ARN || "").trim();
  if (!ROLE_ARN.test(roleArn))
    problems.push("HEALTHOMICS_ROLE_ARN must be the ARN of the IAM role HealthOmics runs assume (arn:aws:iam::<account>:role/<name>)");
  const prefix = outputPrefix(env.HEALTHOMICS_OUTPUT_BUCKET || "");
  if (!prefix) problems.push("HEALTHOMICS_OUTPUT_BUCKET must be an S3 bucket name or s3://bucket/prefix for run outputs");
  const endpointText = (env.HEALTHOMICS_ENDPOINT || "").trim();
  let endpoint: string | undefined;
  if (endpointText) {
    try {
      const url = new URL(endpointText);
      if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("protocol");
      endpoint = endpointText.replace(/\/+$/, "");
    } catch {
      problems.push("HEALTHOMICS_ENDPOINT must be an http(s) URL when set (leave it empty for AWS)");
    }
  }
  const accessKeyId = (env.AWS_ACCESS_KEY_ID || "").trim();
  const secretAccessKey = (env.AWS_SECRET_ACCESS_KEY || "").trim();
  const sessionToken = (env.AWS_SESSION_TOKEN || "").trim();
  if (!accessKeyId) problems.push("AWS_ACCESS_KEY_ID is not set (wrangler secret put AWS_ACCESS_KEY_ID)");
  if (!secretAccessKey) problems.push("AWS_SECRET_ACCESS_KEY is not set (wrangler secret put AWS_SECRET_ACCESS_KEY)");
  const before = problems.length;
  const pollMin = seconds(env.POLL_MIN_SECONDS, "POLL_MIN_SECONDS", 10, problems);
  const pollMax = seconds(env.POLL_MAX_SECONDS, "POLL_MAX_SECONDS", 300, problems);
  if (problems.length === before && pollMin > pollMax) problems.push("POLL_MIN_SECONDS must not be larger than POLL_MAX_SECONDS");
  const assumeRole = assumeRoleSettings(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const settings: ExecutorSettings = {
    executor: "healthomics",
    region,
    roleArn,
    outputPrefix: prefix!,
    credentials: sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey },
    pollMinMs: pollMin * 1000,
    pollMaxMs: pollMax * 1000,
  };
  if (endpoint) settings.endpoint = endpoint;
  if (assumeRole) settings.assumeRole = assumeRole;
  cache.set(env, settings);
  return settings;
}

/** AWS_ROLE_ARN (+ AWS_ROLE_SESSION_NAME, AWS_ROLE_DURATION_SECONDS, AWS_ROLE_EXTERNAL_ID, AWS_STS_ENDPOINT). */
function assumeRoleSettings(env: Env, problems: string[]): AssumeRoleSettings | undefined {
  const roleArn = (env.AWS_ROLE_ARN || "").trim();
  if (!roleArn) return undefined;
  if (!ROLE_ARN.test(roleArn)) problems.push("AWS_ROLE_ARN must be the ARN of the IAM role the service assumes (arn:aws:iam::<account>:role/<name>)");
  const sessionName = (env.AWS_ROLE_SESSION_NAME || "").trim() || "wes-healthomics";
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) problems.push("AWS_ROLE_SESSION_NAME must be 2-64 characters of letters, digits and +=,.@_-");
  const duration = Number((env.AWS_ROLE_DURATION_SECONDS || "").trim() || "3600");
  if (!Number.isInteger(duration) || duration < 900 || duration > 43_200)
    problems.push("AWS_ROLE_DURATION_SECONDS must be a whole number of seconds from 900 to 43200");
  const settings: AssumeRoleSettings = { roleArn, sessionName, durationSeconds: duration };
  const externalId = (env.AWS_ROLE_EXTERNAL_ID || "").trim();
  if (externalId) settings.externalId = externalId;
  const stsEndpoint = (env.AWS_STS_ENDPOINT || "").trim();
  if (stsEndpoint) {
    if (!/^https?:\/\/[^\s]+$/.test(stsEndpoint)) problems.push("AWS_STS_ENDPOINT must be an http(s) URL when set");
    settings.endpoint = stsEndpoint;
  }
  return settings;
}
