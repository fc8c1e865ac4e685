/** The alarm schedule: adaptive polling, backoff with jitter. */
import { describe, expect, it } from "vitest";
import { jittered, nextPollInterval, pollIntervalAfter, QUIET_GROWTH, quotaRetryDelay, retryDelay } from "../../src/executors/healthomics/run/schedule";

const MIN = 10_000;
const MAX = 300_000;

describe("pollIntervalAfter", () => {
  const SAFETY = 900_000;

  it("without events: as nextPollInterval (a change brings the minimum back)", () => {
    expect(pollIntervalAfter(MAX, { changed: true, eventsFlowing: false, minMs: MIN, ceilingMs: MAX })).toBe(MIN);
    expect(pollIntervalAfter(MIN, { changed: false, eventsFlowing: false, minMs: MIN, ceilingMs: MAX })).toBe(15_000);
  });

  it("while events flow, a change seen goes straight to the safety net: the next change will be announced", () => {
    expect(pollIntervalAfter(MIN, { changed: true, eventsFlowing: true, minMs: MIN, ceilingMs: SAFETY })).toBe(SAFETY);
    expect(pollIntervalAfter(SAFETY, { changed: true, eventsFlowing: true, minMs: MIN, ceilingMs: SAFETY })).toBe(SAFETY);
  });

  it("while events flow, a poll that cannot confirm its event yet keeps watching from the minimum", () => {
    // The run event set the interval to the minimum; GetRun still shows the old status.
    expect(pollIntervalAfter(MIN, { changed: false, eventsFlowing: true, minMs: MIN, ceilingMs: SAFETY })).toBe(15_000);
    expect(pollIntervalAfter(SAFETY, { changed: false, eventsFlowing: true, minMs: MIN, ceilingMs: SAFETY })).toBe(SAFETY);
  });
});

describe("nextPollInterval", () => {
  it("goes back to the minimum after a change", () => {
    expect(nextPollInterval(MAX, { changed: true, minMs: MIN, maxMs: MAX })).toBe(MIN);
    expect(nextPollInterval(MIN, { changed: true, minMs: MIN, maxMs: MAX })).toBe(MIN);
  });

  it("grows by ×1.5 while nothing changes", () => {
    expect(QUIET_GROWTH).toBe(1.5);
    expect(nextPollInterval(10_000, { changed: false, minMs: MIN, maxMs: MAX })).toBe(15_000);
    expect(nextPollInterval(15_000, { changed: false, minMs: MIN, maxMs: MAX })).toBe(22_500);
  });

  it("never exceeds the maximum", () => {
    expect(nextPollInterval(250_000, { changed: false, minMs: MIN, maxMs: MAX })).toBe(MAX);
    expect(nextPollInterval(MAX, { changed: false, minMs: MIN, maxMs: MAX })).toBe(MAX);
    let interval = MIN;
    for (let i = 0; i < 100; i++) interval = nextPollInterval(interval, { changed: false, minMs: MIN, maxMs: MAX });
    expect(interval).toBe(MAX);
  });

  it("never goes below the minimum (e.g. after the minimum was raised)", () => {
    expect(nextPollInterval(1_000, { changed: false, minMs: MIN, maxMs: MAX })).toBe(MIN);
    expect(nextPollInterval(0, { changed: false, minMs: MIN, maxMs: MAX })).toBe(MIN);
  });

  it("reaches the maximum from the minimum in a handful of quiet polls", () => {
    let interval = MIN;
    let polls = 0;
    while (interval < MAX) {
      interval = nextPollInterval(interval, { changed: false, minMs: MIN, maxMs: MAX });
      polls++;
    }
    expect(polls).toBe(Math.ceil(Math.log(MAX / MIN) / Math.log(1.5)));
  });
});

describe("retryDelay", () => {
  it("is between half the ceiling (random 0) and the ceiling (random 1)", () => {
    expect(retryDelay(0, 1_000, 60_000, 0)).toBe(500);
    expect(retryDelay(0, 1_000, 60_000, 1)).toBe(1_000);
    expect(retryDelay(3, 1_000, 60_000, 0)).toBe(4_000);
    expect(retryDelay(3, 1_000, 60_000, 1)).toBe(8_000);
    expect(retryDelay(3, 1_000, 60_000, 0.5)).toBe(6_000);
  });

  it("grows exponentially with the attempt", () => {
    const delays = [0, 1, 2, 3, 4].map((attempt) => retryDelay(attempt, 1_000, 1_000_000, 1));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it("is capped at the maximum, also for huge attempts", () => {
    for (const attempt of [10, 20, 50, 1_000, Number.MAX_SAFE_INTEGER]) {
      expect(retryDelay(attempt, 1_000, 60_000, 1)).toBe(60_000);
      expect(retryDelay(attempt, 1_000, 60_000, 0)).toBe(30_000);
    }
  });

  it("stays finite for large attempts with a large maximum", () => {
    const delay = retryDelay(10_000, 1_000, Number.MAX_SAFE_INTEGER, 1);
    expect(Number.isFinite(delay)).toBe(true);
    expect(delay).toBe(1_000 * 2 ** 20);
  });

  it("waits between 15 s and 10 min for the run quota", () => {
    expect(quotaRetryDelay(0, 0)).toBe(15_000);
    expect(quotaRetryDelay(0, 1)).toBe(30_000);
    expect(quotaRetryDelay(100, 0)).toBe(300_000);
    expect(quotaRetryDelay(100, 1)).toBe(600_000);
  });
});

describe("jittered", () => {
  it("stays within ±10%", () => {
    expect(jittered(10_000, 0)).toBe(9_000);
    expect(jittered(10_000, 0.5)).toBe(10_000);
    expect(jittered(10_000, 1)).toBe(11_000);
    for (let r = 0; r <= 1; r += 0.05) {
      const value = jittered(60_000, r);
      expect(value).toBeGreaterThanOrEqual(54_000);
      expect(value).toBeLessThanOrEqual(66_000);
    }
  });

  it("returns whole milliseconds and never a negative delay", () => {
    expect(Number.isInteger(jittered(1_234, 0.123))).toBe(true);
    expect(jittered(0, 1)).toBe(0);
    expect(jittered(-100, 0)).toBe(0);
  });
});
