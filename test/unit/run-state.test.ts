/** The run Durable Object's stored layout: every older layout is upgraded on read, never dropped. */
import { describe, expect, it } from "vitest";
import { decide } from "../../src/executors/healthomics/run/decide";
import { initialState, type RunState } from "../../src/executors/healthomics/run/run-state";
import { upgradeState, type RunStateV1, type RunStateV3 } from "../../src/executors/healthomics/run/state-upgrade";

const NOW = 1_700_000_000_000;
const POLL_MIN = 10_000;

/** A v3 state as the previous code stored it for a started, RUNNING run. */
function v3(fields: Partial<RunStateV3> = {}): RunStateV3 {
  return {
    version: 3,
    runId: "run-1",
    phase: "started",
    omicsRunId: "2100001",
    omicsRunUuid: "uuid-1",
    omicsRunArn: "arn:aws:omics:us-east-1:123456789012:run/2100001",
    omicsStatus: "RUNNING",
    cancelRequested: false,
    cancelSent: false,
    attempt: 0,
    pollIntervalMs: 30_000,
    nextAt: NOW + 20_000,
    taskSyncDueAt: NOW + 45_000,
    taskSyncIntervalMs: 15_000,
    reportedState: "RUNNING",
    lastChangeAt: NOW - 60_000,
    ...fields,
  };
}

