/**
 * The run scheduler's decision as a table: a state (for "during a step" rows, the step's result),
 * the news that arrived, and the time → the step that runs now and when the alarm fires. Every
 * scenario the Durable Object tests and the two regressions of the old flag-based scheduler
 * (3ebec8e, 0fb1a3b) describe is a row here.
 *
 * And the properties of news that make replaying it onto a step's result safe: it only records
 * facts and makes work due earlier, and applying it twice is applying it once, so per kind of work
 * the replay is the minimum of the step's own schedule and the news — "earlier" meaning a booked
 * slot first (it is the earliest its call can actually go; a slot already held is kept), then the
 * earlier time.
 */
import { describe, expect, it } from "vitest";
import { decide } from "../../src/executors/healthomics/run/decide";
import { applyNews, replayNews, type News } from "../../src/executors/healthomics/run/news";
import { initialState, type Phase, type RunState } from "../../src/executors/healthomics/run/run-state";
import { WORK_KINDS, type Due, type Work, type WorkKind } from "../../src/executors/healthomics/run/work";

const T = 1_700_000_000_000;
const POLL_MIN = 10_000;
const SAFETY = 900_000;

/** A started, RUNNING run with the given work (a poll a minute away unless said otherwise). */
function running(work: Work = { poll: { at: T + 60_000 } }, fields: Partial<RunState> = {}): RunState {
  return {
    ...initialState("run", T - 600_000, POLL_MIN),
    phase: "started",
    omicsRunId: "2100001",
    omicsStatus: "RUNNING",
    reportedState: "RUNNING",
    work,
    ...fields,
  };
}

function queued(work: Work, fields: Partial<RunState> = {}): RunState {
  return { ...initialState("run", T - 1_000, POLL_MIN), work, ...fields };
}

const terminal = { status: "COMPLETED" };

interface Row {
  name: string;
  state: RunState;
  news?: News[];
  now?: number;
  step: WorkKind | undefined;
  alarmAt: number | undefined;
}

