/**
 * Every variable the API Worker reads, indexed in one place (`VARIABLES`; the identity groups are
 * declared in identity-variables.ts): its shape, default, rules and whether it is a secret, grouped as the code reads them (each group is parsed when first needed and fails alone:
 * a bad budget setting does not stop reads). docs/configuration.md documents each one; a test
 * checks that this module, wrangler.toml, .dev.vars.example and that page name the same variables
 * with the same kinds (test/node/config-coverage.test.ts).
 */
import * as v from "valibot";
import { parseGroups, parseRules } from "./access-lists";
import { AUTH_VARIABLES, DASHBOARD_VARIABLES, MIN_SECRET_LENGTH, OIDC_VARIABLES } from "./identity-variables";
import { parseQuotas } from "./quotas";
import { parseSideQuotas } from "./side-quotas";
import {
  head,
  flag,
  list,
  matching,
  number,
  oneOf,
  optionalMatching,
  optionalUrl,
  parsed,
  type Problem,
  required,
  seconds,
  splitList,
  text,
  wholeNumber,
} from "./values";

const ORIGIN = /^https?:\/\/[^/\s]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Normalises HEALTHOMICS_OUTPUT_BUCKET (`bucket`, `bucket/prefix` or `s3://bucket/prefix`) to `s3://bucket/prefix/`. */
export function outputPrefix(value: string): string | undefined {
  const text = value.trim().replace(/^s3:\/\//i, "");
  const [bucket, ...rest] = text.split("/");
  if (!bucket || !BUCKET.test(bucket) || bucket.includes("..")) return undefined;
  const prefix = rest.filter((part) => part !== "").join("/");
  if (/[\u0000-\u001f]/.test(prefix)) return undefined;
  return `s3://${bucket}/${prefix ? `${prefix}/` : ""}`;
}

/** WES_PUBLIC_BASE_URL: an http(s) URL without user info, query or fragment, returned without its trailing slash. */
function publicBaseUrl(value: string, problem: Problem): string | undefined {
  if (value === "") return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash || value.includes("?") || value.includes("#")) {
    problem("must be the http(s) URL clients use to reach this service, without user info, query or fragment (e.g. https://wes.example.org)");
    return undefined;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function corsOrigins(value: string, problem: Problem): string[] {
  const origins = splitList(value);
  for (const origin of origins) {
    if (origin !== "*" && !ORIGIN.test(origin)) problem(`entry '${origin}' must be an origin like https://app.example.org`);
  }
  return origins;
}

/** Service description (service-info, CORS): read on every request. */
export const SERVICE_VARIABLES = {
  WES_SERVICE_ID: text({ description: "service-info id (reverse domain notation)" }, "org.example.wes-healthomics"),
  WES_SERVICE_NAME: text({ description: "service-info name; also the title of /auth-instructions" }, "WES on AWS HealthOmics"),
  WES_ORGANIZATION_NAME: text({ description: "service-info organization.name" }, "Unnamed organization"),
  WES_ORGANIZATION_URL: optionalUrl({ description: "service-info organization.url (http(s) URL)" }),
  WES_ENVIRONMENT: text({ description: "service-info environment (free text; development enables local-only routes)" }, "production"),
  WES_AUTH_INSTRUCTIONS_URL: optionalUrl({ description: "service-info auth_instructions_url; empty: the service's own /auth-instructions page" }),
  WES_PUBLIC_BASE_URL: parsed(
    { description: "the URL clients reach the service at (behind a proxy or custom path); empty: the request's own origin" },
    publicBaseUrl,
  ),
  WES_CORS_ORIGINS: parsed({ description: "browser origins allowed to call the API (comma- or newline-separated; * for any)" }, corsOrigins),
  WES_ACCESS_LOG: oneOf(
    { description: "which requests get an http.request log line: writes-and-errors (and slow reads) or all" },
    ["writes-and-errors", "all"],
    "writes-and-errors",
    "must be writes-and-errors or all",
  ),
};

/** The HealthOmics executor: read at POST /runs and by each run's alarm. */
export const EXECUTOR_VARIABLES = {
  WORKFLOW_EXECUTOR: oneOf({ description: "the executor" }, ["healthomics"], "healthomics", "must be 'healthomics' (the only executor today)"),
  HEALTHOMICS_REGION: matching({ description: "AWS region of HealthOmics (required)" }, REGION, "must be an AWS region such as us-east-1"),
  HEALTHOMICS_ROLE_ARN: matching(
    { description: "IAM role HealthOmics runs assume (required)" },
    ROLE_ARN,
    "must be the ARN of the IAM role HealthOmics runs assume (arn:aws:iam::<account>:role/<name>)",
  ),
  HEALTHOMICS_OUTPUT_BUCKET: parsed({ description: "bucket or s3://bucket/prefix for run outputs (required)" }, (value, problem) => {
    const prefix = outputPrefix(value);
    if (!prefix) problem("must be an S3 bucket name or s3://bucket/prefix for run outputs");
    return prefix ?? "";
  }),
  HEALTHOMICS_ENDPOINT: v.pipe(
    optionalUrl(
      { description: "a HealthOmics-compatible endpoint instead of AWS (the local emulator)" },
      "must be an http(s) URL when set (leave it empty for AWS)",
    ),
    v.transform((url) => url?.replace(/\/+$/, "")),
  ),
  AWS_ACCESS_KEY_ID: required(
    { description: "access key of the service's AWS identity (required)", secret: true },
    "is not set (a Worker secret, docs/deployment.md)",
  ),
  AWS_SECRET_ACCESS_KEY: required({ description: "its secret key (required)", secret: true }, "is not set (a Worker secret, docs/deployment.md)"),
  AWS_SESSION_TOKEN: text({ description: "session token of hand-made temporary credentials", secret: true }),
  AWS_ROLE_ARN: optionalMatching(
    { description: "role the service assumes (STS AssumeRole) to sign HealthOmics calls; empty: sign with the key" },
    ROLE_ARN,
    "must be the ARN of the IAM role the service assumes (arn:aws:iam::<account>:role/<name>)",
  ),
  AWS_ROLE_SESSION_NAME: v.pipe(
    text({ description: "session name of the assumed role (CloudTrail)" }, "wes-healthomics"),
    v.regex(/^[\w+=,.@-]{2,64}$/, "must be 2-64 characters of letters, digits and +=,.@_-"),
  ),
  AWS_ROLE_DURATION_SECONDS: wholeNumber(
    { description: "lifetime of the assumed role's credentials" },
    3600,
    900,
    43_200,
    "must be a whole number of seconds from 900 to 43200",
  ),
  AWS_ROLE_EXTERNAL_ID: text({ description: "external id the assumed role's trust policy requires (not a secret)" }),
  AWS_STS_ENDPOINT: optionalUrl({ description: "another STS endpoint; empty: the regional one" }, "must be an http(s) URL when set"),
  AWS_S3_ENDPOINT: v.pipe(
    optionalUrl({ description: "an S3-compatible endpoint addressed path-style (the local emulator); empty: AWS" }, "must be an http(s) URL when set"),
    v.transform((url) => url?.replace(/\/+$/, "")),
  ),
  AWS_LOGS_ENDPOINT: v.pipe(
    optionalUrl(
      { description: "a CloudWatch Logs-compatible endpoint for run and task logs (the local emulator); empty: the regional one" },
      "must be an http(s) URL when set",
    ),
    v.transform((url) => url?.replace(/\/+$/, "")),
  ),
  OUTPUT_DOWNLOAD_URL_SECONDS: wholeNumber(
    { description: "lifetime of presigned output download URLs (never past the signing credentials' expiry)" },
    3600,
    1,
    604_800,
    "must be a whole number of seconds from 1 to 604800 (7 days, S3's longest)",
  ),
  HEALTHOMICS_DELETE_RUNS: flag({ description: "deleting a run also deletes its HealthOmics run (DeleteRun); false: HealthOmics keeps it" }),
  POLL_MIN_SECONDS: seconds({ description: "shortest interval between two status checks of a run" }, 10),
  POLL_MAX_SECONDS: seconds({ description: "longest interval while a run is quiet; cap of retry back-off" }, 300),
};

/** The shared HealthOmics API budget. */
export const BUDGET_VARIABLES = {
  HEALTHOMICS_QUOTAS: parsed(
    {
      description: "the account's quota per operation, Operation=requestsPerSecond entries",
      default: "StartRun=1,GetRun=10,ListRunTasks=10,GetRunTask=10,CancelRun=10,GetWorkflow=10",
    },
    parseQuotas,
  ),
  HEALTHOMICS_QUOTA_HEADROOM: number({ description: "fraction of each quota the service may use" }, 0.8, 0, 1, "must be a fraction in (0, 1], e.g. 0.8"),
  HEALTHOMICS_QUOTA_MODE: oneOf(
    { description: "per-operation buckets or one shared bucket" },
    ["per-operation", "shared"],
    "per-operation",
    "must be per-operation or shared",
  ),
  AWS_LOGS_S3_QUOTAS: parsed(
    {
      description: "the account's CloudWatch Logs and S3 quotas (logs, outputs, deletion), Line=requestsPerSecond entries",
      default: "GetLogEvents=25,S3Read=5500,S3Write=3500",
    },
    parseSideQuotas,
  ),
};

/** The HealthOmics EventBridge endpoint. */
export const EVENTS_VARIABLES = {
  HEALTHOMICS_EVENTS_SECRET: v.pipe(
    text({ description: "shared secret of POST /integrations/healthomics/events; empty: endpoint off", secret: true }),
    v.check((s) => s === "" || s.length >= MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters (or empty to switch events off)`),
  ),
  HEALTHOMICS_EVENTS_HEADER: v.pipe(
    text({ description: "request header carrying the events secret" }, "x-wes-events-secret"),
    v.regex(/^[A-Za-z0-9-]{1,64}$/, "must be an HTTP header name"),
  ),
  HEALTHOMICS_EVENTS_SAFETY_POLL_SECONDS: seconds({ description: "longest poll interval while events arrive for a run" }, 900),
};

/** Which storage locations runs may read (POST /runs). */
export const DATA_ACCESS_VARIABLES = {
  WES_GROUPS: text({ description: "groups for data-access rules: group:member,member entries separated by ; or JSON" }),
  WES_ALLOWED_INPUT_PREFIXES: text({ description: "allowed input locations: subject=prefix,prefix entries separated by ; or JSON; empty: the default rule" }),
};

/** Workflows submitted as files and URLs (issue 13): where they may be fetched from, when packages retire. */
export const WORKFLOW_SOURCE_VARIABLES = {
  WES_WORKFLOW_URLS_ALLOW_LOCAL: v.pipe(
    oneOf(
      { description: "also fetch workflow URLs over http:// from loopback hosts (local registries; npm start sets it)" },
      ["false", "true"],
      "false",
      "must be true or false",
    ),
    v.transform((s) => s === "true"),
  ),
  WES_WORKFLOW_URL_HOSTS: v.pipe(
    list({ description: "the only hosts workflow URLs may be fetched from (example.org, or .example.org for its subdomains); empty: any public host" }),
    v.transform((hosts) => hosts.map((h) => h.toLowerCase())),
    v.check((hosts) => hosts.every((h) => /^\.?[a-z0-9.-]+(:\d+)?$/.test(h)), "must be host names separated by commas"),
  ),
  WES_PACKAGE_RETIRE_DAYS: wholeNumber(
    { description: "delete (DeleteWorkflow) package workflows unused this many days whose runs are all final; 0: never" },
    0,
    0,
    3650,
  ),
};

/** Deletion, retention and the per-user limits of POST /runs (src/wes/ops-config.ts). */
export const OPS_VARIABLES = {
  WES_RETENTION_DAYS: wholeNumber({ description: "delete final runs that finished more than this many days ago (0: keep forever)" }, 0, 0, 36_500),
  WES_RETENTION_BATCH: wholeNumber({ description: "most runs the cron sweep deletes for retention per tick" }, 50, 1, 500),
  WES_DELETE_OUTPUTS: flag({ description: "deleting a run also deletes its outputs (its whole folder in S3); false: outputs are kept" }),
  WES_USER_MAX_ACTIVE_RUNS: wholeNumber({ description: "most queued and active runs per user (0: no limit)" }, 0, 0, 1_000_000),
  WES_USER_SUBMISSIONS_PER_MINUTE: wholeNumber({ description: "most submissions per user in any 60 seconds (0: no limit)" }, 0, 0, 1_000_000),
};

export {
  AUTH,
  AUTH_VARIABLES,
  DASHBOARD,
  DASHBOARD_VARIABLES,
  DEFAULT_DASHBOARD_SCOPE,
  OIDC,
  OIDC_VARIABLES,
  secureUrl,
  USER_NAME,
} from "./identity-variables";

/** Every variable of the API Worker. */
export const VARIABLES = {
  ...SERVICE_VARIABLES,
  ...AUTH_VARIABLES,
  ...OIDC_VARIABLES,
  ...DASHBOARD_VARIABLES,
  ...EXECUTOR_VARIABLES,
  ...BUDGET_VARIABLES,
  ...EVENTS_VARIABLES,
  ...DATA_ACCESS_VARIABLES,
  ...WORKFLOW_SOURCE_VARIABLES,
  ...OPS_VARIABLES,
};

/** The names of every variable. */
export type VariableName = keyof typeof VARIABLES;

/** Group schemas: what each entry point (src/config.ts, src/executor-config.ts, …) parses. */
export const SERVICE = v.object(SERVICE_VARIABLES);
export const EXECUTOR = v.pipe(
  v.object(EXECUTOR_VARIABLES),
  v.partialCheck(
    [["POLL_MIN_SECONDS"], ["POLL_MAX_SECONDS"]],
    (o) => o.POLL_MIN_SECONDS <= o.POLL_MAX_SECONDS,
    "POLL_MIN_SECONDS must not be larger than POLL_MAX_SECONDS",
  ),
);
/** Which executor runs this deployment's runs, read alone: service-info and POST /runs need it before the executor's own settings. */
export const EXECUTOR_CHOICE = v.object({ WORKFLOW_EXECUTOR: EXECUTOR_VARIABLES.WORKFLOW_EXECUTOR });
export const BUDGET = v.object(BUDGET_VARIABLES);
export const EVENTS = v.object(EVENTS_VARIABLES);
export const WORKFLOW_SOURCES = v.object(WORKFLOW_SOURCE_VARIABLES);
export const OPS = v.object(OPS_VARIABLES);
/** Data access reads two OIDC variables as plain text: groups may come from tokens. */
export const DATA_ACCESS = v.pipe(
  v.object({ ...DATA_ACCESS_VARIABLES, WES_OIDC_ISSUER: head({ description: "" }), WES_OIDC_GROUPS_CLAIM: head({ description: "" }) }),
  v.rawTransform(({ dataset, addIssue }) => {
    const o = dataset.value;
    const problem: Problem = (message) => addIssue({ message });
    const groups = parseGroups(o.WES_GROUPS, problem);
    const tokenGroups = o.WES_OIDC_GROUPS_CLAIM !== "" && o.WES_OIDC_ISSUER !== "";
    const rules = o.WES_ALLOWED_INPUT_PREFIXES === "" ? null : parseRules(o.WES_ALLOWED_INPUT_PREFIXES, groups, tokenGroups, problem);
    return { groups, rules };
  }),
);

/** All variables as one object schema (JSON Schema export, documentation checks). */
export const ENV_SCHEMA = v.object(VARIABLES);

/** Whether a variable is a Worker secret (as opposed to a `[vars]` entry). */
export function isSecret(name: VariableName): boolean {
  return v.getMetadata(VARIABLES[name]).writeOnly === true;
}
