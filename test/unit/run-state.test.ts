/** The run Durable Object's stored layout: upgraded on read, never dropped. */
import { describe, expect, it } from "vitest";
import { initialState, upgradeState, type RunState, type RunStateV1 } from "../../src/executors/healthomics/run/run-state";

const NOW = 1_700_000_000_000;
const POLL_MIN = 10_000;

describe("upgradeState", () => {
  it("returns undefined when nothing is stored", () => {
    expect(upgradeState(undefined, NOW, POLL_MIN)).toBeUndefined();
    expect(upgradeState(null, NOW, POLL_MIN)).toBeUndefined();
  });

  it("keeps a v3 state unchanged", () => {
    const v3: RunState = {
      ...initialState("run-1", NOW - 5_000, 3_000),
      phase: "started",
      omicsRunId: "123",
      omicsStatus: "RUNNING",
      attempt: 2,
      reportedState: "RUNNING",
      reservations: { GetRun: { at: NOW + 1_000 }, ListRunTasks: { at: NOW + 2_000, rebooks: 1 } },
    };
    const copy = structuredClone(v3);
    expect(upgradeState(v3, NOW, POLL_MIN)).toEqual(copy);
  });

  it("upgrades a v2 state: its single held slot becomes that operation's, its last event counts for both kinds", () => {
    const { version: _version, ...fields } = {
      ...initialState("run-1", NOW - 5_000, 3_000),
      phase: "started" as const,
      omicsRunId: "123",
      lastEventAt: NOW - 100,
    };
    const v2 = { ...fields, version: 2, reservation: { operation: "GetRun", at: NOW + 4_000, rebooks: 2 } };
    expect(upgradeState(v2, NOW, POLL_MIN)).toEqual({
      ...fields,
      version: 3,
      lastRunEventAt: NOW - 100,
      lastTaskEventAt: NOW - 100,
      reservations: { GetRun: { at: NOW + 4_000, rebooks: 2 } },
    });
    // A start grant's slot survives too (the run must not lose its turn), and a v2 state without a slot holds none.
    const granted = upgradeState({ ...fields, version: 2, startGranted: true, reservation: { operation: "StartRun", at: NOW } }, NOW, POLL_MIN)!;
    expect(granted).toMatchObject({ version: 3, startGranted: true, reservations: { StartRun: { at: NOW } } });
    const plain = upgradeState({ ...fields, version: 2, lastEventAt: undefined }, NOW, POLL_MIN)!;
    expect(plain.version).toBe(3);
    expect(plain).not.toHaveProperty("reservations");
    expect(plain.lastRunEventAt).toBeUndefined();
  });

  it("upgrades a v1 state with the current defaults and keeps what v1 knew", () => {
    const v1: RunStateV1 = {
      version: 1,
      runId: "run-1",
      phase: "started",
      omicsRunId: "123",
      omicsRunUuid: "uuid-1",
      omicsStatus: "RUNNING",
      cancelRequested: true,
      cancelSent: true,
    };
    expect(upgradeState(v1, NOW, POLL_MIN)).toEqual({
      version: 3,
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
    expect(state).toMatchObject({ version: 3, runId: "run-2", phase: "queued", cancelRequested: false, cancelSent: false, reportedState: "UNKNOWN" });
    expect(state).not.toHaveProperty("omicsRunId");
    expect(state).not.toHaveProperty("omicsRunUuid");
    expect(state).not.toHaveProperty("omicsStatus");
  });

  it.each([4, 0, "2", undefined])("refuses unknown layout version %j loudly", (version) => {
    expect(() => upgradeState({ version, runId: "r" }, NOW, POLL_MIN)).toThrow(/unknown layout version/);
  });
});

describe("initialState", () => {
  it("starts queued, polling at the minimum, reported QUEUED", () => {
    expect(initialState("run-1", NOW, POLL_MIN)).toEqual({
      version: 3,
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
