/** HealthOmics run status → WES state, as design.md §3 "State mapping" tables it. */
import { describe, expect, it } from "vitest";
import { OMICS_FINAL, WORKFLOW_FAILURE_REASONS, wesStateFor } from "../../src/executors/healthomics/run/status-map";
import { isFinal } from "../../src/wes/states";

const EXECUTOR_REASONS = ["RUN_TASK_FAILED", "WORKFLOW_RUN_FAILED", "OUT_OF_MEMORY_ERROR", "FILE_SYSTEM_OUT_OF_SPACE", "TASK_TIMED_OUT", "RUN_TIMED_OUT"];

describe("wesStateFor without a cancel request", () => {
  it.each([
    ["PENDING", "QUEUED"],
    ["STARTING", "INITIALIZING"],
    ["RUNNING", "RUNNING"],
    ["STOPPING", "RUNNING"],
    ["COMPLETED", "COMPLETE"],
    ["CANCELLED", "CANCELED"],
  ])("%s → %s", (status, state) => {
    expect(wesStateFor(status)).toBe(state);
  });

  it.each(EXECUTOR_REASONS)("FAILED with %s → EXECUTOR_ERROR (the workflow itself failed)", (reason) => {
    expect(wesStateFor("FAILED", { failureReason: reason })).toBe("EXECUTOR_ERROR");
  });

  it("the EXECUTOR_ERROR set is exactly design.md's", () => {
    expect([...WORKFLOW_FAILURE_REASONS].sort()).toEqual([...EXECUTOR_REASONS].sort());
  });

  it.each([
    "IMPORT_FAILED",
    "SERVICE_ERROR",
    "UNAUTHORIZED_ACCESS",
    "ECR_PERMISSION_ERROR",
    "OUTPUT_EXPORT_FAILED",
    "INSUFFICIENT_CAPACITY",
    "SOMETHING_NEW",
    "run_task_failed", // reasons are codes: no case folding
    "",
  ])("FAILED with %j → SYSTEM_ERROR", (reason) => {
    expect(wesStateFor("FAILED", { failureReason: reason })).toBe("SYSTEM_ERROR");
  });

  it("FAILED without a reason → SYSTEM_ERROR", () => {
    expect(wesStateFor("FAILED")).toBe("SYSTEM_ERROR");
  });

  it("DELETED (nobody asked to cancel) → SYSTEM_ERROR", () => {
    expect(wesStateFor("DELETED")).toBe("SYSTEM_ERROR");
  });

  it.each(["", "PAUSED", "running", "QUEUED"])("an unknown status %j → UNKNOWN", (status) => {
    expect(wesStateFor(status)).toBe("UNKNOWN");
  });
});

describe("wesStateFor after a cancel request", () => {
  it.each(["PENDING", "STARTING", "RUNNING", "STOPPING"])("live %s → CANCELING (never RUNNING again)", (status) => {
    expect(wesStateFor(status, { cancelRequested: true })).toBe("CANCELING");
  });

  it("an unknown live status → CANCELING", () => {
    expect(wesStateFor("SOMETHING_NEW", { cancelRequested: true })).toBe("CANCELING");
  });

  it.each([
    ["COMPLETED", undefined, "COMPLETE"],
    ["CANCELLED", undefined, "CANCELED"],
    ["FAILED", "RUN_TASK_FAILED", "EXECUTOR_ERROR"],
    ["FAILED", "SERVICE_ERROR", "SYSTEM_ERROR"],
    ["FAILED", undefined, "SYSTEM_ERROR"],
    ["DELETED", undefined, "CANCELED"],
  ])("final %s (%s) wins over the cancel flag → %s", (status, reason, state) => {
    expect(wesStateFor(status, { failureReason: reason, cancelRequested: true })).toBe(state);
  });
});

describe("final statuses", () => {
  it("every HealthOmics final status maps to a final WES state, with or without a cancel request", () => {
    for (const status of OMICS_FINAL) {
      for (const cancel of [false, true]) expect(isFinal(wesStateFor(status, { failureReason: "RUN_TASK_FAILED", cancelRequested: cancel }))).toBe(true);
    }
  });

  it("no live status maps to a final WES state", () => {
    for (const status of ["PENDING", "STARTING", "RUNNING", "STOPPING"]) {
      for (const cancel of [false, true]) expect(isFinal(wesStateFor(status, { cancelRequested: cancel }))).toBe(false);
    }
  });
});
