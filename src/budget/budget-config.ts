/**
 * The HealthOmics API budget: requests per second per operation, sized to the account's quotas
 * (AWS's documented defaults: StartRun about 1 TPS; GetRun, GetRunTask, ListRunTasks, ListRuns,
 * CancelRun, DeleteRun, GetWorkflow about 10 TPS each — check Service Quotas, accounts differ and
 * can be raised; ListWorkflows, used by the workflow catalog, is assumed 10 TPS like the other
 * reads: UNVERIFIED), scaled down by a headroom factor, optionally as one bucket shared by all.
 */
import type { OmicsOperation } from "../executors/healthomics/client/client";
import { perEnv, readGroup } from "../settings/read";
import { BUDGET } from "../settings/schema";
import type { BudgetOperation } from "../settings/quotas";

import { BUDGET_OPERATIONS } from "../settings/quotas";

export { BUDGET_OPERATIONS, type BudgetOperation, DEFAULT_QUOTAS } from "../settings/quotas";

/** Whether `name` is an operation with a budget. */
export function isBudgetOperation(name: string): name is BudgetOperation {
  return (BUDGET_OPERATIONS as readonly string[]).includes(name);
}

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

/** Parses HEALTHOMICS_QUOTAS ("StartRun=1,GetRun=10,…"), HEALTHOMICS_QUOTA_HEADROOM and HEALTHOMICS_QUOTA_MODE (src/settings/schema.ts); cached per env object. */
export const budgetSettings = perEnv((env: Env): BudgetSettings => {
  const b = readGroup(BUDGET, env);
  return { ...b.HEALTHOMICS_QUOTAS, headroom: b.HEALTHOMICS_QUOTA_HEADROOM, mode: b.HEALTHOMICS_QUOTA_MODE };
});

/** The bucket an operation draws from. */
export function bucketOf(settings: BudgetSettings, operation: BudgetOperation | OmicsOperation): string {
  return settings.mode === "shared" ? "Shared" : operation;
}

/** The configured (pre-headroom) rate of a bucket. */
export function quotaOf(settings: BudgetSettings, bucket: string): number {
  if (bucket === "Shared") return settings.sharedQuota;
  return settings.quotas[bucket as BudgetOperation] ?? 10;
}
