/**
 * Validation of the individual RunRequest fields of POST /runs, shared by the multipart and the
 * JSON body readers. Every failure is a 400 whose message names the field and what is wrong.
 */
import { badRequest } from "../errors";

/** Largest nesting depth accepted in JSON-valued fields (deeper is almost surely hostile). */
export const MAX_JSON_DEPTH = 64;
/** HealthOmics tag limits (TagMap in the API model): the tags are forwarded to StartRun. */
const MAX_TAGS = 48; // HealthOmics allows 50; the service adds wes-run-id and wes-owner

/** Clips user-provided text before it is quoted in an error message. */
export function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Nesting depth of a JSON value, computed without recursion. */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== "object") continue;
    if (depth > max) max = depth;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return max;
}

/** Parses JSON text of a named field, with a clear 400 on syntax errors or absurd nesting. */
export function parseJsonField(field: string, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest(`${field} is not valid JSON.`);
  }
  if (jsonDepth(value) > MAX_JSON_DEPTH) throw badRequest(`${field} is nested more than ${MAX_JSON_DEPTH} levels deep.`);
  return value;
}

/** Requires a JSON object (not an array, string, number or null). */
export function requireObject(field: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    throw badRequest(`${field} must be a JSON object, got ${kind}.`);
  }
  if (jsonDepth(value) > MAX_JSON_DEPTH) throw badRequest(`${field} is nested more than ${MAX_JSON_DEPTH} levels deep.`);
  return value as Record<string, unknown>;
}

/** A required or optional single-line string field with a length cap. */
export function stringField(field: string, value: unknown, options: { required: boolean; max: number }): string | undefined {
  if (value === undefined || value === null || value === "") {
    if (options.required) throw badRequest(`${field} is required.`);
    return undefined;
  }
  if (typeof value !== "string") throw badRequest(`${field} must be a string.`);
  const trimmed = value.trim();
  if (trimmed === "") {
    if (options.required) throw badRequest(`${field} is required.`);
    return undefined;
  }
  if (trimmed.length > options.max) throw badRequest(`${field} is longer than ${options.max} characters.`);
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw badRequest(`${field} contains control characters.`);
  return trimmed;
}

/** Validates `tags`: string values only, within HealthOmics' tag limits (they are forwarded). */
export function validateTags(value: Record<string, unknown>): Record<string, string> {
  const entries = Object.entries(value);
  if (entries.length > MAX_TAGS) throw badRequest(`tags has ${entries.length} entries; at most ${MAX_TAGS} are allowed.`);
  const kept: Array<[string, string]> = [];
  for (const [key, tagValue] of entries) {
    if (typeof tagValue !== "string") {
      throw badRequest(`tags.${clip(key)} must be a string, got ${tagValue === null ? "null" : Array.isArray(tagValue) ? "an array" : typeof tagValue}.`);
    }
    if (key.length < 1 || key.length > 128) throw badRequest(`tags keys must be 1-128 characters long; '${clip(key)}' is not.`);
    if (/^aws:/i.test(key)) throw badRequest(`tags key '${clip(key)}' uses the reserved 'aws:' prefix.`);
    if (tagValue.length > 256) throw badRequest(`tags.${clip(key)} is longer than 256 characters.`);
    kept.push([key, tagValue]);
  }
  // fromEntries defines own properties, so a key like "__proto__" stays a key instead of a prototype.
  return Object.fromEntries(kept);
}

/**
 * Validates an attachment file name: relative, no `..`, no absolute paths or drive letters,
 * no control characters (WES: "implementations should guard against maliciously constructed filenames").
 */
export function attachmentPath(name: string): string {
  const path = name.replace(/\\/g, "/");
  const problem =
    path === ""
      ? "has no file name"
      : path.length > 512
        ? "has a file name longer than 512 characters"
        : /[\u0000-\u001f\u007f]/.test(path)
          ? "has control characters in its file name"
          : path.startsWith("/") || /^[A-Za-z]:/.test(path)
            ? `has an absolute file name '${clip(path)}'`
            : path.split("/").some((segment) => segment === "..")
              ? `has a file name with '..' ('${clip(path)}')`
              : undefined;
  if (problem) throw badRequest(`workflow_attachment ${problem}; names must be relative paths inside the submission.`);
  const normalised = path
    .split("/")
    .filter((segment) => segment !== "" && segment !== ".")
    .join("/");
  if (normalised === "")
    throw badRequest(`workflow_attachment has a file name without a file ('${clip(name)}'); names must be relative paths inside the submission.`);
  return normalised;
}

/**
 * Normalises a `workflow_engine_parameters` object to a string map (numbers and booleans become
 * strings; anything else is a 400).
 */
export function normaliseEngineParameters(value: Record<string, unknown>): Record<string, string> {
  const out: Array<[string, string]> = [];
  for (const [key, raw] of Object.entries(value)) {
    if (typeof raw === "string") out.push([key, raw]);
    else if (typeof raw === "number" && Number.isFinite(raw)) out.push([key, String(raw)]);
    else if (typeof raw === "boolean") out.push([key, String(raw)]);
    else
      throw badRequest(
        `workflow_engine_parameters.${clip(key)} must be a string (numbers and booleans are accepted and turned into strings); got ${raw === null ? "null" : typeof raw}.`,
      );
  }
  // fromEntries keeps a key like "__proto__" as a key, so it is reported as unknown below.
  return Object.fromEntries(out);
}
