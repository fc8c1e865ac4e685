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
import { DEFAULT_SIDE_QUOTAS, isSideOperation, SIDE_OPERATIONS, type SideOperation } from "../settings/side-quotas";

import { BUDGET_OPERATIONS } from "../settings/quotas";

export { BUDGET_OPERATIONS, type BudgetOperation, DEFAULT_QUOTAS } from "../settings/quotas";
export { SIDE_OPERATIONS, type SideOperation } from "../settings/side-quotas";

/** A budget line: a HealthOmics operation, or a call to CloudWatch Logs or S3 (always its own line). */
export type BudgetLine = BudgetOperation | SideOperation;

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
  /** CloudWatch Logs and S3 read quotas (requests/s, before headroom): lines of their own in every mode; default AWS's (side-quotas.ts). */
  sideQuotas?: Record<SideOperation, number>;
}

/** Parses HEALTHOMICS_QUOTAS ("StartRun=1,GetRun=10,…"), HEALTHOMICS_QUOTA_HEADROOM and HEALTHOMICS_QUOTA_MODE (src/settings/schema.ts); cached per env object. */
export const budgetSettings = perEnv((env: Env): BudgetSettings => {
  const b = readGroup(BUDGET, env);
  return { ...b.HEALTHOMICS_QUOTAS, headroom: b.HEALTHOMICS_QUOTA_HEADROOM, mode: b.HEALTHOMICS_QUOTA_MODE, sideQuotas: b.AWS_LOGS_S3_QUOTAS };
});

/**
 * The bucket an operation draws from. CloudWatch Logs and S3 have quotas of their own, so their
 * lines stay separate even when HealthOmics' operations share one bucket.
 */
export function bucketOf(settings: BudgetSettings, operation: BudgetLine | OmicsOperation): string {
  if (isSideOperation(operation)) return operation;
  return settings.mode === "shared" ? "Shared" : operation;
}

/** Every bucket the settings give: HealthOmics' (one when shared), then the CloudWatch Logs and S3 lines. */
export function bucketNames(settings: BudgetSettings): string[] {
  return [...(settings.mode === "shared" ? ["Shared"] : Object.keys(settings.quotas)), ...SIDE_OPERATIONS];
}

/** The configured (pre-headroom) rate of a bucket. */
export function quotaOf(settings: BudgetSettings, bucket: string): number {
  if (bucket === "Shared") return settings.sharedQuota;
  if (isSideOperation(bucket)) return settings.sideQuotas?.[bucket] ?? DEFAULT_SIDE_QUOTAS[bucket];
  return settings.quotas[bucket as BudgetOperation] ?? 10;
}
