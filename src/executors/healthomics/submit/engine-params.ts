/**
 * `workflow_engine_parameters`: the HealthOmics run options (StartRun members) a user may set.
 * The spec types the map as strings; a JSON body may send numbers and booleans, which are
 * normalised to strings (so the echoed request stays schema-valid) and then parsed and
 * range-checked against the HealthOmics API model. The role ARN and output location are the
 * operator's settings and can never be chosen here.
 */
import { badRequest } from "../../../errors";
import { isWorkflowVersionName } from "./workflow-ref";

/** Typed run options passed to StartRun. */
export interface RunOptions {
  name?: string;
  storageType?: "STATIC" | "DYNAMIC";
  storageCapacity?: number;
  priority?: number;
  runGroupId?: string;
  cacheId?: string;
  cacheBehavior?: "CACHE_ON_FAILURE" | "CACHE_ALWAYS";
  logLevel?: "OFF" | "FATAL" | "ERROR" | "ALL";
  retentionMode: "RETAIN" | "REMOVE";
  workflowVersionName?: string;
  workflowOwnerId?: string;
}

interface ParameterSpec {
  name: keyof RunOptions;
  type: string;
  default_value?: string;
  description: string;
  parse: (value: string) => string | number | undefined;
}

const enumOf =
  <T extends string>(...values: T[]) =>
  (value: string): T | undefined =>
    values.find((v) => v === value.toUpperCase());
const integer = (min: number, max: number) => (value: string) =>
  /^-?[0-9]+$/.test(value) && Number(value) >= min && Number(value) <= max ? Number(value) : undefined;
const pattern = (re: RegExp) => (value: string) => (re.test(value) ? value : undefined);

/** Every accepted engine parameter, with the type and default service-info reports. */
export const ENGINE_PARAMETERS: ParameterSpec[] = [
  {
    name: "name",
    type: "string (1-128 characters)",
    description: "HealthOmics run name; default wes-<run_id>",
    parse: (v) => (v.length >= 1 && v.length <= 128 && RUN_NAME.test(v) ? v : undefined),
  },
  { name: "storageType", type: "enum: STATIC, DYNAMIC", default_value: "STATIC", description: "run storage type", parse: enumOf("STATIC", "DYNAMIC") },
  {
    name: "storageCapacity",
    type: "integer (GiB, 0-100000; HealthOmics ignores it for DYNAMIC storage)",
    default_value: "1200",
    description: "static run storage in GiB",
    parse: integer(0, 100000),
  },
  { name: "priority", type: "integer (0-100000)", description: "run priority within its run group", parse: integer(0, 100000) },
  { name: "runGroupId", type: "string (numeric id)", description: "HealthOmics run group", parse: pattern(/^[0-9]{1,18}$/) },
  { name: "cacheId", type: "string (numeric id)", description: "HealthOmics run cache", parse: pattern(/^[0-9]{1,18}$/) },
  {
    name: "cacheBehavior",
    type: "enum: CACHE_ON_FAILURE, CACHE_ALWAYS",
    description: "run cache behaviour (needs cacheId)",
    parse: enumOf("CACHE_ON_FAILURE", "CACHE_ALWAYS"),
  },
  { name: "logLevel", type: "enum: OFF, FATAL, ERROR, ALL", description: "HealthOmics log level", parse: enumOf("OFF", "FATAL", "ERROR", "ALL") },
  {
    name: "retentionMode",
    type: "enum: RETAIN, REMOVE",
    default_value: "REMOVE",
    description: "REMOVE lets HealthOmics drop old run metadata (this service's D1 keeps the record)",
    parse: enumOf("RETAIN", "REMOVE"),
  },
  {
    name: "workflowVersionName",
    type: "string (workflow version name)",
    description: "run this version of the workflow",
    parse: (v) => (isWorkflowVersionName(v) ? v : undefined),
  },
  {
    name: "workflowOwnerId",
    type: "string (12-digit AWS account id)",
    description: "owner of a workflow shared with this account",
    parse: pattern(/^[0-9]{12}$/),
  },
];

/** HealthOmics RunName pattern (letters, marks, separators, symbols, numbers, punctuation: no control characters). */
const RUN_NAME = /^[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]+$/u;

const BY_NAME = new Map(ENGINE_PARAMETERS.map((p) => [p.name.toLowerCase(), p]));

/** Parses and range-checks the (string) engine parameters into RunOptions; unknown keys are a 400. */
export function parseRunOptions(params: Record<string, string>): RunOptions {
  const options: RunOptions = { retentionMode: "REMOVE" };
  for (const [key, value] of Object.entries(params)) {
    const spec = BY_NAME.get(key.toLowerCase());
    if (!spec) {
      throw badRequest(`workflow_engine_parameters has an unknown parameter '${clip(key)}'. Accepted: ${ENGINE_PARAMETERS.map((p) => p.name).join(", ")}.`);
    }
    const parsed = spec.parse(value.trim());
    if (parsed === undefined) {
      throw badRequest(`workflow_engine_parameters.${spec.name} has an invalid value '${clip(value)}'; expected ${spec.type}.`);
    }
    // Each spec's parser returns the type of the option it names (ENGINE_PARAMETERS pairs them).
    Object.assign(options, { [spec.name]: parsed });
  }
  if (options.cacheBehavior && !options.cacheId) throw badRequest("workflow_engine_parameters.cacheBehavior needs a cacheId.");
  return options;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
