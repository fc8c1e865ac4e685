/** Budget arithmetic: slot booking on a rate line, backlog, and AIMD after throttles. */
import { describe, expect, it } from "vitest";
import { afterThrottle, backlog, book, interval, recoveredFactor, THROTTLE_WINDOW_MS, type Line } from "../../src/budget/gcra";

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
