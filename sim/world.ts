/**
 * The simulator's world: many runs, each driven by the real scheduler loop (shell.ts) and the real
 * steps, against HealthOmics in memory (omics.ts), the budget in memory (budget.ts) and D1 in
 * memory (store.ts), on a virtual clock. No workerd, no HTTP: a step takes no virtual time, so the
 * figures show the scheduling decisions and the budget arithmetic alone.
 */
import type { Transition } from "../emulator/src/timeline";
import { DEFAULT_QUOTAS } from "../src/budget/budget-config";
import type { RunRow } from "../src/db/schema";
import type { EventsSettings } from "../src/events/events-config";
import type { ExecutorSettings } from "../src/executor-config";
import { budgetGate } from "../src/executors/healthomics/run/budget-gate";
import { wantsStartGrant } from "../src/executors/healthomics/run/news";
import { initialState, type RunState } from "../src/executors/healthomics/run/run-state";
import { RunShell, type RunHost } from "../src/executors/healthomics/run/shell";
import type { TaskMemory } from "../src/executors/healthomics/run/step-context";
import { MemoryBudget } from "./budget";
import { Heap } from "./heap";
import { SimOmics, type SimCall, type SimOmicsRun } from "./omics";
import { SimStore } from "./store";

/** A simulation's settings (real seconds and quotas: nothing is scaled). */
export interface WorldOptions {
  runs: number;
  /** Stretch of the emulator's plans (its `emulator:duration-scale` tag). */
  durationScale: number;
  /** Whether HealthOmics events reach the service. */
  events: boolean;
  seed: number;
  /** EventBridge delivery delay: `eventLagMs` plus up to as much again at random. */
  eventLagMs?: number;
  pollMinMs?: number;
  pollMaxMs?: number;
  safetyPollMs?: number;
}

/** Users and workflows as the benchmark's evenPlan: round-robin. */
const USERS = ["alice", "bob", "carol"];
const WORKFLOWS = ["1000001", "1000002", "1000003"];

/** A deterministic random source (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Entry =
  | { at: number; seq: number; kind: "alarm"; run: SimRun; token: number }
  | { at: number; seq: number; kind: "event"; run: SimRun; news: "run" | "task"; status: string }
  | { at: number; seq: number; kind: "dispatch"; token: number };

/** One run: its stored state, its alarm (`token` tells a replaced alarm's queue entry) and its loop. */
class SimRun {
  state: RunState | undefined;
  alarm: number | null = null;
  token = 0;
  readonly memory = new Map<string, unknown>();
  omics: SimOmicsRun | undefined;
  lastEventAt = 0;
  readonly shell: RunShell;

  constructor(
    readonly id: string,
    host: (run: SimRun) => RunHost,
  ) {
    this.shell = new RunShell(host(this));
  }
}

/** What a simulation recorded, for the figures (report.ts). */
export interface WorldResult {
  options: WorldOptions;
  calls: SimCall[];
  runs: { id: string; state: RunState | undefined; omics: SimOmicsRun | undefined; record: ReturnType<SimStore["records"]["get"]> }[];
  /** GetRun slots booked on the budget (to compare with calls made). */
  booked: Record<string, number>;
  events: number;
  virtualSeconds: number;
  steps: number;
}

