/**
 * The HealthOmics API budget: requests per second per operation, sized to the account's quotas
 * (AWS's documented defaults: StartRun about 1 TPS; GetRun, GetRunTask, ListRunTasks, ListRuns,
 * CancelRun, DeleteRun, GetWorkflow about 10 TPS each — check Service Quotas, accounts differ and
 * can be raised), scaled down by a headroom factor, optionally as one bucket shared by all.
 */
import { ConfigError } from "../config";
import type { OmicsOperation } from "../executors/healthomics/client/client";

/** Operations the service calls, each with its own bucket (unless the mode is shared). */
export const BUDGET_OPERATIONS = ["StartRun", "GetRun", "ListRunTasks", "GetRunTask", "CancelRun", "GetWorkflow"] as const;
/** An operation with a budget. */
export type BudgetOperation = (typeof BUDGET_OPERATIONS)[number];

/** Whether `name` is an operation with a budget. */
export function isBudgetOperation(name: string): name is BudgetOperation {
  return (BUDGET_OPERATIONS as readonly string[]).includes(name);
}

/** AWS's documented default quotas (requests per second). */
export const DEFAULT_QUOTAS: Record<BudgetOperation, number> = {
  StartRun: 1,
  GetRun: 10,
  ListRunTasks: 10,
  GetRunTask: 10,
  CancelRun: 10,
  GetWorkflow: 10,
};

/** Budget settings. */
export interface BudgetSettings {
  /** Configured quota per operation (requests/s), before headroom. */
  quotas: Record<BudgetOperation, number>;
  /** Fraction of each quota the service may use (0 < headroom ≤ 1). */
  headroom: number;
  /** `per-operation` buckets, or one `shared` bucket at `sharedQuota` for accounts whose quotas are shared. */
  mode: "per-operation" | "shared";
  sharedQuota: number;
}

/** Parses HEALTHOMICS_QUOTAS ("StartRun=1,GetRun=10,…"), HEALTHOMICS_QUOTA_HEADROOM and HEALTHOMICS_QUOTA_MODE. */
export function budgetSettings(env: Env): BudgetSettings {
  const problems: string[] = [];
  const quotas = { ...DEFAULT_QUOTAS };
  let sharedQuota = 10;
  for (const entry of (env.HEALTHOMICS_QUOTAS ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [name, value] = entry.split("=").map((p) => p.trim());
    const rate = Number(value);
    if (!name || !Number.isFinite(rate) || rate <= 0 || rate > 10_000) {
      problems.push(`HEALTHOMICS_QUOTAS entry '${entry.slice(0, 40)}' must look like Operation=requestsPerSecond`);
    } else if (name === "Shared") {
      sharedQuota = rate;
    } else if ((BUDGET_OPERATIONS as readonly string[]).includes(name)) {
      quotas[name as BudgetOperation] = rate;
    } else {
      problems.push(`HEALTHOMICS_QUOTAS names unknown operation '${name.slice(0, 40)}' (known: ${BUDGET_OPERATIONS.join(", ")}, Shared)`);
    }
  }
  const headroom = Number((env.HEALTHOMICS_QUOTA_HEADROOM ?? "").trim() || "0.8");
  if (!(headroom > 0 && headroom <= 1)) problems.push("HEALTHOMICS_QUOTA_HEADROOM must be a fraction in (0, 1], e.g. 0.8");
  const mode = (env.HEALTHOMICS_QUOTA_MODE ?? "").trim() || "per-operation";
  if (mode !== "per-operation" && mode !== "shared") problems.push("HEALTHOMICS_QUOTA_MODE must be per-operation or shared");
  if (problems.length > 0) throw new ConfigError(problems);
  return { quotas, headroom, mode: mode as BudgetSettings["mode"], sharedQuota };
}

/** The bucket an operation draws from. */
export function bucketOf(settings: BudgetSettings, operation: BudgetOperation | OmicsOperation): string {
  return settings.mode === "shared" ? "Shared" : operation;
}

/** The configured (pre-headroom) rate of a bucket. */
export function quotaOf(settings: BudgetSettings, bucket: string): number {
  if (bucket === "Shared") return settings.sharedQuota;
  return settings.quotas[bucket as BudgetOperation] ?? 10;
}