describe("upgradeState", () => {
  it("returns undefined when nothing is stored", () => {
    expect(upgradeState(undefined, NOW, POLL_MIN)).toBeUndefined();
    expect(upgradeState(null, NOW, POLL_MIN)).toBeUndefined();
  });

  it("keeps a v4 state unchanged", () => {
    const v4: RunState = {
      ...initialState("run-1", NOW - 5_000, 3_000),
      phase: "started",
      omicsRunId: "123",
      work: { poll: { at: NOW + 1_000, booked: true } },
    };
    const copy = structuredClone(v4);
    expect(upgradeState(v4, NOW, POLL_MIN)).toEqual(copy);
  });

  it("v3, a quiet RUNNING run: its poll is due when its alarm was set, the rest is kept", () => {
    const { version: _v, nextAt: _n, taskSyncDueAt: _t, ...facts } = v3();
    expect(upgradeState(v3(), NOW, POLL_MIN)).toEqual({ ...facts, version: 5, periodicSyncAt: NOW + 45_000, work: { poll: { at: NOW + 20_000 } } });
  });

  it("v3 holding a poll's slot and a task sync's slot: both stay booked, the sync goes first when its slot comes", () => {
    const state = upgradeState(
      v3({ syncDue: true, nextAt: NOW + 1_000, reservations: { GetRun: { at: NOW + 3_000 }, ListRunTasks: { at: NOW + 1_000, rebooks: 1 } } }),
      NOW,
      POLL_MIN,
    )!;
    expect(state.work).toEqual({ poll: { at: NOW + 3_000, booked: true }, sync: { at: NOW + 1_000, booked: true, rebooks: 1 } });
    expect(decide(state, NOW + 1_000)).toEqual({ step: "sync", alarmAt: NOW + 1_000 });
  });

  it("v3 with a task sync due and no slots: the sync when the alarm fires, the poll one interval later", () => {
    const state = upgradeState(v3({ syncDue: true }), NOW, POLL_MIN)!;
    expect(state.work).toEqual({ sync: { at: NOW + 20_000 }, poll: { at: NOW + 50_000 } });
  });

  it("v3 with a start grant keeps its turn: a booked StartRun slot", () => {
    const granted = v3({ phase: "queued", omicsRunId: undefined, startGranted: true, nextAt: NOW, reservations: { StartRun: { at: NOW - 200 } } });
    const state = upgradeState(granted, NOW, POLL_MIN)!;
    expect(state.work).toEqual({ start: { at: NOW - 200, booked: true } });
    expect(decide(state, NOW)).toEqual({ step: "start", alarmAt: NOW - 200 });
    // Waiting for a grant: the start (re-queue) is due when the safety alarm was set.
    expect(upgradeState(v3({ phase: "queued", nextAt: NOW + 600_000 }), NOW, POLL_MIN)!.work).toEqual({ start: { at: NOW + 600_000 } });
  });

  it("v3 of a run that ended: the last task sync and then the finish step", () => {
    const terminal = { status: "FAILED", failureReason: "RUN_TASK_FAILED", stopTime: "2023-11-14T22:13:20.000Z" };
    const state = upgradeState(v3({ omicsStatus: "FAILED", terminal, syncDue: true, nextAt: NOW }), NOW, POLL_MIN)!;
    expect(state).toMatchObject({ terminal, work: { sync: { at: NOW }, finish: { at: NOW } } });
    expect(state.work.poll).toBeUndefined();
    expect(decide(state, NOW)).toEqual({ step: "sync", alarmAt: NOW });
    expect(decide({ ...state, work: { finish: state.work.finish! } }, NOW)).toEqual({ step: "finish", alarmAt: NOW });
  });

  it("v3 with a cancel pending: CancelRun when the alarm fires, before anything else", () => {
    const state = upgradeState(v3({ cancelRequested: true, cancelRequestedBy: "demo", reportedState: "CANCELING", nextAt: NOW }), NOW, POLL_MIN)!;
    expect(state).toMatchObject({ cancelRequested: true, cancelRequestedBy: "demo", work: { cancel: { at: NOW }, poll: { at: NOW + 30_000 } } });
    expect(decide(state, NOW)).toEqual({ step: "cancel", alarmAt: NOW });
    // A held CancelRun slot stays booked; once CancelRun was accepted nothing is left to cancel.
    expect(upgradeState(v3({ cancelRequested: true, nextAt: NOW, reservations: { CancelRun: { at: NOW + 500 } } }), NOW, POLL_MIN)!.work.cancel).toEqual({
      at: NOW + 500,
      booked: true,
    });
    expect(upgradeState(v3({ cancelRequested: true, cancelSent: true }), NOW, POLL_MIN)!.work.cancel).toBeUndefined();
  });

  it("v3 with a run event's poll pending: the poll stays woken (a task sync does not put it off)", () => {
    expect(upgradeState(v3({ pollDue: true, nextAt: NOW }), NOW, POLL_MIN)!.work).toEqual({ poll: { at: NOW, woken: true } });
    expect(upgradeState(v3({ pollDue: true, reservations: { GetRun: { at: NOW + 700 } } }), NOW, POLL_MIN)!.work).toEqual({
      poll: { at: NOW + 700, booked: true, woken: true },
    });
  });

  it("v3 without an alarm time: due now; finished: no work", () => {
    expect(upgradeState(v3({ nextAt: undefined }), NOW, POLL_MIN)!.work).toEqual({ poll: { at: NOW } });
    expect(upgradeState(v3({ phase: "finished" }), NOW, POLL_MIN)!.work).toEqual({});
  });

  it("v2: its single held slot becomes that operation's, its last event counts for both kinds", () => {
    const { version: _v, ...fields } = v3({ lastEventAt: NOW - 100 });
    const upgraded = upgradeState({ ...fields, version: 2, reservation: { operation: "GetRun", at: NOW + 4_000, rebooks: 2 } }, NOW, POLL_MIN)!;
    expect(upgraded).toMatchObject({
      version: 5,
      lastRunEventAt: NOW - 100,
      lastTaskEventAt: NOW - 100,
      work: { poll: { at: NOW + 4_000, booked: true, rebooks: 2 } },
    });
    const granted = upgradeState(
      { ...fields, phase: "queued", version: 2, startGranted: true, reservation: { operation: "StartRun", at: NOW } },
      NOW,
      POLL_MIN,
    )!;
    expect(granted.work).toEqual({ start: { at: NOW, booked: true } });
    const plain = upgradeState({ ...fields, version: 2, lastEventAt: undefined }, NOW, POLL_MIN)!;
    expect(plain.version).toBe(5);
    expect(plain.lastRunEventAt).toBeUndefined();
  });

  it("v1: the current defaults around what v1 knew, a poll due now", () => {
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
      version: 5,
      runId: "run-1",
      phase: "started",
      omicsRunId: "123",
      omicsRunUuid: "uuid-1",
      omicsStatus: "RUNNING",
      cancelRequested: true,
      cancelSent: true,
      attempt: 0,
      pollIntervalMs: POLL_MIN,
      taskSyncIntervalMs: POLL_MIN,
      periodicSyncAt: NOW,
      reportedState: "UNKNOWN",
      lastChangeAt: NOW,
      work: { poll: { at: NOW } },
    });
  });

  it("v1 without a HealthOmics run yet: its start is due now", () => {
    const state = upgradeState({ version: 1, runId: "run-2", phase: "queued", cancelRequested: false }, NOW, POLL_MIN)!;
    expect(state).toMatchObject({ version: 5, phase: "queued", cancelSent: false, reportedState: "UNKNOWN", work: { start: { at: NOW } } });
    expect(state).not.toHaveProperty("omicsRunId");
  });

  it("v4: the same fields as version 5 (which added the removing phase a v4 state never has)", () => {
    const v4 = { ...initialState("run-4", NOW, POLL_MIN), version: 4, phase: "started", omicsRunId: "77", work: { poll: { at: NOW + 9 } } };
    expect(upgradeState(v4, NOW, POLL_MIN)).toEqual({ ...v4, version: 5 });
  });

  it("v5 is read as stored, a removal included", () => {
    const removing: RunState = {
      ...initialState("run-5", NOW, POLL_MIN),
      phase: "removing",
      removal: { since: NOW, folders: ["s3://b/users/demo/runs/run-5/inputs/"], keys: ["users/demo/runs/run-5/inputs/a"], deleted: 3, gaveUp: [] },
      work: { remove: { at: NOW } },
    };
    expect(upgradeState(structuredClone(removing), NOW, POLL_MIN)).toEqual(removing);
  });

  it.each([6, 0, "2", undefined])("refuses unknown layout version %j loudly", (version) => {
    expect(() => upgradeState({ version, runId: "r" }, NOW, POLL_MIN)).toThrow(/unknown layout version/);
  });
});

describe("initialState", () => {
  it("starts queued with its start due now, polling at the minimum, reported QUEUED", () => {
    expect(initialState("run-1", NOW, POLL_MIN)).toEqual({
      version: 5,
      runId: "run-1",
      phase: "queued",
      cancelRequested: false,
      cancelSent: false,
      attempt: 0,
      pollIntervalMs: POLL_MIN,
      taskSyncIntervalMs: POLL_MIN,
      periodicSyncAt: NOW,
      reportedState: "QUEUED",
      lastChangeAt: NOW,
      work: { start: { at: NOW } },
    });
  });
});
