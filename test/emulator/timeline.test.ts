/** The clock-derived run timeline: phases, tasks, failure with a retried task, cancel, time scale. */
import { describe, expect, it } from "vitest";
import { planFor } from "../../emulator/src/seed";
import { nextTransitionAfter, runStatusAt, schedule, taskStatusAt, transitionsBetween } from "../../emulator/src/timeline";

const T0 = Date.UTC(2026, 0, 1);
const statuses = (s: ReturnType<typeof schedule>) => s.phases.map((p) => p.status);

describe("timeline", () => {
  it("walks PENDING → STARTING → RUNNING → STOPPING → COMPLETED with tasks in between", () => {
    const s = schedule({ plan: planFor("1000001"), createdAt: T0, timeScale: 1 });
    expect(statuses(s)).toEqual(["PENDING", "STARTING", "RUNNING", "STOPPING", "COMPLETED"]);
    expect(runStatusAt(s, T0)).toBe("PENDING");
    expect(runStatusAt(s, s.phases[2]!.at)).toBe("RUNNING");
    expect(runStatusAt(s, s.stopTime)).toBe("COMPLETED");
    expect(s.tasks.length).toBeGreaterThanOrEqual(3);
    expect(s.stopTime - T0).toBeGreaterThanOrEqual(20_000);
    expect(s.stopTime - T0).toBeLessThanOrEqual(40_000);
    for (const t of s.tasks) {
      expect(taskStatusAt(t, t.creationTime - 1)).toBeUndefined();
      expect(taskStatusAt(t, t.creationTime)).toBe("PENDING");
      expect(taskStatusAt(t, t.startTime)).toBe("RUNNING");
      expect(taskStatusAt(t, t.stopTime)).toBe("COMPLETED");
      expect(t.creationTime).toBeGreaterThanOrEqual(s.phases[2]!.at);
      expect(t.stopTime).toBeLessThanOrEqual(s.phases[3]!.at);
    }
    expect(nextTransitionAfter(s, s.stopTime)).toBeUndefined();
  });

  it("keeps workflow 1000002 RUNNING for at least 20 s at scale 1", () => {
    const s = schedule({ plan: planFor("1000002"), createdAt: T0, timeScale: 1 });
    const running = s.phases.find((p) => p.status === "RUNNING")!.at;
    const stopping = s.phases.find((p) => p.status === "STOPPING")!.at;
    expect(stopping - running).toBeGreaterThanOrEqual(20_000);
  });

  it("fails 1000003 with RUN_TASK_FAILED after retrying the failed task under a new attempt", () => {
    const s = schedule({ plan: planFor("1000003"), createdAt: T0, timeScale: 1 });
    expect(s.finalStatus).toBe("FAILED");
    expect(s.failureReason).toBe("RUN_TASK_FAILED");
    expect(s.statusMessage).toBeTruthy();
    const failed = s.tasks.filter((t) => t.finalStatus === "FAILED");
    expect(failed).toHaveLength(2);
    expect(failed[0]!.spec.name).toBe(failed[1]!.spec.name);
    expect(failed[0]!.index).not.toBe(failed[1]!.index);
    expect(failed[1]!.creationTime).toBeGreaterThanOrEqual(failed[0]!.stopTime);
    expect(failed[0]!.statusMessage).toBeTruthy();
  });

  it("fails 1000004 with IMPORT_FAILED before running, without tasks", () => {
    const s = schedule({ plan: planFor("1000004"), createdAt: T0, timeScale: 1 });
    expect(statuses(s)).toEqual(["PENDING", "STARTING", "STOPPING", "FAILED"]);
    expect(s.failureReason).toBe("IMPORT_FAILED");
    expect(s.tasks).toEqual([]);
    expect(s.startTime).toBeUndefined();
  });

  it("cancels a live run: STOPPING at once, CANCELLED shortly after, unfinished tasks CANCELLED", () => {
    const plain = schedule({ plan: planFor("1000002"), createdAt: T0, timeScale: 1 });
    const cancelAt = plain.phases.find((p) => p.status === "RUNNING")!.at + 5000;
    const s = schedule({ plan: planFor("1000002"), createdAt: T0, timeScale: 1, cancelledAt: cancelAt });
    expect(statuses(s)).toEqual(["PENDING", "STARTING", "RUNNING", "STOPPING", "CANCELLED"]);
    expect(runStatusAt(s, cancelAt)).toBe("STOPPING");
    expect(runStatusAt(s, s.stopTime)).toBe("CANCELLED");
    expect(s.stopTime).toBeGreaterThan(cancelAt);
    expect(s.tasks.every((t) => t.creationTime <= cancelAt)).toBe(true);
    expect(s.tasks.filter((t) => t.finalStatus === "CANCELLED").length).toBeGreaterThan(0);
    expect(s.failureReason).toBeUndefined();
  });

  it("cancel while PENDING skips RUNNING", () => {
    const s = schedule({ plan: planFor("1000001"), createdAt: T0, timeScale: 1, cancelledAt: T0 + 10 });
    expect(statuses(s)).toEqual(["PENDING", "STOPPING", "CANCELLED"]);
    expect(s.tasks).toEqual([]);
  });

  it("multiplies every duration by the time scale", () => {
    const one = schedule({ plan: planFor("1000001"), createdAt: T0, timeScale: 1 });
    const fast = schedule({ plan: planFor("1000001"), createdAt: T0, timeScale: 0.05 });
    expect(fast.stopTime - T0).toBeCloseTo((one.stopTime - T0) * 0.05, -1);
    expect(fast.tasks.map((t) => t.spec.name)).toEqual(one.tasks.map((t) => t.spec.name));
  });

  it("lists every transition once, in order, for event delivery", () => {
    const s = schedule({ plan: planFor("1000001"), createdAt: T0, timeScale: 1 });
    const all = transitionsBetween(s, T0 - 1, s.stopTime);
    const run = all.filter((t) => !t.task).map((t) => t.status);
    expect(run).toEqual(["PENDING", "STARTING", "RUNNING", "STOPPING", "COMPLETED"]);
    expect(all.filter((t) => t.task).length).toBe(s.tasks.length * 4);
    const mid = T0 + 15_000;
    expect([...transitionsBetween(s, T0 - 1, mid), ...transitionsBetween(s, mid, s.stopTime)]).toEqual(all);
    for (let i = 1; i < all.length; i++) expect(all[i]!.at).toBeGreaterThanOrEqual(all[i - 1]!.at);
  });
});
