/** The real HealthOmics emulator process the workers project talks to (test/setup/emulator-process.ts). */
import { env } from "cloudflare:workers";

/** One entry of GET /__emulator/requests (a contract, docs/emulator.md). */
export interface EmulatorCall {
  operation: string;
  at: string;
  status: number;
  requestId?: string;
  runId?: string;
}

/** Every call the emulator logged that concerns the WES run `wesRunId` (its requestId and its HealthOmics run ids). */
export async function callsFor(wesRunId: string): Promise<EmulatorCall[]> {
  const res = await fetch(`${env.TEST_EMULATOR_URL}/__emulator/requests`);
  const { requests } = (await res.json()) as { requests: EmulatorCall[] };
  const runIds = new Set(requests.filter((r) => r.requestId === wesRunId && r.runId).map((r) => r.runId!));
  return requests.filter((r) => r.requestId === wesRunId || (r.runId !== undefined && runIds.has(r.runId) && r.operation !== "StartRun"));
}

/** Calls of `operation` the emulator received for the WES run. */
export async function countCalls(wesRunId: string, operation: string): Promise<number> {
  return (await callsFor(wesRunId)).filter((c) => c.operation === operation).length;
}

/** Waits (up to 10 s) until the emulator has received `count` calls of `operation` for the WES run. */
export async function untilCalls(wesRunId: string, operation: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await countCalls(wesRunId, operation)) < count) {
    if (Date.now() > deadline) throw new Error(`run ${wesRunId}: fewer than ${count} ${operation} calls after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The distinct HealthOmics runs created for a WES run (must be exactly one once it started). */
export async function omicsRunsFor(wesRunId: string): Promise<string[]> {
  const calls = await callsFor(wesRunId);
  return [...new Set(calls.filter((c) => c.operation === "StartRun" && c.runId).map((c) => c.runId!))];
}

/** A fault rule aimed at one WES run (its requestId), so concurrent tests are not affected. */
export interface FaultRule {
  kind: "throttle" | "error" | "drop" | "latency";
  operation?: string;
  count?: number;
  rate?: number;
  latencyMs?: number;
  afterProcessing?: boolean;
  requestId: string;
}

/** Adds a fault rule to the emulator. */
export async function addFault(rule: FaultRule): Promise<void> {
  const res = await fetch(`${env.TEST_EMULATOR_URL}/__emulator/faults`, {
    method: "POST",
    body: JSON.stringify(rule),
    headers: { "Content-Type": "application/json" },
  });
  if (!res.ok) throw new Error(`adding a fault failed: ${res.status} ${await res.text()}`);
}
