/**
 * The filters of GET /runs (and of the run overview list), in the spirit of GA4GH WES proposal
 * #213: `state` (repeatable, any of them), `tag=<key>:<value>` (repeatable, all of them; split
 * at the first `:`), `tag_key=`/`tag_value=` pairs for keys that contain `:`, and `name` (the
 * requested run name, exact). Pure: parsing, validation and a canonical text form that page
 * tokens carry, so a token keeps its filters and a token with other filters is refused.
 */
import { badRequest } from "../errors";
import { WES_STATES, type WesState } from "./states";

/** Parsed filters; empty lists mean "no filter". */
export interface RunFilters {
  /** Runs in any of these states (sorted, no duplicates). */
  states: WesState[];
  /** Runs carrying every one of these tags (sorted by key, then value; no duplicates). */
  tags: Array<[key: string, value: string]>;
  /** Runs with exactly this name (`workflow_engine_parameters.name`, the HealthOmics run name). */
  name?: string;
}

/** Query parameters the filters read. */
export const FILTER_PARAMS = ["state", "tag", "tag_key", "tag_value", "name"] as const;

/** At most this many tag filters per request (each is one index lookup per candidate run). */
export const MAX_TAG_FILTERS = 10;

/** Reads repeated query parameters (Hono's `c.req.queries(name)`). */
export type QueryReader = (name: string) => string[] | undefined;

const KNOWN_STATES = new Set<string>(WES_STATES);

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function checkTag(key: string, value: string, how: string): [string, string] {
  // The submission limits (submission-fields.ts): a longer key or value cannot match any run.
  if (key.length < 1 || key.length > 128) throw badRequest(`${how}: tag keys are 1-128 characters long; '${clip(key)}' is not.`);
  if (value.length > 256) throw badRequest(`${how}: tag values are at most 256 characters long.`);
  return [key, value];
}

/** Whether the request names any filter at all. */
export function hasFilterParams(read: QueryReader): boolean {
  return FILTER_PARAMS.some((name) => (read(name) ?? []).length > 0);
}

/** Parses and validates the filters of a request; any problem is a 400 that says how to write it. */
export function parseRunFilters(read: QueryReader): RunFilters {
  const states = new Set<WesState>();
  for (const state of read("state") ?? []) {
    const upper = state.trim().toUpperCase();
    if (!KNOWN_STATES.has(upper)) throw badRequest(`state '${clip(state)}' is not a WES state; use one of ${WES_STATES.join(", ")}.`);
    states.add(upper as WesState);
  }
  const tags = new Map<string, string>();
  const add = ([key, value]: [string, string], how: string) => {
    const earlier = tags.get(key);
    if (earlier !== undefined && earlier !== value) throw badRequest(`${how}: tag '${clip(key)}' is filtered twice with different values; no run can match.`);
    tags.set(key, value);
  };
  for (const tag of read("tag") ?? []) {
    const at = tag.indexOf(":");
    if (at < 0) {
      throw badRequest(`tag '${clip(tag)}' must be <key>:<value> (split at the first ':'); for a key that contains ':', send tag_key=<key>&tag_value=<value>.`);
    }
    add(checkTag(tag.slice(0, at), tag.slice(at + 1), "tag"), "tag");
  }
  const keys = read("tag_key") ?? [];
  const values = read("tag_value") ?? [];
  if (keys.length !== values.length) {
    throw badRequest(
      `tag_key and tag_value come in pairs (the n-th tag_value goes with the n-th tag_key); got ${keys.length} tag_key and ${values.length} tag_value.`,
    );
  }
  for (const [i, key] of keys.entries()) add(checkTag(key, values[i]!, "tag_key/tag_value"), "tag_key/tag_value");
  if (tags.size > MAX_TAG_FILTERS) throw badRequest(`At most ${MAX_TAG_FILTERS} tag filters are allowed; got ${tags.size}.`);
  const names = read("name") ?? [];
  if (names.length > 1) throw badRequest("name may be given once.");
  const name = names[0];
  if (name !== undefined && (name.length < 1 || name.length > 128)) throw badRequest("name must be 1-128 characters long (the run name, matched exactly).");
  return {
    states: [...states].sort(),
    tags: [...tags.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ...(name !== undefined ? { name } : {}),
  };
}

/** A stable text form of the filters (equal filters give equal text), carried by page tokens. */
export function canonicalFilters(filters: RunFilters): string {
  return JSON.stringify([filters.states, filters.tags, filters.name ?? null]);
}

/** The filters of a canonical text (from a verified page token); undefined when it is not one. */
export function filtersFromCanonical(text: string): RunFilters | undefined {
  try {
    const [states, tags, name] = JSON.parse(text) as [unknown, unknown, unknown];
    const stringPair = (p: unknown): p is [string, string] => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === "string");
    if (!Array.isArray(states) || !states.every((s) => typeof s === "string" && KNOWN_STATES.has(s))) return undefined;
    if (!Array.isArray(tags) || !tags.every(stringPair)) return undefined;
    if (name !== null && typeof name !== "string") return undefined;
    return { states: states as WesState[], tags: tags as Array<[string, string]>, ...(typeof name === "string" ? { name } : {}) };
  } catch {
    return undefined;
  }
}

/** True when no filter is set. */
export function isUnfiltered(filters: RunFilters): boolean {
  return filters.states.length === 0 && filters.tags.length === 0 && filters.name === undefined;
}
