/** Driving a run's Durable Object alarm by alarm, and reading the run back from D1. */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { database } from "../../src/db/client";
import { insertRun } from "../../src/db/runs";
import type { RunState } from "../../src/executors/healthomics/run/run-state";
import { isFinal } from "../../src/wes/states";
import { storedRequest } from "./api";

/** The run's Durable Object stub. */
export function runStub(runId: string) {
  return env.RUN_OBJECT.get(env.RUN_OBJECT.idFromName(runId));
}

/** The run's row as stored in D1. */
export async function runRow(
  runId: string,
): Promise<{ state: string; system_logs: string; outputs: string; exit_code: number | null; omics_run_id: string | null }> {
  const row = await env.DB.prepare("SELECT state, system_logs, outputs, exit_code, omics_run_id FROM runs WHERE id = ?1")
    .bind(runId)
    .first<{ state: string; system_logs: string; outputs: string; exit_code: number | null; omics_run_id: string | null }>();
  if (!row) throw new Error(`run ${runId} not in D1`);
  return row;
}

/** Waits `ms` of real time (the emulator's timeline runs on the clock). */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Makes every piece of the run's pending work due now (booked slots too), as if its schedule had
 * passed: the test need not wait out poll intervals and backoffs. The emulator's own clock still
 * decides what HealthOmics answers.
 */
export async function hurry(runId: string): Promise<void> {
  await runInDurableObject(runStub(runId), async (_instance, storage) => {
    const state = await storage.storage.get<RunState>("state");
    if (!state?.work || state.phase === "finished") return;
    const now = Date.now();
    const work = Object.fromEntries(Object.entries(state.work).map(([kind, due]) => [kind, { ...due, at: Math.min(due.at, now) }]));
    await storage.storage.put("state", { ...state, work });
  });
}

/**
 * Runs the object's alarms one at a time, each with its work hurried to now, until `done(state)`
 * holds (default: a final WES state), pausing between steps so the emulator's clock-driven
 * timeline moves on.
 */
export async function drive(runId: string, done: (state: string) => boolean = isFinal, timeoutMs = 45_000): Promise<string> {
  const stub = runStub(runId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { state } = await runRow(runId);
    if (done(state)) return state;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${state} after ${timeoutMs} ms`);
    await hurry(runId);
    await runDurableObjectAlarm(stub);
    await pause(100);
  }
}

/** Runs any alarm left so a finished test leaves no pending alarm behind. */
export async function drain(runId: string): Promise<void> {
  const stub = runStub(runId);
  for (let i = 0; i < 50 && (await runDurableObjectAlarm(stub)); i++);
}

/**
 * Waits until a deleted run's object has done its removal work and wiped itself, running its
 * alarm (work hurried to now) whenever none is running on its own; throws after `timeoutMs`.
 */
export async function untilRemoved(runId: string, timeoutMs = 30_000): Promise<void> {
  const stub = runStub(runId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stored = await runInDurableObject(stub, async (_instance, state) => (await state.storage.list()).size);
    if (stored === 0) return;
    if (Date.now() > deadline) throw new Error(`run ${runId}: its object still holds state after ${timeoutMs} ms`);
    await hurry(runId);
    await runDurableObjectAlarm(stub);
    await pause(20);
  }
}

/** Stores a run exactly as POST /runs does, minus the hand-over to its Durable Object. */
export async function storeWithoutHandOver(): Promise<string> {
  const runId = crypto.randomUUID();
  const now = Date.now();
  await insertRun(
    database(env.DB),
    { id: runId, owner: "demo", state: "QUEUED", request: storedRequest("1000001"), tags: {}, createdAt: now, updatedAt: now, requestHash: "test" },
    [],
  );
  return runId;
}
