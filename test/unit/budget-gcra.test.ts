/** Budget arithmetic: slot booking on a rate line, backlog, and AIMD after throttles. */
import { describe, expect, it } from "vitest";
import { backlog, book, burstFor, interval, recoveredFactor, THROTTLE_WINDOW_MS, throttledFactor, type Line } from "../../src/budget/gcra";

describe("book", () => {
  it("spaces calls exactly 1/rate apart from an idle line, so no 1-s window holds more than rate + 1", () => {
    const line: Line = { tat: 0 };
    const now = 1_000_000;
    const slots = Array.from({ length: 100 }, () => book(line, now, 10, burstFor(10)));
    expect(slots[0]).toBe(now);
    for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBeCloseTo(100, 6);
    for (const start of slots) expect(slots.filter((s) => s >= start && s < start + 1000).length).toBeLessThanOrEqual(10 + 1);
  });

  it("an idle line does not bank slots: after a pause the next call is now, the one after 1/rate later", () => {
    const line: Line = { tat: 0 };
    book(line, 0, 4, 1);
    expect(book(line, 60_000, 4, 1)).toBe(60_000);
    expect(book(line, 60_000, 4, 1)).toBe(60_250);
  });

  it("a burst allowance lets that many calls share the first instant", () => {
    const line: Line = { tat: 0 };
    const slots = Array.from({ length: 5 }, () => book(line, 0, 10, 3));
    expect(slots).toEqual([0, 0, 0, 100, 200]);
  });
});

describe("backlog", () => {
  it("is how long a new caller would wait, 0 when idle", () => {
    const line: Line = { tat: 0 };
    expect(backlog(line, 5_000, 2, 1)).toBe(0);
    for (let i = 0; i < 10; i++) book(line, 5_000, 2, 1);
    expect(backlog(line, 5_000, 2, 1)).toBe(10 * interval(2));
    expect(backlog(line, 7_000, 2, 1)).toBe(10 * interval(2) - 2_000);
  });
});

describe("AIMD", () => {
  it("halves on a throttle, not below the floor", () => {
    expect(throttledFactor(1, 0, 100_000)).toBe(0.5);
    expect(throttledFactor(0.15, 0, THROTTLE_WINDOW_MS)).toBe(0.1);
    // Recovery since the last throttle counts first: 0.15 + 0.05 × 9 periods, then halved.
    expect(throttledFactor(0.15, 0, 90_000)).toBeCloseTo(0.3, 10);
  });

  it("counts throttles within one window as one signal", () => {
    const first = throttledFactor(1, 0, 100_000);
    const second = throttledFactor(first, 100_000, 100_000 + THROTTLE_WINDOW_MS - 1);
    expect(second).toBe(0.5);
    expect(throttledFactor(second, 100_000, 100_000 + THROTTLE_WINDOW_MS)).toBe(0.25);
  });

  it("recovers additively, 0.05 per 10 s without a throttle, up to 1", () => {
    expect(recoveredFactor(0.5, 0, 9_999)).toBe(0.5);
    expect(recoveredFactor(0.5, 0, 10_000)).toBeCloseTo(0.55, 10);
    expect(recoveredFactor(0.5, 0, 100_000)).toBe(1);
    expect(recoveredFactor(0.5, 0, 10_000_000)).toBe(1);
  });
});