const rows: Row[] = [
  // Starting.
  { name: "a handed-over run starts at once", state: queued({ start: { at: T } }), step: "start", alarmAt: T },
  {
    name: "a queued run waits for its grant (safety re-queue in 10 min)",
    state: queued({ start: { at: T + 600_000 } }),
    step: undefined,
    alarmAt: T + 600_000,
  },
  {
    name: "a start grant is a booked StartRun slot, due at once",
    state: queued({ start: { at: T + 600_000 } }),
    news: [{ kind: "start-grant", at: T, slotAt: T - 5 }],
    step: "start",
    alarmAt: T,
  },
  {
    name: "a grant for a later slot waits for it",
    state: queued({ start: { at: T + 600_000 } }),
    news: [{ kind: "start-grant", at: T, slotAt: T + 800 }],
    step: undefined,
    alarmAt: T + 800,
  },
  {
    name: "a second grant changes nothing (the first is kept)",
    state: queued({ start: { at: T + 800, booked: true } }),
    news: [{ kind: "start-grant", at: T, slotAt: T }],
    step: undefined,
    alarmAt: T + 800,
  },
  {
    name: "a cancel while StartRun is in doubt waits for the start step (it needs the answer)",
    state: queued({ start: { at: T + 5_000 } }, { phase: "starting" }),
    news: [{ kind: "cancel", at: T, by: "demo" }],
    step: undefined,
    alarmAt: T + 5_000,
  },
  {
    name: "StartRun accepted with a cancel pending: CancelRun next, at once",
    state: running({ poll: { at: T + POLL_MIN } }, { omicsStatus: "PENDING" }),
    news: [{ kind: "cancel", at: T - 100, by: "demo" }],
    step: "cancel",
    alarmAt: T - 100,
  },

  // Preparing (submitted workflow files: register the package, upload attached inputs).
  {
    name: "a package run prepares before it starts (a start entry left beside it waits)",
    state: queued({ prepare: { at: T }, start: { at: T } }),
    step: "prepare",
    alarmAt: T,
  },
  {
    name: "a prepare booked on the CreateWorkflow/GetWorkflow line goes when its slot has come",
    state: queued({ prepare: { at: T - 10, booked: true } }),
    step: "prepare",
    alarmAt: T - 10,
  },
  {
    name: "a prepare waiting for its workflow to become ACTIVE holds a start grant back (exclusive while queued)",
    state: queued({ prepare: { at: T + 3_000 } }),
    news: [{ kind: "start-grant", at: T, slotAt: T }],
    step: undefined,
    alarmAt: T + 3_000,
  },
  {
    name: "a cancel of a queued package run while its prepare is due: the prepare step runs (it ends the run CANCELED, no CancelRun)",
    state: queued({ prepare: { at: T } }),
    news: [{ kind: "cancel", at: T, by: "demo" }],
    step: "prepare",
    alarmAt: T,
  },
  {
    name: "a cancel of a queued package run while its prepare backs off wakes nothing (the object's cancel ends a queued run itself)",
    state: queued({ prepare: { at: T + 3_000 } }),
    news: [{ kind: "cancel", at: T, by: "demo" }],
    step: undefined,
    alarmAt: T + 3_000,
  },
  {
    name: "a stray prepare entry is not ready once StartRun is in doubt: the start step's retry decides",
    state: queued({ prepare: { at: T }, start: { at: T + 5_000 } }, { phase: "starting" }),
    step: undefined,
    alarmAt: T + 5_000,
  },
  {
    name: "a stray prepare entry of a started run is not ready: polls go on",
    state: running({ prepare: { at: T - 1_000 }, poll: { at: T } }),
    step: "poll",
    alarmAt: T,
  },

  // Polling and syncing.
  { name: "a quiet run polls when its poll is due", state: running({ poll: { at: T } }), step: "poll", alarmAt: T },
  { name: "an early alarm does nothing and re-arms", state: running(), step: undefined, alarmAt: T + 60_000 },
  { name: "a sync due goes before a poll due later", state: running({ poll: { at: T + 60_000 }, sync: { at: T } }), step: "sync", alarmAt: T },
  {
    name: "both overdue (a late alarm) and neither booked: the order decides, sync first",
    state: running({ poll: { at: T - 2_000 }, sync: { at: T - 1_000 } }),
    step: "sync",
    alarmAt: T - 2_000,
  },
  {
    name: "3ebec8e: a poll whose booked slot has come goes before a task sync still waiting for its own slot",
    state: running({ poll: { at: T - 10, booked: true }, sync: { at: T + 4_000, booked: true } }),
    step: "poll",
    alarmAt: T - 10,
  },
  {
    name: "3ebec8e: a poll whose booked slot has come goes before a sync not booked yet",
    state: running({ poll: { at: T, booked: true }, sync: { at: T - 500 } }),
    step: "poll",
    alarmAt: T - 500,
  },
  {
    name: "two booked slots that have come: the earlier first",
    state: running({ poll: { at: T - 10, booked: true }, sync: { at: T - 20, booked: true } }),
    step: "sync",
    alarmAt: T - 20,
  },
  {
    name: "a sync waiting for its slot keeps the poll's slot: the alarm is the earlier of the two",
    state: running({ poll: { at: T + 2_000, booked: true }, sync: { at: T + 4_000, booked: true } }),
    step: undefined,
    alarmAt: T + 2_000,
  },

  // Cancelling.
  {
    name: "a cancel goes before everything else, even a booked poll slot that has come",
    state: running({ poll: { at: T, booked: true }, sync: { at: T } }),
    news: [{ kind: "cancel", at: T, by: "demo" }],
    step: "cancel",
    alarmAt: T,
  },
  {
    name: "a CancelRun backing off holds everything back until its retry",
    state: running({ poll: { at: T }, cancel: { at: T + 3_000 } }, { cancelRequested: true }),
    step: undefined,
    alarmAt: T + 3_000,
  },
  {
    name: "once CancelRun was accepted, polls go on",
    state: running({ poll: { at: T } }, { cancelRequested: true, cancelSent: true }),
    step: "poll",
    alarmAt: T,
  },
  {
    name: "a second cancel changes nothing",
    state: running({ poll: { at: T + POLL_MIN } }, { cancelRequested: true, cancelSent: true }),
    news: [{ kind: "cancel", at: T, by: "demo" }],
    step: undefined,
    alarmAt: T + POLL_MIN,
  },

  // Finishing.
  {
    name: "a final status: the last task sync first",
    state: running({ sync: { at: T }, finish: { at: T } }, { omicsStatus: "COMPLETED", terminal }),
    step: "sync",
    alarmAt: T,
  },
  {
    name: "the last sync waiting for its slot holds the finish back",
    state: running({ sync: { at: T + 4_000, booked: true }, finish: { at: T } }, { omicsStatus: "COMPLETED", terminal }),
    step: undefined,
    alarmAt: T + 4_000,
  },
  {
    name: "COMPLETED: the last sync holds the outputs back",
    state: running({ sync: { at: T }, outputs: { at: T }, finish: { at: T } }, { omicsStatus: "COMPLETED", terminal }),
    step: "sync",
    alarmAt: T,
  },
  {
    name: "COMPLETED, after the last sync: the outputs before the finish",
    state: running({ outputs: { at: T }, finish: { at: T } }, { omicsStatus: "COMPLETED", terminal }),
    step: "outputs",
    alarmAt: T,
  },
  {
    name: "outputs waiting for their S3 slot (or a retry) hold the finish back",
    state: running({ outputs: { at: T + 2_000, booked: true }, finish: { at: T } }, { omicsStatus: "COMPLETED", terminal }),
    step: undefined,
    alarmAt: T + 2_000,
  },
  {
    name: "a FAILED run reads no outputs (a stray entry is not ready): finish",
    state: running({ outputs: { at: T }, finish: { at: T } }, { omicsStatus: "FAILED", terminal: { status: "FAILED" } }),
    step: "finish",
    alarmAt: T,
  },
  { name: "after the last sync, finish", state: running({ finish: { at: T } }, { omicsStatus: "COMPLETED", terminal }), step: "finish", alarmAt: T },
  {
    name: "a cancel is moot once a final status was seen",
    state: running({ finish: { at: T } }, { omicsStatus: "COMPLETED", terminal }),
    news: [{ kind: "cancel", at: T, by: "demo" }],
    step: "finish",
    alarmAt: T,
  },
  { name: "a finished run has nothing to do and no alarm", state: { ...running({}), phase: "finished" }, step: undefined, alarmAt: undefined },
  { name: "a live run whose work was lost polls at once (never stranded)", state: running({}), step: "poll", alarmAt: T },

  // Events.
  {
    name: "a run event wakes a quiet run's poll at once",
    state: running({ poll: { at: T + 3_600_000 } }),
    news: [{ kind: "run-event", at: T, status: "STOPPING" }],
    step: "poll",
    alarmAt: T,
  },
  {
    name: "a run event announcing the status the run already shows wakes nothing (duplicate or late)",
    state: running({ poll: { at: T + 3_600_000 } }),
    news: [{ kind: "run-event", at: T, status: "RUNNING" }],
    step: undefined,
    alarmAt: T + 3_600_000,
  },
  {
    name: "a run event leaves a booked poll slot as it is (nothing is earlier)",
    state: running({ poll: { at: T + 2_000, booked: true } }),
    news: [{ kind: "run-event", at: T, status: "STOPPING" }],
    step: undefined,
    alarmAt: T + 2_000,
  },
  {
    name: "a task event wakes a task sync, not a poll",
    state: running({ poll: { at: T + 3_600_000 } }),
    news: [{ kind: "task-event", at: T }],
    step: "sync",
    alarmAt: T,
  },
  {
    name: "a task event of a run not yet seen RUNNING brings its poll forward too",
    state: running({ poll: { at: T + 3_600_000 } }, { omicsStatus: "STARTING" }),
    news: [{ kind: "task-event", at: T }],
    step: "sync",
    alarmAt: T,
  },
  {
    name: "a task event after the final status wakes the last sync only",
    state: running({ finish: { at: T + 100 } }, { omicsStatus: "COMPLETED", terminal }),
    news: [{ kind: "task-event", at: T }],
    step: undefined,
    alarmAt: T + 100,
  },

  // News during a step: the state is the step's result, the news is what came in while it waited.
  {
    name: "0fb1a3b: a run event during GetRun whose answer shows the announced status wakes nothing more",
    state: running({ poll: { at: T + SAFETY } }, { lastEventAt: T - 1_000 }),
    news: [{ kind: "run-event", at: T - 300, status: "RUNNING" }],
    step: undefined,
    alarmAt: T + SAFETY,
  },
  {
    name: "3ebec8e: a run event during a GetRun that saw a change (safety net next) still polls at once",
    state: running({ poll: { at: T + SAFETY }, sync: { at: T } }, { omicsStatus: "STARTING", lastEventAt: T - 1_000 }),
    news: [{ kind: "run-event", at: T - 300, status: "RUNNING" }],
    step: "sync",
    alarmAt: T - 300,
  },
  {
    name: "… and after that sync, the poll the event asked for is still due (a sync re-schedules only ordinary polls)",
    state: running({ poll: { at: T - 300, woken: true } }, { omicsStatus: "STARTING" }),
    step: "poll",
    alarmAt: T - 300,
  },
  {
    name: "a task event during ListRunTasks keeps a task sync due (the listing may predate it)",
    state: running({ poll: { at: T + 60_000 } }),
    news: [{ kind: "task-event", at: T - 200 }],
    step: "sync",
    alarmAt: T - 200,
  },
  {
    name: "a failed poll keeps its own backoff; only news during it counts",
    state: running({ poll: { at: T + 4_000 } }),
    news: [{ kind: "task-event", at: T - 100 }],
    step: "sync",
    alarmAt: T - 100,
  },
  {
    name: "a cancel during GetRun: CancelRun next",
    state: running({ poll: { at: T + 15_000 } }),
    news: [{ kind: "cancel", at: T - 50, by: "demo" }],
    step: "cancel",
    alarmAt: T - 50,
  },
  {
    name: "a start grant during the start step that was refused for quota: the grant is used after all",
    state: queued({ start: { at: T + 30_000 } }),
    news: [{ kind: "start-grant", at: T - 10, slotAt: T - 10 }],
    step: "start",
    alarmAt: T - 10,
  },
  // Deletion (step-remove.ts): the removal holds everything else back; news wakes nothing.
  {
    name: "a run being deleted removes, whatever else it had pending, and news changes nothing",
    state: { ...running({ remove: { at: T }, poll: { at: T - 5_000, booked: true }, sync: { at: T - 1 } }), phase: "removing" },
    news: [
      { kind: "run-event", at: T - 10, status: "COMPLETED" },
      { kind: "cancel", at: T - 10, by: "demo" },
    ],
    step: "remove",
    alarmAt: T,
  },
  {
    name: "a removal waits for its booked S3 slot",
    state: { ...running({ remove: { at: T + 400, booked: true } }), phase: "removing" },
    step: undefined,
    alarmAt: T + 400,
  },
  {
    name: "a removal backing off after a failure waits, and the alarm is set for it",
    state: { ...running({ remove: { at: T + 20_000 } }), phase: "removing" },
    step: undefined,
    alarmAt: T + 20_000,
  },
  {
    name: "a removing run whose removal entry was lost removes now (a deletion is never stranded)",
    state: { ...running({}), phase: "removing" },
    step: "remove",
    alarmAt: T,
  },
  {
    name: "removal work left on a live run (never written so) does not run: only a removing run removes",
    state: running({ remove: { at: T - 1 }, poll: { at: T } }),
    step: "poll",
    alarmAt: T,
  },
];

