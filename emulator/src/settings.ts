/**
 * The emulator's settings: Worker vars (emulator/wrangler.toml, `--var`) with runtime overrides
 * from PUT /__emulator/config on top. Overrides are stored with a fingerprint of the vars they
 * were made under, so restarting with different vars starts from the vars again.
 */
import type { EventsTarget } from "./events";
import { parseQuotas, type QuotaSettings } from "./quotas";

/** The vars the emulator reads (all strings, as Worker vars are). */
export interface EmulatorVars {
  EMULATOR_ACCESS_KEY_ID: string;
  EMULATOR_SECRET_ACCESS_KEY: string;
  EMULATOR_REGION: string;
  EMULATOR_ACCOUNT_ID: string;
  EMULATOR_TIME_SCALE: string;
  EMULATOR_QUOTAS?: string;
  EMULATOR_EVENTS_URL?: string;
  EMULATOR_EVENTS_HEADER_NAME?: string;
  EMULATOR_EVENTS_HEADER_VALUE?: string;
  EMULATOR_FAULT_THROTTLE_RATE?: string;
  EMULATOR_FAULT_ERROR_RATE?: string;
  EMULATOR_FAULT_DROP_RATE?: string;
  EMULATOR_FAULT_LATENCY_MS?: string;
  EMULATOR_MAX_WORKFLOWS?: string;
  EMULATOR_S3_BUCKETS?: string;
}

/** Settings in force. */
export interface EmulatorConfig {
  timeScale: number;
  quotas: QuotaSettings;
  events?: EventsTarget;
  /** HealthOmics' "maximum workflows" quota (absent: no limit). */
  maxWorkflows?: number;
  /** The S3 buckets that exist (absent: every validly named bucket). */
  s3Buckets?: string[];
}

/** A maximum number of workflows: a non-negative integer, or null / "" / "off" for none. */
export function parseMaxWorkflows(value: unknown): number | undefined {
  if (value === undefined || value === null || value === "" || value === "off") return undefined;
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new Error(`maxWorkflows must be a non-negative integer or null, got ${String(value)}`);
  return n;
}

/** The existing buckets: "*" (or empty) for every valid name, else a list (an array, or comma-separated text). */
export function parseS3Buckets(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === "" || value === "*") return undefined;
  const list = typeof value === "string" ? value.split(",").map((b) => b.trim()) : value;
  if (!Array.isArray(list) || !list.every((b) => typeof b === "string" && b !== "")) throw new Error('s3Buckets must be "*" or a list of bucket names');
  return list as string[];
}

/** A time scale: a positive finite number. */
export function parseTimeScale(value: unknown): number {
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || n <= 0) throw new Error(`timeScale must be a positive number, got ${String(value)}`);
  return n;
}

/** Settings from vars alone. */
export function configFromVars(vars: EmulatorVars): EmulatorConfig {
  const config: EmulatorConfig = {
    timeScale: parseTimeScale(vars.EMULATOR_TIME_SCALE || "1"),
    quotas: parseQuotas(vars.EMULATOR_QUOTAS),
  };
  const maxWorkflows = parseMaxWorkflows(vars.EMULATOR_MAX_WORKFLOWS);
  if (maxWorkflows !== undefined) config.maxWorkflows = maxWorkflows;
  const buckets = parseS3Buckets(vars.EMULATOR_S3_BUCKETS);
  if (buckets) config.s3Buckets = buckets;
  if (vars.EMULATOR_EVENTS_URL) {
    config.events = { url: vars.EMULATOR_EVENTS_URL };
    if (vars.EMULATOR_EVENTS_HEADER_NAME) {
      config.events.headerName = vars.EMULATOR_EVENTS_HEADER_NAME;
      config.events.headerValue = vars.EMULATOR_EVENTS_HEADER_VALUE ?? "";
    }
  }
  return config;
}

/** Applies a PUT /__emulator/config body: {timeScale?, quotas?, eventsUrl?, eventsHeaderName?, eventsHeaderValue?, maxWorkflows?, s3Buckets?}. */
export function applyConfigPatch(config: EmulatorConfig, patch: unknown): EmulatorConfig {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) throw new Error("body must be a JSON object");
  const p = patch as Record<string, unknown>;
  const known = ["timeScale", "quotas", "eventsUrl", "eventsHeaderName", "eventsHeaderValue", "maxWorkflows", "s3Buckets"];
  const unknown = Object.keys(p).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Error(`unknown setting(s): ${unknown.join(", ")}; known: ${known.join(", ")}`);
  const next: EmulatorConfig = { ...config };
  if (p.timeScale !== undefined) next.timeScale = parseTimeScale(p.timeScale);
  if (p.maxWorkflows !== undefined) {
    delete next.maxWorkflows;
    const max = parseMaxWorkflows(p.maxWorkflows);
    if (max !== undefined) next.maxWorkflows = max;
  }
  if (p.s3Buckets !== undefined) {
    delete next.s3Buckets;
    const buckets = parseS3Buckets(p.s3Buckets);
    if (buckets) next.s3Buckets = buckets;
  }
  if (p.quotas !== undefined) next.quotas = typeof p.quotas === "object" && p.quotas !== null ? parseQuotas(p.quotas, config.quotas) : parseQuotas(p.quotas);
  if (p.eventsUrl !== undefined) {
    if (p.eventsUrl === null || p.eventsUrl === "") delete next.events;
    else if (typeof p.eventsUrl === "string" && /^https?:\/\//.test(p.eventsUrl)) next.events = { url: p.eventsUrl };
    else throw new Error("eventsUrl must be an http(s) URL, or null to stop sending events");
  }
  if (p.eventsHeaderName !== undefined || p.eventsHeaderValue !== undefined) {
    if (!next.events) throw new Error("eventsHeaderName/eventsHeaderValue need an eventsUrl");
    if (typeof p.eventsHeaderName !== "string" || p.eventsHeaderName === "") throw new Error("eventsHeaderName must be a header name");
    next.events = { ...next.events, headerName: p.eventsHeaderName, headerValue: typeof p.eventsHeaderValue === "string" ? p.eventsHeaderValue : "" };
  }
  return next;
}

/** What GET/PUT /__emulator/config answer (the header value is not echoed). */
export function describeConfig(config: EmulatorConfig): Record<string, unknown> {
  return {
    timeScale: config.timeScale,
    quotas: config.quotas.enabled ? config.quotas.rates : "off",
    eventsUrl: config.events?.url ?? null,
    eventsHeaderName: config.events?.headerName ?? null,
    maxWorkflows: config.maxWorkflows ?? null,
    s3Buckets: config.s3Buckets ?? "*",
  };
}
