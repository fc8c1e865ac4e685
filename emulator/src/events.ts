/**
 * EventBridge-shaped "Run Status Change" / "Task Status Change" events, in the shape of AWS's
 * documented examples (../shared/spec/omics/eventbridge-examples.json), and their delivery to a
 * local URL. Best effort like EventBridge: failures are logged and dropped.
 */
import { iso, runArn, runOutputUri, taskArn, type Identity, type RunRecord } from "./records";
import type { Transition } from "./timeline";

/** Where events go: a URL and an optional header (e.g. a shared secret). */
export interface EventsTarget {
  url: string;
  headerName?: string;
  headerValue?: string;
}

/** An EventBridge event envelope. */
export interface OmicsEvent {
  version: "0";
  id: string;
  "detail-type": "Run Status Change" | "Task Status Change";
  source: "aws.omics";
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, string>;
}

/** EventBridge's `time` has second precision (e.g. 2022-10-20T22:07:35Z). */
function eventTime(ms: number): string {
  return iso(ms).replace(/\.\d{3}Z$/, "Z");
}

/** The event for one transition of a run or one of its tasks. */
export function eventFor(identity: Identity, run: RunRecord, transition: Transition): OmicsEvent {
  const arn = runArn(identity, run.id);
  const common = {
    version: "0" as const,
    id: crypto.randomUUID(),
    source: "aws.omics" as const,
    account: identity.accountId,
    time: eventTime(transition.at),
    region: identity.region,
  };
  if (!transition.task) {
    return {
      ...common,
      "detail-type": "Run Status Change",
      resources: [arn],
      detail: {
        omicsVersion: "1.0.0",
        arn,
        status: transition.status,
        uuid: run.uuid,
        runId: run.id,
        ...(run.name ? { runName: run.name } : {}),
        runOutputUri: runOutputUri(run),
        workflowId: run.workflowId,
        workflowName: run.workflowName,
      },
    };
  }
  const id = String(run.taskIdBase + transition.task.index);
  const tArn = taskArn(identity, id);
  return {
    ...common,
    "detail-type": "Task Status Change",
    resources: [tArn],
    detail: {
      omicsVersion: "1.0.0",
      arn: tArn,
      status: transition.status,
      runArn: arn,
      runUuid: run.uuid,
      runId: run.id,
      ...(run.name ? { runName: run.name } : {}),
      workflowId: run.workflowId,
      workflowName: run.workflowName,
    },
  };
}

/** Posts events one request each, in order, without throwing. */
export async function deliver(target: EventsTarget, events: OmicsEvent[]): Promise<void> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (target.headerName && target.headerValue !== undefined) headers[target.headerName] = target.headerValue;
  for (const event of events) {
    try {
      const res = await fetch(target.url, { method: "POST", headers, body: JSON.stringify(event) });
      await res.body?.cancel();
    } catch (error) {
      console.warn(`emulator: event delivery to ${target.url} failed: ${String(error)}`);
    }
  }
}