describe("decide", () => {
  it.each(rows)("$name", ({ state, news = [], now = T, step, alarmAt }) => {
    const decided = decide(replayNews(state, news, POLL_MIN), now);
    expect(decided).toEqual(step === undefined ? (alarmAt === undefined ? {} : { alarmAt }) : { step, alarmAt });
  });

  it("never leaves a live run without an alarm", () => {
    for (const row of rows) {
      const state = replayNews(row.state, row.news ?? [], POLL_MIN);
      if (state.phase !== "finished") expect(decide(state, T).alarmAt, row.name).toBeTypeOf("number");
    }
  });
});

/** The order news respects: a booked slot before any unbooked due time, then the earlier time. */
function notLater(a: Due, b: Due): boolean {
  if (a.booked !== b.booked) return a.booked === true;
  return a.at <= b.at;
}

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function generator(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <V>(values: readonly V[]): V => values[Math.floor(next() * values.length)]!;
  return { next, pick };
}

function randomState(seed: number): RunState {
  const g = generator(seed);
  const phase = g.pick<Phase>(["queued", "starting", "started", "started", "started", "finished"]);
  const work: Work = {};
  for (const kind of WORK_KINDS) {
    if (g.next() < 0.5) continue;
    const due: Due = { at: T + Math.round((g.next() - 0.3) * 100_000) };
    if (g.next() < 0.3) due.booked = true;
    if (g.next() < 0.2) due.woken = true;
    work[kind] = due;
  }
  const state: RunState = {
    ...initialState("run", T - 60_000, POLL_MIN),
    phase,
    omicsStatus: g.pick([undefined, "PENDING", "STARTING", "RUNNING", "COMPLETED"]),
    cancelRequested: g.next() < 0.3,
    cancelSent: g.next() < 0.2,
    pollIntervalMs: g.pick([POLL_MIN, 60_000, 300_000]),
    work: phase === "finished" ? {} : work,
  };
  if (state.omicsStatus === "COMPLETED") state.terminal = { status: "COMPLETED" };
  return state;
}

