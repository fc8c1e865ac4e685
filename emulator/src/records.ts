/** The persisted records of runs, and the settings every operation reads. */
import type { OutputSpec } from "./definition/types";
import type { OutputLayout } from "./outputs/layout";
import type { RunPlan } from "./timeline";

/** A run as StartRun recorded it; its status is computed from these facts and the clock. */
export interface RunRecord {
  id: string;
  uuid: string;
  requestId: string;
  workflowId: string;
  workflowType: "PRIVATE" | "READY2RUN";
  workflowName: string;
  workflowUuid: string;
  workflowDigest?: string;
  accelerators?: "GPU";
  workflowVersionName?: string;
  workflowOwnerId?: string;
  name?: string;
  roleArn: string;
  outputUri: string;
  parameters?: unknown;
  priority?: number;
  storageCapacity?: number;
  storageType: "STATIC" | "DYNAMIC";
  runGroupId?: string;
  retentionMode: "RETAIN" | "REMOVE";
  cacheId?: string;
  cacheBehavior?: string;
  logLevel?: string;
  networkingMode: string;
  scratchStorageMode?: string;
  engineSettings?: unknown;
  tags: Record<string, string>;
  /** Epoch ms of StartRun. */
  createdAt: number;
  /** The time scale in force at StartRun (later changes do not move existing runs). */
  timeScale: number;
  /** Stretch of this run's plan durations (StartRun tag `emulator:duration-scale`); absent = 1. */
  durationScale?: number;
  cancelledAt?: number;
  /** The workflow's engine (WDL, NEXTFLOW, CWL, WDL_LENIENT). */
  engine?: string;
  /** Where a COMPLETED run's output summary goes (StartRun tag `emulator:output-layout`); absent = run-id. */
  outputLayout?: OutputLayout;
  /** Extra engine log lines (StartRun tag `emulator:log-lines`). */
  logLines?: number;
  /** The workflow's name in its definition and its declared outputs, for the output summary. */
  outputs?: { workflowName: string; specs: OutputSpec[] };
  /** Task ids are taskIdBase + the attempt's index in the plan. */
  taskIdBase: number;
  taskUuids: string[];
  plan: RunPlan;
}

/** Who and where the emulator pretends to be. */
export interface Identity {
  region: string;
  accountId: string;
}

/** RFC 3339 with milliseconds and Z, as HealthOmics timestamps are. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `arn:aws:omics:{region}:{account}:run/{id}`. */
export function runArn(identity: Identity, id: string): string {
  return `arn:aws:omics:${identity.region}:${identity.accountId}:run/${id}`;
}

/** `arn:aws:omics:{region}:{account}:task/{id}` (the EventBridge task event resource). */
export function taskArn(identity: Identity, id: string): string {
  return `arn:aws:omics:${identity.region}:${identity.accountId}:task/${id}`;
}

/** `arn:aws:omics:{region}:{account}:workflow/{id}`. */
export function workflowArn(identity: Identity, id: string): string {
  return `arn:aws:omics:${identity.region}:${identity.accountId}:workflow/${id}`;
}

/** Outputs go to `{outputUri}/{runId}` (the form in AWS's examples, e.g. s3://bucket/run-output/2101313). */
export function runOutputUri(record: Pick<RunRecord, "outputUri" | "id">): string {
  return `${record.outputUri.replace(/\/+$/, "")}/${record.id}`;
}