/** Runs a whole simulation: every run submitted at time 0, until every run is finished. */
export async function simulate(options: WorldOptions): Promise<WorldResult> {
  const random = seeded(options.seed);
  const t0 = Date.UTC(2026, 0, 1);
  let now = t0;
  let seq = 0;
  let steps = 0;
  let events = 0;
  const queue = new Heap<Entry>();
  const calls: SimCall[] = [];
  const settings: ExecutorSettings = {
    executor: "healthomics",
    region: "us-east-1",
    roleArn: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
    outputPrefix: "s3://wes-outputs/",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "simulated" },
    pollMinMs: options.pollMinMs ?? 10_000,
    pollMaxMs: options.pollMaxMs ?? 300_000,
  };
  const eventsSettings: EventsSettings = { headerName: "x-wes-events-secret", safetyPollMs: options.safetyPollMs ?? 900_000, activeForMs: 3_600_000 };
  const lag = options.eventLagMs ?? 100;
  const budget = new MemoryBudget({ quotas: { ...DEFAULT_QUOTAS }, headroom: 0.8, mode: "per-operation", sharedQuota: 10 }, () => now);
  const store = new SimStore(() => now);
  const byId = new Map<string, SimRun>();
  const omics = new SimOmics(
    () => now,
    (call) => {
      calls.push(call);
      if (call.throttled) budget.throttled(call.operation as "GetRun");
    },
    (started, transitions: Transition[]) => {
      const run = byId.get(started.record.requestId)!;
      run.omics = started;
      if (!options.events) return;
      for (const t of transitions) {
        // Each run's events arrive in order, shortly after the transition.
        run.lastEventAt = Math.max(run.lastEventAt, t.at + lag + Math.round(random() * lag));
        queue.push({ at: run.lastEventAt, seq: seq++, kind: "event", run, news: t.task ? "task" : "run", status: t.status });
      }
    },
  );
  let dispatchToken = 0;
  let dispatchAt: number | undefined;
  const armDispatcher = () => {
    if (budget.dispatchAt === undefined || (dispatchAt !== undefined && dispatchAt <= budget.dispatchAt)) return;
    dispatchAt = budget.dispatchAt;
    queue.push({ at: dispatchAt, seq: seq++, kind: "dispatch", token: ++dispatchToken });
  };

  const hostOf = (run: SimRun): RunHost => {
    const tasks: TaskMemory = {
      get: async <T>(key: string) => run.memory.get(key) as T | undefined,
      put: async (entries) => {
        for (const [k, v] of Object.entries(entries)) run.memory.set(k, v);
      },
    };
    const host: RunHost = {
      load: async () => run.state,
      save: async (state) => {
        run.state = state;
      },
      getAlarm: async () => run.alarm,
      setAlarm: async (at) => {
        run.alarm = at ?? null;
        run.token += 1;
        if (at !== undefined) queue.push({ at: Math.max(at, now), seq: seq++, kind: "alarm", run, token: run.token });
      },
      // Simulated runs are never deleted.
      wipe: async () => {
        run.state = undefined;
      },
      now: () => now,
      pollMinMs: () => settings.pollMinMs,
      context: (state, load) => ({
        runId: state.runId,
        store,
        client: omics,
        settings,
        events: eventsSettings,
        budget: budgetGate(budget, state.runId, () => now),
        tasks,
        now: () => now,
        random,
        load,
        save: host.save,
      }),
    };
    return host;
  };

  for (let i = 0; i < options.runs; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    const run = new SimRun(id, hostOf);
    byId.set(id, run);
    const row: RunRow = {
      id,
      owner: USERS[i % USERS.length]!,
      state: "QUEUED",
      request: {
        workflow_type: "WDL",
        workflow_type_version: "1.0",
        workflow_url: `healthomics:${WORKFLOWS[i % WORKFLOWS.length]}`,
        workflow_params: { input_file: "s3://example-bucket/sample.fastq" },
        workflow_engine_parameters: {},
        tags: { "emulator:duration-scale": String(options.durationScale) },
      },
      tags: {},
      createdAt: now,
      updatedAt: now,
      startTime: null,
      endTime: null,
      runName: null,
      exitCode: null,
      systemLogs: [],
      outputs: {},
      idempotencyKey: null,
      requestHash: "simulated",
      cancelRequestedAt: null,
      canceledBy: null,
      omicsRunId: null,
      omicsRunUuid: null,
      omicsRunArn: null,
      omicsStatus: null,
      omicsFailureReason: null,
      omicsStatusMessage: null,
      omicsWorkflowType: null,
      sweptAt: null,
      packageHash: null,
      submittedVia: "basic",
    };
    store.insert(row);
    run.state = initialState(id, now, settings.pollMinMs);
    await run.shell.schedule(run.state);
  }

  for (let entry = queue.pop(); entry; entry = queue.pop()) {
    // An alarm replaced by a later setAlarm, or a dispatcher turn replaced by an earlier one.
    if ((entry.kind === "alarm" && entry.token !== entry.run.token) || (entry.kind === "dispatch" && entry.token !== dispatchToken)) continue;
    now = Math.max(now, entry.at);
    if (entry.kind === "alarm") {
      entry.run.alarm = null;
      steps += 1;
      await entry.run.shell.alarm();
    } else if (entry.kind === "event") {
      events += 1;
      // The events endpoint finds the run by its HealthOmics uuid, known once StartRun was written.
      if (entry.run.state?.omicsRunUuid) {
        await entry.run.shell.hear(entry.news === "run" ? { kind: "run-event", at: now, status: entry.status } : { kind: "task-event", at: now });
      }
    } else {
      dispatchAt = undefined;
      await budget.dispatch(async (runId, slotAt) => {
        const run = byId.get(runId)!;
        if (!run.state || !wantsStartGrant(run.state)) return false;
        await run.shell.hear({ kind: "start-grant", at: now, slotAt });
        return true;
      });
    }
    armDispatcher();
  }

  return {
    options,
    calls,
    runs: [...byId.values()].map((r) => ({ id: r.id, state: r.state, omics: r.omics, record: store.records.get(r.id) })),
    booked: Object.fromEntries([...budget.lines].map(([name, line]) => [name, line.booked])),
    events,
    virtualSeconds: (now - t0) / 1000,
    steps,
  };
}
