/**
 * The simulator's figures, in the benchmark's terms (bench/lib/analyze.mjs, rates.mjs): per
 * operation the busiest 60-s window as a fraction of the quota, throttles, calls per run, D1
 * writes per run, staleness from each HealthOmics transition to the first D1 write that shows it,
 * and the seed plan's 30 s loop on the same timelines (bench/lib/seed-model.mjs).
 */
import { seedOnTimeline, SEED_STALENESS } from "../bench/lib/seed-model.mjs";
import { maxInWindow, round, summary } from "../bench/lib/stats.mjs";
import { runTimeline } from "../emulator/src/run-timeline";
import { DEFAULT_QUOTAS } from "../src/budget/budget-config";
import type { WorldResult } from "./world";

/** HealthOmics operations a run calls. */
export const OPERATIONS = ["StartRun", "GetRun", "ListRunTasks", "GetRunTask", "CancelRun"] as const;
/** Transition statuses whose WES state rank is measured (bench/lib/seed-model.mjs MEASURED). */
const MEASURED: Record<string, number> = { STARTING: 1, RUNNING: 2, COMPLETED: 3, FAILED: 3, CANCELLED: 3 };
/** The headroom the budget keeps below each quota. */
const HEADROOM = 0.8;

/** Figures of one simulated pass. */
export interface Figures {
  runs: number;
  events: boolean;
  finished: number;
  startRunCreated: number;
  durationScale: number;
  virtualHours: number;
  steps: number;
  eventsDelivered: number;
  throttles: number;
  operations: Record<string, { calls: number; perRun: number; throttled: number; max60sFractionOfQuota: number; meanFractionOfQuota: number; booked: number }>;
  callsPerRun: number;
  d1PerRun: { statements: number; rows: number };
  staleness: { p50: number; p95: number; max: number; n: number };
  seed: {
    callsPerRun: number;
    getRunPerRun: number;
    d1PerRun: { statements: number; rows: number };
    getRunFractionOfQuotaAtPeak: number;
    staleness: typeof SEED_STALENESS;
  };
}

/** Computes the figures of a simulation. */
export function figures(result: WorldResult, maxLive: number): Figures {
  const n = result.runs.length;
  const per = (x: number) => round(x / n, 2);
  const operations: Figures["operations"] = {};
  for (const op of OPERATIONS) {
    const mine = result.calls.filter((c) => c.operation === op);
    const quota = DEFAULT_QUOTAS[op];
    operations[op] = {
      calls: mine.length,
      perRun: per(mine.length),
      throttled: mine.filter((c) => c.throttled).length,
      max60sFractionOfQuota: round(
        maxInWindow(
          mine.map((c) => c.at),
          60_000,
        ) /
          60 /
          quota,
        2,
      ),
      meanFractionOfQuota: round(mine.length / result.virtualSeconds / quota, 3),
      booked: op === "StartRun" ? mine.length : (result.booked[op] ?? 0),
    };
  }
  const stale: number[] = [];
  let seedCalls = 0;
  let seedGetRuns = 0;
  const seedD1 = { statements: 0, rows: 0 };
  let statements = 0;
  let rows = 0;
  for (const run of result.runs) {
    statements += run.record?.statements ?? 0;
    rows += run.record?.rows ?? 0;
    if (!run.omics) continue;
    const timeline = runTimeline(run.omics.record, Number.POSITIVE_INFINITY);
    for (const step of timeline.transitions) {
      const rank = MEASURED[step.status];
      const seen = rank === undefined ? undefined : run.record?.firstSeen[rank];
      if (seen !== undefined) stale.push(seen - Date.parse(step.at));
    }
    const seed = seedOnTimeline(timeline, 1);
    seedCalls += seed.calls.StartRun + seed.calls.GetRun;
    seedGetRuns += seed.calls.GetRun;
    seedD1.statements += seed.d1.statements;
    seedD1.rows += seed.d1.rows;
  }
  const s = summary(stale.map((ms) => ms / 1000));
  return {
    runs: n,
    events: result.options.events,
    finished: result.runs.filter((r) => r.state?.phase === "finished").length,
    startRunCreated: result.runs.filter((r) => r.omics).length,
    durationScale: result.options.durationScale,
    virtualHours: round(result.virtualSeconds / 3600, 1),
    steps: result.steps,
    eventsDelivered: result.events,
    throttles: result.calls.filter((c) => c.throttled).length,
    operations,
    callsPerRun: per(result.calls.length),
    d1PerRun: { statements: per(statements), rows: per(rows) },
    staleness: { p50: round(s.p50), p95: round(s.p95), max: round(s.max), n: s.n },
    seed: {
      callsPerRun: per(seedCalls),
      getRunPerRun: per(seedGetRuns),
      d1PerRun: { statements: per(seedD1.statements), rows: per(seedD1.rows) },
      getRunFractionOfQuotaAtPeak: round(maxLive / 30 / DEFAULT_QUOTAS.GetRun, 2),
      staleness: SEED_STALENESS,
    },
  };
}

/** The figures of one or more passes side by side, as a Markdown table. */
export function table(passes: Figures[]): string {
  const head = ["", ...passes.map((p) => (p.events ? "with events" : "polling only")), "seed plan (30 s loop), same timelines"];
  const seed = passes[0]!.seed;
  const op = (name: string, f: (o: Figures["operations"][string]) => string) => [name, ...passes.map((p) => f(p.operations[name.split(" ")[0]!]!)), ""];
  const rows: string[][] = [
    ["runs final / StartRun created", ...passes.map((p) => `${p.finished} / ${p.startRunCreated}`), "—"],
    [
      "ThrottlingException",
      ...passes.map((p) => String(p.throttles)),
      `${Math.round(Math.max(0, 1 - 1 / seed.getRunFractionOfQuotaAtPeak) * 100)} % of its GetRuns at the peak`,
    ],
    ...["StartRun", "GetRun", "ListRunTasks", "GetRunTask"].map((name) =>
      op(`${name} max 60-s window / mean, of quota`, (o) => `${o.max60sFractionOfQuota} / ${o.meanFractionOfQuota}`),
    ),
    [
      "HealthOmics calls per run",
      ...passes.map((p) => `${p.callsPerRun} (${OPERATIONS.map((o) => `${o} ${p.operations[o]!.perRun}`).join(", ")})`),
      `${seed.callsPerRun} (GetRun ${seed.getRunPerRun})`,
    ],
    [
      "D1 writes per run",
      ...passes.map((p) => `${p.d1PerRun.statements} statements, ${p.d1PerRun.rows} rows`),
      `${seed.d1PerRun.statements} statements, ${seed.d1PerRun.rows} rows`,
    ],
    [
      "staleness p50 / p95 / max (s)",
      ...passes.map((p) => `${p.staleness.p50} / ${p.staleness.p95} / ${p.staleness.max}`),
      `${seed.staleness.p50} / ${seed.staleness.p95} / ${seed.staleness.max}, if never throttled`,
    ],
    ["GetRun slots booked / calls made", ...passes.map((p) => `${p.operations.GetRun!.booked} / ${p.operations.GetRun!.calls}`), "—"],
    ["virtual hours, steps, events", ...passes.map((p) => `${p.virtualHours} h, ${p.steps} steps, ${p.eventsDelivered} events`), "—"],
  ];
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}
