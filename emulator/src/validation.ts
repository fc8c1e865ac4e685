/**
 * Request validation as AWS does it, driven by the API model: required members, string length
 * and pattern, enums, numeric ranges, list sizes. Messages follow AWS's wording
 * ("1 validation error detected: Value 'x' at 'workflowId' failed to satisfy constraint: ...").
 * Pure functions: no I/O, unit-tested in test/emulator/validation.test.ts.
 */
import { ApiError } from "./errors";
import { shape, type Shape } from "./model";

/** One broken constraint, before being joined into the AWS message. */
export interface Violation {
  path: string;
  value: unknown;
  constraint: string;
}

/** A value of the wrong JSON type (AWS answers those with SerializationException). */
export class SerializationError extends Error {}

const patterns = new Map<string, RegExp>();

/** The model's patterns are matched against the whole value, as AWS's Java validators do. */
function patternOf(name: string, source: string): RegExp {
  let re = patterns.get(name);
  if (!re) {
    re = new RegExp(`^(?:${source})$`, "u");
    patterns.set(name, re);
  }
  return re;
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return `'${value}'`;
  return `'${JSON.stringify(value)}'`;
}

function checkString(name: string, s: Shape, value: string, path: string, out: Violation[]): void {
  const length = [...value].length;
  if (s.min !== undefined && length < s.min) out.push({ path, value, constraint: `Member must have length greater than or equal to ${s.min}` });
  if (s.max !== undefined && length > s.max) out.push({ path, value, constraint: `Member must have length less than or equal to ${s.max}` });
  if (s.enum && !s.enum.includes(value)) out.push({ path, value, constraint: `Member must satisfy enum value set: [${s.enum.join(", ")}]` });
  if (s.pattern && !patternOf(name, s.pattern).test(value)) {
    out.push({ path, value, constraint: `Member must satisfy regular expression pattern: ${s.pattern}` });
  }
}

/** Walks `value` against the shape `name`, collecting violations; wrong JSON types throw SerializationError. */
export function collectViolations(name: string, value: unknown, path: string, out: Violation[]): void {
  const s = shape(name);
  if (value === undefined || value === null) return;
  switch (s.type) {
    case "structure": {
      if (s.document) return; // free-form JSON (RunParameters, EngineSettings)
      if (typeof value !== "object" || Array.isArray(value)) throw new SerializationError(`Expected an object at '${path || "body"}'`);
      const record = value as Record<string, unknown>;
      for (const req of s.required ?? []) {
        if (record[req] === undefined || record[req] === null) {
          out.push({ path: join(path, req), value: null, constraint: "Member must not be null" });
        }
      }
      for (const [member, ref] of Object.entries(s.members ?? {})) {
        collectViolations(ref.shape, record[member], join(path, member), out);
      }
      return;
    }
    case "list": {
      if (!Array.isArray(value)) throw new SerializationError(`Expected a list at '${path}'`);
      if (s.min !== undefined && value.length < s.min) out.push({ path, value, constraint: `Member must have length greater than or equal to ${s.min}` });
      if (s.max !== undefined && value.length > s.max) out.push({ path, value, constraint: `Member must have length less than or equal to ${s.max}` });
      for (const [i, item] of value.entries()) collectViolations(s.member!.shape, item, `${path}.${i + 1}.member`, out);
      return;
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) throw new SerializationError(`Expected a map at '${path}'`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        collectViolations(s.key!.shape, k, `${path}.key`, out);
        collectViolations(s.value!.shape, v, `${path}.${k}.value`, out);
      }
      return;
    }
    case "string":
      if (typeof value !== "string") throw new SerializationError(`Expected a string at '${path}'`);
      checkString(name, s, value, path, out);
      return;
    case "integer":
    case "long":
      if (typeof value !== "number" || !Number.isInteger(value)) throw new SerializationError(`Expected an integer at '${path}'`);
      if (s.min !== undefined && value < s.min) out.push({ path, value, constraint: `Member must have value greater than or equal to ${s.min}` });
      if (s.max !== undefined && value > s.max) out.push({ path, value, constraint: `Member must have value less than or equal to ${s.max}` });
      return;
    case "boolean":
      if (typeof value !== "boolean") throw new SerializationError(`Expected a boolean at '${path}'`);
      return;
    case "blob":
      if (typeof value !== "string") throw new SerializationError(`Expected a base64 string at '${path}'`);
      return;
    default:
      return;
  }
}

