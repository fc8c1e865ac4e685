/**
 * Budget arithmetic: slot booking on a rate line, backlog, and AIMD after throttles; and a run's
 * side of the budget (the gate): a held slot is used when its time comes, waited for before, and
 * re-booked (with more tolerance each time, at most MAX_REBOOKS times) when the run woke too late
 * for it; a booking is a due time of the work that asked, so other work's slots are untouched.
 */
import { describe, expect, it } from "vitest";
import { afterThrottle, backlog, book, interval, recoveredFactor, THROTTLE_WINDOW_MS, type Line } from "../../src/budget/gcra";
import { MemoryBudget } from "../../sim/budget";
import { DEFAULT_QUOTAS } from "../../src/budget/budget-config";
import { budgetGate, heldSlotVerdict, LATE_SLOT_MS, lateTolerance, MAX_REBOOKS } from "../../src/executors/healthomics/run/budget-gate";

describe("book", () => {
  it("spaces calls exactly 1/rate apart from an idle line, so no 1-s window holds more than rate + 1", () => {
    const line: Line = { tat: 0 };
    const now = 1_000_000;
    const slots = Array.from({ length: 100 }, () => book(line, now, 10));
    expect(slots[0]).toBe(now);
    for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBeCloseTo(100, 6);
    for (const start of slots) expect(slots.filter((s) => s >= start && s < start + 1000).length).toBeLessThanOrEqual(10 + 1);
  });

  it("an idle line does not bank slots: after a pause the next call is now, the one after 1/rate later", () => {
    const line: Line = { tat: 0 };
    book(line, 0, 4);
    expect(book(line, 60_000, 4)).toBe(60_000);
    expect(book(line, 60_000, 4)).toBe(60_250);
  });
});

describe("backlog", () => {
  it("is how long a new caller would wait, 0 when idle", () => {
    const line: Line = { tat: 0 };
    expect(backlog(line, 5_000)).toBe(0);
    for (let i = 0; i < 10; i++) book(line, 5_000, 2);
    expect(backlog(line, 5_000)).toBe(10 * interval(2));
    expect(backlog(line, 7_000)).toBe(10 * interval(2) - 2_000);
  });
});

describe("AIMD", () => {
  it("halves on a throttle, not below the floor, and counts recovery first", () => {
    expect(afterThrottle(1, 0, 100_000)).toEqual({ factor: 0.5, halvedAt: 100_000 });
    expect(afterThrottle(0.15, 0, THROTTLE_WINDOW_MS).factor).toBeCloseTo(0.1, 10); // (0.15 + 0.05) / 2
    expect(afterThrottle(0.12, 5_000, 5_000 + THROTTLE_WINDOW_MS).factor).toBe(0.1); // the floor
    // 0.15 + 0.05 × 9 periods of 10 s since the last halving, then halved.
    expect(afterThrottle(0.15, 0, 90_000).factor).toBeCloseTo(0.3, 10);
  });

  it("counts throttles within a window of the last halving as one signal", () => {
    const first = afterThrottle(1, 0, 100_000);
    expect(afterThrottle(first.factor, first.halvedAt, 100_000 + THROTTLE_WINDOW_MS - 1)).toEqual(first);
  });

  it("halves once per window while throttles keep coming, however close together", () => {
    let bucket = { factor: 1, halvedAt: 0 };
    for (let t = 100_000; t < 100_000 + 5_000; t += 250) bucket = afterThrottle(bucket.factor, bucket.halvedAt, t);
    // A bunch: 20 throttles over 5 s count as one signal.
    expect(bucket).toEqual({ factor: 0.5, halvedAt: 100_000 });
    for (let t = 105_000; t < 100_000 + 25_000; t += 250) bucket = afterThrottle(bucket.factor, bucket.halvedAt, t);
    // Pressure for 25 s: halved at 0, 10 and 20 s, with one recovery step before each later halving.
    expect(bucket.halvedAt).toBe(120_000);
    expect(bucket.factor).toBeCloseTo(((0.5 + 0.05) / 2 + 0.05) / 2, 10);
  });

  it("recovers additively, 0.05 per 10 s without a throttle, up to 1", () => {
    expect(recoveredFactor(0.5, 0, 9_999)).toBe(0.5);
    expect(recoveredFactor(0.5, 0, 10_000)).toBeCloseTo(0.55, 10);
    expect(recoveredFactor(0.5, 0, 100_000)).toBe(1);
    expect(recoveredFactor(0.5, 0, 10_000_000)).toBe(1);
  });
});

const T = 1_700_000_000_000;

