/** What an operation handler gets and returns. */
import type { Identity } from "../records";
import type { Store } from "../store";

/** Dependencies of a handler: storage, identity and the clock. */
export interface OpContext {
  store: Store;
  identity: Identity;
  now: number;
  /** Time scale for runs started now. */
  timeScale: number;
  /** Whether EventBridge events are being sent (runs then track their next transition). */
  eventsEnabled: boolean;
  /** The emulated S3's object store (CreateWorkflow reads `definitionUri` zips from it). */
  objects: R2Bucket;
  /** The "maximum workflows" quota (absent = no limit). */
  maxWorkflows?: number;
}

/** A handler's answer: the JSON body (absent = empty), plus what the request log records. */
export interface OpResult {
  body?: Record<string, unknown>;
  runId?: string;
  requestId?: string;
}

/** Reads an optional string member of a validated input. */
export function str(input: Record<string, unknown>, name: string): string | undefined {
  const v = input[name];
  return typeof v === "string" ? v : undefined;
}

/** Reads an optional integer member of a validated input. */
export function int(input: Record<string, unknown>, name: string): number | undefined {
  const v = input[name];
  return typeof v === "number" ? v : undefined;
}
