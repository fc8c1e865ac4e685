/** The run Durable Object's stored layout: upgraded on read, never dropped. */
import { describe, expect, it } from "vitest";
import { initialState, upgradeState, type RunState, type RunStateV1 } from "../../src/runs/run-state";

const NOW = 1_700_000_000_000;
const POLL_MIN = 10_000;

describe("upgradeState", () => {
  it("returns undefined when nothing is stored", () => {
    expect(upgradeState(undefined, NOW, POLL_MIN)).toBeUndefined();
    expect(upgradeState(null, NOW, POLL_MIN)).toBeUndefined();
  });

  it("keeps a v2 state unchanged", () => {
    const v2: RunState = { ...initialState("run-1", NOW - 5_000, 3_000), phase: "started", omicsRunId: "123", omicsStatus: "RUNNING", attempt: 2, reportedState: "RUNNING" };
    const copy = structuredClone(v2);
    expect(upgradeState(v2, NOW, POLL_MIN)).toEqual(copy);
  });

  it("upgrades a v1 state with the v2 defaults and keeps what v1 knew", () => {
    const v1: RunStateV1 = { version: 1, runId: "run-1", phase: "started", omicsRunId: "123", omicsRunUuid: "uuid-1", omicsStatus: "RUNNING", cancelRequested: true, cancelSent: true };
    expect(upgradeState(v1, NOW, POLL_MIN)).toEqual({
      version: 2,
      runId: "run-1",
      phase: "started",
      omicsRunId: "123",
      omicsRunUuid: "uuid-1",
      omicsStatus: "RUNNING",
      cancelRequested: true,
      cancelSent: true,
      attempt: 0,
      pollIntervalMs: POLL_MIN,
      taskSyncDueAt: NOW,
      taskSyncIntervalMs: POLL_MIN,
      reportedState: "UNKNOWN", // so the next poll writes the real state to D1
      lastChangeAt: NOW,
    });
  });

  it("upgrades a minimal v1 state (no HealthOmics run yet, cancelSent absent)", () => {
    const state = upgradeState({ version: 1, runId: "run-2", phase: "queued", cancelRequested: false }, NOW, POLL_MIN)!;
    expect(state).toMatchObject({ version: 2, runId: "run-2", phase: "queued", cancelRequested: false, cancelSent: false, reportedState: "UNKNOWN" });
    expect(state).not.toHaveProperty("omicsRunId");
    expect(state).not.toHaveProperty("omicsRunUuid");
    expect(state).not.toHaveProperty("omicsStatus");
  });

  it.each([3, 0, "2", undefined])("refuses unknown layout version %j loudly", (version) => {
    expect(() => upgradeState({ version, runId: "r" }, NOW, POLL_MIN)).toThrow(/unknown layout version/);
  });
});

describe("initialState", () => {
  it("starts queued, polling at the minimum, reported QUEUED", () => {
    expect(initialState("run-1", NOW, POLL_MIN)).toEqual({
      version: 2,
      runId: "run-1",
      phase: "queued",
      cancelRequested: false,
      cancelSent: false,
      attempt: 0,
      pollIntervalMs: POLL_MIN,
      taskSyncDueAt: NOW,
      taskSyncIntervalMs: POLL_MIN,
      reportedState: "QUEUED",
      lastChangeAt: NOW,
    });
  });
});
