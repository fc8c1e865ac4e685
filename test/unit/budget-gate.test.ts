/**
 * A run's side of the API budget: a held slot is used when its time comes, waited for before, and
 * re-booked (with more tolerance each time, at most MAX_REBOOKS times) when the run woke too late
 * for it; a booking is a due time of the work that asked, so other work's slots are untouched.
 */
import { describe, expect, it } from "vitest";
import { MemoryBudget } from "../../sim/budget";
import { DEFAULT_QUOTAS } from "../../src/budget/budget-config";
import { budgetGate, heldSlotVerdict, LATE_SLOT_MS, lateTolerance, MAX_REBOOKS } from "../../src/executors/healthomics/run/budget-gate";

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
