/**
 * Runs a run's scheduler loop (shell.ts) and its real steps outside the Durable Object: real D1
 * (the test's database), the budget in memory (sim/budget.ts) and a HealthOmics that is a plain
 * function behind the real client's `fetch` option, all on a clock the test moves.
 */
import type { PrefixStore } from "../../src/executors/healthomics/aws/s3-prefix-delete";
import type { OutputReader } from "../../src/executors/healthomics/run/step-context";
import { env } from "cloudflare:workers";
import { MemoryBudget } from "../../sim/budget";
import { DEFAULT_QUOTAS } from "../../src/budget/budget-config";
import { database } from "../../src/db/client";
import { insertRun } from "../../src/db/runs";
import type { EventsSettings } from "../../src/events/events-config";
import type { ExecutorSettings } from "../../src/executor-config";
import { HealthOmicsClient } from "../../src/executors/healthomics/client/client";
import { budgetGate } from "../../src/executors/healthomics/run/budget-gate";
import { d1Store } from "../../src/executors/healthomics/run/d1-store";
import type { News } from "../../src/executors/healthomics/run/news";
import type { RunState } from "../../src/executors/healthomics/run/run-state";
import { RunShell, type RunHost } from "../../src/executors/healthomics/run/shell";
import { storedRequest } from "./api";

/** A HealthOmics call as the fake sees it. */
export interface OmicsCall {
  operation: "StartRun" | "GetRun" | "ListRunTasks" | "GetRunTask" | "CancelRun" | "DeleteRun";
  runId?: string;
  taskId?: string;
  body: Record<string, unknown>;
}

/** The fake's answer: a status and a JSON body (an AWS error when `type` is set), or a dropped connection. */
export type OmicsReply = { status: number; body?: unknown; type?: string } | "drop";

export const SETTINGS: ExecutorSettings = {
  executor: "healthomics",
  region: "us-east-1",
  roleArn: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
  outputPrefix: "s3://wes-test-outputs/",
  endpoint: "http://omics.test",
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  pollMinMs: 10_000,
  pollMaxMs: 300_000,
};

export const EVENTS: EventsSettings = { headerName: "x-wes-events-secret", safetyPollMs: 900_000, activeForMs: 3_600_000 };

function route(method: string, path: string): Pick<OmicsCall, "operation" | "runId" | "taskId"> {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (method === "POST" && parts.length === 1) return { operation: "StartRun" };
  if (method === "POST" && parts[2] === "cancel") return { operation: "CancelRun", runId: parts[1]! };
  if (method === "DELETE" && parts.length === 2) return { operation: "DeleteRun", runId: parts[1]! };
  if (parts.length === 2) return { operation: "GetRun", runId: parts[1]! };
  if (parts.length === 3) return { operation: "ListRunTasks", runId: parts[1]! };
  return { operation: "GetRunTask", runId: parts[1]!, taskId: parts[3]! };
}

/** A run in D1 and a loop around it. `omics` answers every HealthOmics call. */
export async function stepHarness(
  initial: (runId: string, now: number) => RunState,
  omics: (call: OmicsCall, h: { hear: (news: News) => Promise<void>; now: number }) => OmicsReply | Promise<OmicsReply>,
  options: { outputs?: OutputReader; s3?: PrefixStore } = {},
) {
  const runId = crypto.randomUUID();
  let now = Date.now();
  await insertRun(
    database(env.DB),
    { id: runId, owner: "demo", state: "QUEUED", request: storedRequest("1000001"), tags: {}, createdAt: now, updatedAt: now, requestHash: "test" },
    [],
  );
  let stored: RunState | undefined = initial(runId, now);
  let alarm: number | null = null;
  let wiped = false;
  const calls: OmicsCall[] = [];
  const memory = new Map<string, unknown>();
  const budget = new MemoryBudget({ quotas: { ...DEFAULT_QUOTAS }, headroom: 0.8, mode: "per-operation", sharedQuota: 10 }, () => now);
  let shell: RunShell;
  const hear = async (news: News) => void (await shell.hear(news));
  const fetcher = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    const call: OmicsCall = { ...route(request.method, url.pathname), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    calls.push(call);
    const reply = await omics(call, { hear, now });
    if (reply === "drop") throw new TypeError("Network connection lost.");
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (reply.type) headers["x-amzn-ErrorType"] = reply.type;
    return new Response(reply.body === undefined ? (reply.status === 202 ? null : "{}") : JSON.stringify(reply.body), { status: reply.status, headers });
  };
  const client = new HealthOmicsClient({ ...SETTINGS.credentials, region: SETTINGS.region, endpoint: SETTINGS.endpoint, fetch: fetcher as typeof fetch });
  const host: RunHost = {
    load: async () => structuredClone(stored),
    save: async (state) => void (stored = structuredClone(state)),
    getAlarm: async () => alarm,
    setAlarm: async (at) => void (alarm = at ?? null),
    wipe: async () => {
      stored = undefined;
      alarm = null;
      memory.clear();
      wiped = true;
    },
    now: () => now,
    pollMinMs: () => SETTINGS.pollMinMs,
    context: (state, load) => ({
      runId: state.runId,
      store: d1Store(database(env.DB)),
      client,
      settings: SETTINGS,
      events: EVENTS,
      budget: budgetGate(budget, state.runId, () => now),
      tasks: {
        get: async <T>(key: string) => memory.get(key) as T | undefined,
        put: async (entries) => void Object.entries(entries).forEach(([k, v]) => memory.set(k, v)),
      },
      outputs: options.outputs,
      s3: options.s3,
      now: () => now,
      random: () => 0.5,
      load,
      save: host.save,
    }),
  };
  shell = new RunShell(host);
  await shell.schedule(stored);
  return {
    runId,
    shell,
    budget,
    calls,
    hear,
    /** The stored state. */
    state: () => stored!,
    /** Whether the object wiped itself (its removal is done). */
    wiped: () => wiped,
    alarm: () => alarm,
    now: () => now,
    /** Moves the clock to `at` (or by `ms`). */
    advance: (ms: number) => void (now += ms),
    at: (t: number) => void (now = t),
    /** Moves the clock to the alarm and runs it. */
    fire: async () => {
      if (alarm !== null) now = Math.max(now, alarm);
      return await shell.alarm();
    },
  };
}

/** The run row in D1. */
export async function row(runId: string) {
  return (await env.DB.prepare("SELECT state, system_logs, outputs, exit_code, omics_run_id FROM runs WHERE id = ?1").bind(runId).first<{
    state: string;
    system_logs: string;
    outputs: string;
    exit_code: number | null;
    omics_run_id: string | null;
  }>())!;
}
