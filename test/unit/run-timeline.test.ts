/**
 * The state timeline read from a run's log lines: the HealthOmics executor reads the lines
 * (src/executors/healthomics/run/state-changes.ts), the WES layer makes the timeline
 * (src/wes/run-overview.ts). Pure.
 */
import { describe, expect, it } from "vitest";
import type { RunRow } from "../../src/db/schema";
import { stateChanges } from "../../src/executors/healthomics/run/state-changes";
import { runOverview, runTimeline as timelineOf } from "../../src/wes/run-overview";

function runTimeline(run: RunRow) {
  return timelineOf(run, stateChanges(run.systemLogs ?? []));
}

function row(overrides: Partial<RunRow>): RunRow {
  return {
    id: "r1",
    owner: "demo",
    state: "QUEUED",
    request: {
      workflow_type: "WDL",
      workflow_type_version: "1.0",
      workflow_url: "healthomics:1",
      workflow_params: {},
      tags: {},
      workflow_engine_parameters: {},
    },
    tags: {},
    createdAt: Date.parse("2026-01-01T00:00:00Z"),
    updatedAt: Date.parse("2026-01-01T00:00:00Z"),
    startTime: null,
    endTime: null,
    runName: null,
    exitCode: null,
    systemLogs: [],
    outputs: {},
    idempotencyKey: null,
    requestHash: "h",
    cancelRequestedAt: null,
    canceledBy: null,
    submittedVia: null,
    omicsRunId: null,
    omicsRunUuid: null,
    omicsRunArn: null,
    omicsStatus: null,
    omicsFailureReason: null,
    omicsStatusMessage: null,
    omicsWorkflowType: null,
    sweptAt: null,
    ...overrides,
  };
}

describe("runTimeline", () => {
  it("reads status changes, merges repeats and ends with the final state", () => {
    const timeline = runTimeline(
      row({
        state: "COMPLETE",
        endTime: "2026-01-01T00:05:00.000Z",
        systemLogs: [
          "2026-01-01T00:00:01.000Z Submitted to AWS HealthOmics as run 2100001 (uuid u, status PENDING).",
          "2026-01-01T00:00:30.000Z HealthOmics status STARTING.",
          "2026-01-01T00:01:00.000Z HealthOmics status RUNNING.",
          "2026-01-01T00:02:00.000Z HealthOmics status STOPPING.",
          "2026-01-01T00:05:00.000Z HealthOmics status COMPLETED; WES state COMPLETE.",
          "2026-01-01T00:06:00.000Z HealthOmics status RUNNING.",
        ],
      }),
    );
    expect(timeline).toEqual([
      { state: "QUEUED", time: "2026-01-01T00:00:00.000Z" },
      { state: "INITIALIZING", time: "2026-01-01T00:00:30.000Z" },
      { state: "RUNNING", time: "2026-01-01T00:01:00.000Z" },
      { state: "COMPLETE", time: "2026-01-01T00:05:00.000Z" },
    ]);
  });

  it("shows a cancel request, and reads the finish line's WES state (failure reasons decide it)", () => {
    const timeline = runTimeline(
      row({
        state: "CANCELED",
        endTime: "2026-01-01T00:03:00.000Z",
        systemLogs: [
          "2026-01-01T00:01:00.000Z HealthOmics status RUNNING.",
          "2026-01-01T00:02:00.000Z Cancel requested by demo.",
          "2026-01-01T00:02:10.000Z HealthOmics status STOPPING.",
          "2026-01-01T00:03:00.000Z HealthOmics status CANCELLED; WES state CANCELED.",
        ],
      }),
    );
    expect(timeline.map((t) => t.state)).toEqual(["QUEUED", "RUNNING", "CANCELING", "CANCELED"]);
    const failed = runTimeline(
      row({
        state: "EXECUTOR_ERROR",
        systemLogs: ["2026-01-01T00:03:00.000Z HealthOmics status FAILED (failure reason RUN_TASK_FAILED); WES state EXECUTOR_ERROR."],
      }),
    );
    expect(failed.map((t) => t.state)).toEqual(["QUEUED", "EXECUTOR_ERROR"]);
  });

  it("ignores lines it cannot read and falls back to the end time (or last update) for the final state", () => {
    const timeline = runTimeline(
      row({ state: "SYSTEM_ERROR", updatedAt: Date.parse("2026-01-01T00:09:00Z"), systemLogs: ["garbage", "not-a-time HealthOmics status RUNNING."] }),
    );
    expect(timeline).toEqual([
      { state: "QUEUED", time: "2026-01-01T00:00:00.000Z" },
      { state: "SYSTEM_ERROR", time: "2026-01-01T00:09:00.000Z" },
    ]);
  });
});

describe("runOverview", () => {
  it("names the owner to admins only", () => {
    expect(runOverview(row({ runName: "n" }), { admin: false })).toMatchObject({ name: "n", submitted_at: "2026-01-01T00:00:00.000Z" });
    expect(runOverview(row({}), { admin: false }).owner).toBeUndefined();
    expect(runOverview(row({}), { admin: true }).owner).toBe("demo");
  });
});
