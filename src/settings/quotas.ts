/**
 * HEALTHOMICS_QUOTAS: the account's HealthOmics API quotas, `Operation=requestsPerSecond` entries.
 * AWS's documented defaults: StartRun about 1 TPS; GetRun, GetRunTask, ListRunTasks, CancelRun,
 * DeleteRun, GetWorkflow about 10 TPS each (ListWorkflows: assumed 10 TPS, unverified) — check Service Quotas, accounts differ and can be raised.
 */
import type { Problem } from "./values";

/** Operations the service calls, each with its own bucket (unless the mode is shared). */
export const BUDGET_OPERATIONS = [
  "StartRun",
  "GetRun",
  "ListRunTasks",
  "GetRunTask",
  "CancelRun",
  "GetWorkflow",
  "ListWorkflows",
  "CreateWorkflow",
  "DeleteWorkflow",
  // Deleting a run's HealthOmics run (WES_DELETE_HEALTHOMICS_RUNS), as work of its run object.
  "DeleteRun",
] as const;
/** An operation with a budget. */
export type BudgetOperation = (typeof BUDGET_OPERATIONS)[number];

/** AWS's documented default quotas (requests per second). */
export const DEFAULT_QUOTAS: Record<BudgetOperation, number> = {
  StartRun: 1,
  GetRun: 10,
  ListRunTasks: 10,
  GetRunTask: 10,
  CancelRun: 10,
  GetWorkflow: 10,
  ListWorkflows: 10,
  // Registering and retiring submitted workflow files (issue 13). UNVERIFIED: AWS lists per-operation
  // TPS defaults in "HealthOmics API quotas" (https://docs.aws.amazon.com/omics/latest/dev/api-quotas.html,
  // workflow table), which could not be read here; 1/s is the conservative guess (the page gives
  // 1 TPS to the other create/delete operations it shows). Check Service Quotas.
  CreateWorkflow: 1,
  DeleteWorkflow: 1,
  DeleteRun: 10,
};

/** Rate of the single bucket in `shared` mode when HEALTHOMICS_QUOTAS has no `Shared` entry. */
export const DEFAULT_SHARED_QUOTA = 10;
/** Highest rate an entry may name (a typo guard, far above any quota AWS grants). */
const MAX_RATE = 10_000;

/** Parsed quotas: per operation, and the shared bucket's rate. */
export interface Quotas {
  quotas: Record<BudgetOperation, number>;
  sharedQuota: number;
}

/** Reads `Operation=rate` entries over the defaults; operations left out keep theirs. */
export function parseQuotas(text: string, problem: Problem): Quotas {
  const quotas = { ...DEFAULT_QUOTAS };
  let sharedQuota = DEFAULT_SHARED_QUOTA;
  for (const entry of text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [name, value] = entry.split("=").map((p) => p.trim());
    const rate = Number(value);
    if (!name || !Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE) {
      problem(`entry '${entry.slice(0, 40)}' must look like Operation=requestsPerSecond`);
    } else if (name === "Shared") {
      sharedQuota = rate;
    } else if ((BUDGET_OPERATIONS as readonly string[]).includes(name)) {
      quotas[name as BudgetOperation] = rate;
    } else {
      problem(`names unknown operation '${name.slice(0, 40)}' (known: ${BUDGET_OPERATIONS.join(", ")}, Shared)`);
    }
  }
  return { quotas, sharedQuota };
}
