/**
 * API rate quotas: one token bucket per operation, refilled at the configured requests per second
 * divided by the time scale (20× faster runs get 20× the rate), holding at most one second's
 * worth of tokens (minimum 1) so that the limit really bites. Calls above it are answered with
 * ThrottlingException. Pure (the clock is passed in); unit-tested in test/emulator/quotas.test.ts.
 */
import type { AnyOperation } from "./services";

/** Per-operation limits in requests per second; null = no limit. */
export type QuotaRates = Record<AnyOperation, number | null>;

/**
 * AWS's documented default HealthOmics API quotas (per account and Region): StartRun 1 TPS;
 * GetRun, GetRunTask, ListRunTasks, ListRuns, CancelRun, DeleteRun, GetWorkflow 10 TPS each.
 * The workflow-management calls are not the subject of tests: generous. CloudWatch Logs
 * GetLogEvents: 25 TPS per account and Region (UNVERIFIED: AWS's quota table could not be read
 * here; docs/emulator.md says so). S3 (3,500 writes / 5,500 reads per second per prefix) and STS
 * are not limited.
 */
export const DEFAULT_QUOTAS: QuotaRates = {
  StartRun: 1,
  GetRun: 10,
  GetRunTask: 10,
  ListRunTasks: 10,
  ListRuns: 10,
  CancelRun: 10,
  DeleteRun: 10,
  GetWorkflow: 10,
  CreateWorkflow: 50,
  ListWorkflows: 50,
  DeleteWorkflow: 50,
  GetLogEvents: 25,
  PutObject: null,
  GetObject: null,
  HeadObject: null,
  DeleteObject: null,
  ListObjectsV2: null,
  HeadBucket: null,
  GetBucketLocation: null,
  AssumeRole: null,
};

/** Quota settings: off entirely, or rates per operation. */
export interface QuotaSettings {
  enabled: boolean;
  rates: QuotaRates;
}

/**
 * Parses EMULATOR_QUOTAS / the `quotas` member of PUT /__emulator/config: "on" or empty = AWS's
 * defaults, "off" (or false) = none, an object = the defaults with these operations overridden
 * (a number of requests per second, or null / "off" for no limit).
 */
export function parseQuotas(value: unknown, base: QuotaSettings = { enabled: true, rates: { ...DEFAULT_QUOTAS } }): QuotaSettings {
  if (value === undefined || value === null || value === "" || value === "on" || value === true) return { enabled: true, rates: { ...base.rates } };
  if (value === "off" || value === false) return { enabled: false, rates: { ...base.rates } };
  let overrides: unknown = value;
  if (typeof value === "string") {
    try {
      overrides = JSON.parse(value);
    } catch {
      throw new Error(`quotas must be "on", "off" or a JSON object of operation → requests per second, got ${value}`);
    }
  }
  if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
    throw new Error('quotas must be "on", "off" or an object of operation → requests per second');
  }
  const rates: QuotaRates = { ...base.rates };
  for (const [op, rate] of Object.entries(overrides as Record<string, unknown>)) {
    if (!(op in DEFAULT_QUOTAS)) throw new Error(`quotas: unknown operation ${op}`);
    if (rate === null || rate === "off") rates[op as AnyOperation] = null;
    else if (typeof rate === "number" && rate > 0 && Number.isFinite(rate)) rates[op as AnyOperation] = rate;
    else throw new Error(`quotas: ${op} must be a positive number of requests per second or null`);
  }
  return { enabled: true, rates };
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Token buckets for every operation. */
export class QuotaLimiter {
  #buckets = new Map<AnyOperation, Bucket>();
  settings: QuotaSettings;
  timeScale: number;

  constructor(settings: QuotaSettings, timeScale: number) {
    this.settings = settings;
    this.timeScale = timeScale;
  }

  /** The rate in force for an operation (configured rate / time scale), or null for none. */
  effectiveRate(operation: AnyOperation): number | null {
    if (!this.settings.enabled) return null;
    const rate = this.settings.rates[operation];
    if (rate === null || rate === undefined) return null;
    return rate / this.timeScale;
  }

  /** Takes a token for one call; false means the call is above the quota (throttle it). */
  take(operation: AnyOperation, now: number): boolean {
    const rate = this.effectiveRate(operation);
    if (rate === null) return true;
    const capacity = Math.max(1, rate);
    const bucket = this.#buckets.get(operation) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate);
    bucket.updatedAt = now;
    this.#buckets.set(operation, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Forgets the buckets (after a settings change). */
  reset(): void {
    this.#buckets.clear();
  }
}
