/**
 * News (a cancel, an event, a start grant) only ever records facts and makes work due earlier,
 * and applying it twice is applying it once. That is what lets the Durable Object replay the news
 * that arrived during a step onto the step's result: per kind of work, the replay is the minimum
 * of the step's own schedule and the news — "earlier" meaning a booked slot first (it is the
 * earliest its call can actually go; a slot already held is kept), then the earlier time.
 */
import { describe, expect, it } from "vitest";
import { applyNews, replayNews, type News } from "../../src/executors/healthomics/run/news";
import { initialState, type Phase, type RunState } from "../../src/executors/healthomics/run/run-state";
import { WORK_KINDS, type Due, type Work } from "../../src/executors/healthomics/run/work";

/** The order news respects: a booked slot before any unbooked due time, then the earlier time. */
function notLater(a: Due, b: Due): boolean {
  if (a.booked !== b.booked) return a.booked === true;
  return a.at <= b.at;
}

const T = 1_700_000_000_000;
const POLL_MIN = 10_000;

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
});