function randomNews(seed: number): News {
  const g = generator(seed * 7919);
  const at = T + Math.round((g.next() - 0.5) * 20_000);
  return g.pick<News>([
    { kind: "cancel", at, by: "demo" },
    { kind: "run-event", at, status: g.pick([undefined, "STARTING", "RUNNING", "STOPPING", "COMPLETED"]) },
    { kind: "task-event", at },
    { kind: "start-grant", at, slotAt: at + Math.round(g.next() * 2_000) },
  ]);
}

const SEEDS = Array.from({ length: 400 }, (_, i) => i + 1);

describe("news", () => {
  it("only lowers due times, never moves a booked slot, and never removes work", () => {
    for (const seed of SEEDS) {
      const state = randomState(seed);
      const news = randomNews(seed);
      const after = applyNews(state, news, POLL_MIN);
      for (const kind of WORK_KINDS) {
        const before = state.work[kind];
        const now = after.work[kind];
        if (!before) continue;
        expect(now, `seed ${seed} ${news.kind} removed ${kind}`).toBeDefined();
        expect(notLater(now!, before), `seed ${seed} ${news.kind} put ${kind} off`).toBe(true);
        if (before.booked) expect(now!.at, `seed ${seed}: a booked ${kind} slot moved`).toBe(before.at);
      }
      expect(after.pollIntervalMs).toBeLessThanOrEqual(state.pollIntervalMs);
    }
  });

  it("applied twice is applied once", () => {
    for (const seed of SEEDS) {
      const once = applyNews(randomState(seed), randomNews(seed), POLL_MIN);
      expect(applyNews(once, randomNews(seed), POLL_MIN), `seed ${seed}`).toEqual(once);
    }
  });

  it("leaves the state it is given as it was", () => {
    for (const seed of SEEDS.slice(0, 50)) {
      const state = randomState(seed);
      const copy = structuredClone(state);
      applyNews(state, randomNews(seed), POLL_MIN);
      expect(state).toEqual(copy);
    }
  });

  it("replayed onto a step's result, each work's due time is the minimum of the step's and the news's", () => {
    for (const seed of SEEDS) {
      // The step's result, and the same run as the news alone would have left it (the stored state).
      const result = randomState(seed);
      const news = [randomNews(seed), randomNews(seed + 1000)];
      const replayed = replayNews(result, news, POLL_MIN);
      const newsOnly = replayNews({ ...result, work: {} }, news, POLL_MIN);
      for (const kind of WORK_KINDS) {
        const own = result.work[kind];
        const wanted = newsOnly.work[kind];
        // A slot the step booked stays (a run holds one slot per work); otherwise the earlier.
        const expected = own && wanted ? (own.booked || notLater(own, wanted) ? own : wanted) : (own ?? wanted);
        expect(replayed.work[kind]?.at, `seed ${seed} ${kind}`).toBe(expected?.at);
        expect(replayed.work[kind]?.booked, `seed ${seed} ${kind}`).toBe(expected?.booked);
      }
    }
  });

  it("a finished run hears nothing", () => {
    const finished: RunState = { ...initialState("run", T, POLL_MIN), phase: "finished", work: {} };
    for (const seed of SEEDS.slice(0, 20)) expect(applyNews(finished, randomNews(seed), POLL_MIN)).toBe(finished);
  });

  it("a run being deleted hears nothing", () => {
    const removing: RunState = { ...initialState("run", T, POLL_MIN), phase: "removing", work: { remove: { at: T + 1_000 } } };
    for (const seed of SEEDS.slice(0, 20)) expect(applyNews(removing, randomNews(seed), POLL_MIN)).toBe(removing);
  });
});