function join(path: string, member: string): string {
  return path ? `${path}.${member}` : member;
}

/** AWS's message for a set of violations. */
export function violationMessage(violations: Violation[]): string {
  const n = violations.length;
  const parts = violations.map((v) => `Value ${shown(v.value)} at '${v.path}' failed to satisfy constraint: ${v.constraint}`);
  return `${n} validation error${n === 1 ? "" : "s"} detected: ${parts.join("; ")}`;
}

/** Validates an operation's input against its input shape; throws ValidationException / SerializationException. */
export function validateInput(inputShape: string, input: Record<string, unknown>): void {
  const violations: Violation[] = [];
  try {
    collectViolations(inputShape, input, "", violations);
  } catch (error) {
    if (error instanceof SerializationError) throw new ApiError("SerializationException", error.message);
    throw error;
  }
  if (violations.length > 0) throw new ApiError("ValidationException", violationMessage(violations));
}

/** A workflow's parameter template (GetWorkflow's `parameterTemplate`). */
export type ParameterTemplate = Record<string, { description?: string; optional?: boolean }>;

/**
 * StartRun's parameters against the workflow's template, as HealthOmics checks them: every
 * non-optional parameter must be given and no undeclared parameter may be.
 */
export function checkRunParameters(template: ParameterTemplate, parameters: unknown, wdlWorkflowName?: string): void {
  const given = parameters === undefined || parameters === null ? {} : parameters;
  if (typeof given !== "object" || Array.isArray(given)) {
    throw new ApiError("ValidationException", "parameters must be a JSON object");
  }
  const names = Object.keys(given).map((n) => declaredName(n, wdlWorkflowName));
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) {
    throw new ApiError("ValidationException", `Parameter(s) given both with and without the workflow name: ${[...new Set(repeated)].join(", ")}`);
  }
  const undeclared = names.filter((n) => !Object.hasOwn(template, n));
  if (undeclared.length > 0) {
    throw new ApiError("ValidationException", `Unexpected parameter(s) not defined in the workflow's parameter template: ${undeclared.join(", ")}`);
  }
  const missing = Object.entries(template)
    .filter(([n, p]) => p.optional !== true && !names.includes(n))
    .map(([n]) => n);
  if (missing.length > 0) {
    throw new ApiError("ValidationException", `Missing required parameter(s): ${missing.join(", ")}`);
  }
}

/**
 * A WDL input may be named fully qualified in the parameters, `<workflow name>.<input>`
 * (https://docs.aws.amazon.com/omics/latest/dev/workflow-languages-wdl.html, "Namespace definition
 * in input.json"); other engines' names are taken as written.
 */
function declaredName(name: string, wdlWorkflowName: string | undefined): string {
  return wdlWorkflowName !== undefined && name.startsWith(`${wdlWorkflowName}.`) ? name.slice(wdlWorkflowName.length + 1) : name;
}

/**
 * `workflowType` must name the workflow's type: READY2RUN workflows need it, and it must not be
 * claimed for a private one.
 */
export function checkWorkflowType(requested: string | undefined, actual: "PRIVATE" | "READY2RUN", workflowId: string): void {
  if (actual === "READY2RUN" && requested !== "READY2RUN") {
    throw new ApiError("ValidationException", `Workflow ${workflowId} is a READY2RUN workflow: workflowType must be READY2RUN`);
  }
  if (requested === "READY2RUN" && actual !== "READY2RUN") {
    throw new ApiError("ValidationException", `Workflow ${workflowId} is not a READY2RUN workflow`);
  }
}