function setup() {
  let now = T;
  const budget = new MemoryBudget({ quotas: { ...DEFAULT_QUOTAS }, headroom: 0.8, mode: "per-operation", sharedQuota: 10 }, () => now);
  return { budget, gate: budgetGate(budget, "run", () => now), at: (t: number) => void (now = t) };
}

describe("budget gate", () => {
  it("calls now on an idle line, and otherwise answers a booked slot 1/rate behind the last", async () => {
    const { gate } = setup();
    expect(await gate.take("GetRun", "normal", 1, undefined)).toEqual({ call: true });
    expect(await gate.take("GetRun", "normal", 1, undefined)).toEqual({ call: false, due: { at: T + 125, booked: true } });
    // Another operation's line is its own.
    expect(await gate.take("ListRunTasks", "normal", 1, undefined)).toEqual({ call: true });
  });

  it("a held slot is waited for, then used without booking again", async () => {
    const { gate, budget, at } = setup();
    expect(await gate.take("GetRun", "normal", 1, { at: T + 2_000, booked: true })).toEqual({ call: false, due: { at: T + 2_000, booked: true } });
    at(T + 2_000);
    expect(await gate.take("GetRun", "normal", 1, { at: T + 2_000, booked: true })).toEqual({ call: true });
    expect(budget.line("GetRun").booked).toBe(0);
  });

  it("woken too late for its slot, a run books a new one, tolerating more each time, then calls anyway", async () => {
    const { gate, budget, at } = setup();
    await budget.book("GetRun", "normal", 10); // the line booked 1.25 s ahead
    expect(heldSlotVerdict({ at: T - LATE_SLOT_MS / 2, booked: true }, T)).toBe("call"); // a little late: call
    const first = await gate.take("GetRun", "normal", 1, { at: T - 5_000, booked: true });
    expect(first).toEqual({ call: false, due: { at: T + 1_250, booked: true, rebooks: 1 } });
    expect(heldSlotVerdict({ at: T - lateTolerance(1) / 2, booked: true, rebooks: 1 }, T)).toBe("call");
    at(T + 20_000);
    expect(heldSlotVerdict({ at: T, booked: true, rebooks: 2 }, T + 20_000)).toBe("rebook"); // later than the third tolerance (16 s)
    expect(await gate.take("GetRun", "normal", 1, { at: T, booked: true, rebooks: 2 })).toEqual({ call: true }); // the idle line's slot is now
    expect(heldSlotVerdict({ at: T, booked: true, rebooks: MAX_REBOOKS }, T + 10 * lateTolerance(MAX_REBOOKS))).toBe("call"); // progress under overload
  });

  it("a quiet call does not book while the line is busy: it is told when to ask again", async () => {
    const { gate, budget } = setup();
    await budget.book("GetRun", "normal", 40); // 5 s ahead
    const answer = await gate.take("GetRun", "quiet", 1, undefined);
    expect(answer).toEqual({ call: false, due: { at: T + 5_000 } });
    expect(budget.line("GetRun").booked).toBe(40);
  });

  it("quiet calls turned away come back spread 1/rate apart, not all at once", async () => {
    const { budget, at } = setup();
    await budget.book("GetRun", "normal", 40); // 5 s ahead
    const comebacks = await Promise.all(Array.from({ length: 5 }, () => budget.book("GetRun", "quiet", 1)));
    expect(comebacks.map((b) => b.booked)).toEqual([false, false, false, false, false]);
    expect(comebacks.map((b) => b.at - T)).toEqual([5_000, 5_125, 5_250, 5_375, 5_500]);
    // Coming back while the line is busy again: when it frees, and the next one a slot later.
    at(T + 5_000);
    await budget.book("GetRun", "normal", 16); // 2 s ahead again
    expect(await budget.book("GetRun", "quiet", 1)).toEqual({ at: T + 7_000, booked: false });
    expect(await budget.book("GetRun", "quiet", 1)).toEqual({ at: T + 7_125, booked: false });
  });

  it("a spare call takes only a slot free now, and books nothing otherwise", async () => {
    const { gate, budget } = setup();
    expect(await gate.spare("GetRunTask")).toBe(true);
    await budget.book("GetRunTask", "normal", 8);
    const booked = budget.line("GetRunTask").booked;
    expect(await gate.spare("GetRunTask")).toBe(false);
    expect(budget.line("GetRunTask").booked).toBe(booked);
  });

  it("books as many slots as a task sync has pages", async () => {
    const { gate, budget } = setup();
    await gate.take("ListRunTasks", "normal", 3, undefined);
    expect(budget.line("ListRunTasks").booked).toBe(3);
  });
});
