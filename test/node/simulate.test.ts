/**
 * A small `npm run simulate` (sim/), so the simulator cannot rot: every run finishes, starts
 * exactly once and is never throttled, polling only and with events, and the figures add up.
 */
import { describe, expect, it } from "vitest";
import { figures } from "../../sim/report";
import { simulate } from "../../sim/world";

describe("simulator", () => {
  it.each([false, true])("runs 60 runs to their end (events %s)", async (events) => {
    const result = await simulate({ runs: 60, durationScale: 10, events, seed: 3 });
    const f = figures(result, 60);
    expect(f.finished).toBe(60);
    expect(f.startRunCreated).toBe(60);
    expect(f.operations.StartRun!.calls).toBe(60);
    expect(f.throttles).toBe(0);
    expect(f.eventsDelivered > 0).toBe(events);
    // Every run polled and synced at least once; the finish wrote the final state.
    expect(f.operations.GetRun!.perRun).toBeGreaterThanOrEqual(1);
    expect(f.operations.ListRunTasks!.perRun).toBeGreaterThanOrEqual(1);
    expect(f.d1PerRun.statements).toBeGreaterThanOrEqual(4);
    expect(f.staleness.n).toBe(60 * 3);
    for (const o of Object.values(f.operations)) expect(o.max60sFractionOfQuota).toBeLessThanOrEqual(0.81);
    expect(result.runs.map((r) => r.record?.row.state).filter((s) => s === "QUEUED" || s === "RUNNING")).toEqual([]);
  });

  it("is deterministic for a seed", async () => {
    const a = figures(await simulate({ runs: 20, durationScale: 10, events: true, seed: 9 }), 20);
    const b = figures(await simulate({ runs: 20, durationScale: 10, events: true, seed: 9 }), 20);
    expect(b).toEqual(a);
  });
});
