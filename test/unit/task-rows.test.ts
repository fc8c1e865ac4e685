/** HealthOmics tasks → WES TaskLog rows: no invented exit codes, informative system_logs, change fingerprints. */
import { describe, expect, it } from "vitest";
import type { GetRunTaskOutput, TaskListItemOutput } from "../../src/executors/healthomics/client/client";
import { OMICS_LOG_GROUP, taskFingerprint, taskRow } from "../../src/executors/healthomics/run/task-rows";

const ITEM: TaskListItemOutput = {
  taskId: "1234567",
  status: "RUNNING",
  name: "AlignReads",
  cpus: 8,
  memory: 16,
  instanceType: "omics.c.2xlarge",
  startTime: "2025-01-01T00:00:10.000Z",
  creationTime: "2025-01-01T00:00:00.000Z",
};

describe("taskRow", () => {
  it("maps a task, without an exit code, stdout or stderr", () => {
    const row = taskRow("run-1", "7654321", ITEM, 3, 1_000);
    expect(row).toMatchObject({
      runId: "run-1",
      id: "1234567",
      position: 3,
      name: "AlignReads",
      status: "RUNNING",
      startTime: "2025-01-01T00:00:10.000Z",
      endTime: null,
      exitCode: null,
      stdout: null,
      stderr: null,
      updatedAt: 1_000,
    });
  });

  it("never sets an exit code, whatever the task's outcome", () => {
    for (const status of ["COMPLETED", "FAILED", "CANCELLED", "STOPPING"]) {
      const detail: GetRunTaskOutput = {
        taskId: "1234567",
        status: status as GetRunTaskOutput["status"],
        failureReason: "RUN_TASK_FAILED",
        statusMessage: "exit 137",
      };
      expect(taskRow("r", "o", { ...ITEM, status: status as TaskListItemOutput["status"] }, 0, 0, detail).exitCode).toBeNull();
    }
  });

  it("puts status, resources and the CloudWatch stream in system_logs", () => {
    expect(taskRow("run-1", "7654321", { ...ITEM, gpus: 1 }, 0, 0).systemLogs).toEqual([
      "HealthOmics task status: RUNNING",
      "resources: 8 vCPU, 16 GiB memory, 1 GPU, instance omics.c.2xlarge",
      `logs: CloudWatch Logs ${OMICS_LOG_GROUP} stream run/7654321/task/1234567`,
    ]);
    expect(OMICS_LOG_GROUP).toBe("/aws/omics/WorkflowLog");
  });

  it("adds the failure reason, status message and the reported log stream of a failed task", () => {
    const detail: GetRunTaskOutput = {
      taskId: "1234567",
      status: "FAILED",
      failureReason: "OUT_OF_MEMORY",
      statusMessage: "Container killed",
      logStream: "run/7654321/task/1234567/retry",
    };
    const logs = taskRow("run-1", "7654321", { ...ITEM, status: "FAILED" }, 0, 0, detail).systemLogs;
    expect(logs).toContain("failure reason: OUT_OF_MEMORY");
    expect(logs).toContain("status message: Container killed");
    expect(logs?.at(-1)).toBe(`logs: CloudWatch Logs ${OMICS_LOG_GROUP} stream run/7654321/task/1234567/retry`);
  });

  it("mentions a cache hit and its location", () => {
    expect(taskRow("r", "o", { ...ITEM, cacheHit: true, cacheS3Uri: "s3://cache/x/" }, 0, 0).systemLogs).toContain("cache hit: s3://cache/x/");
    expect(taskRow("r", "o", { ...ITEM, cacheHit: true }, 0, 0).systemLogs).toContain("cache hit");
    expect(taskRow("r", "o", { ...ITEM, cacheHit: false }, 0, 0).systemLogs?.join("\n")).not.toContain("cache hit");
  });

  it("copes with a sparse item (no name, status or resources)", () => {
    const row = taskRow("r", "o", { taskId: "9" }, 0, 0);
    expect(row.name).toBe("9");
    expect(row.status).toBeNull();
    expect(row.systemLogs).toEqual(["HealthOmics task status: UNKNOWN", `logs: CloudWatch Logs ${OMICS_LOG_GROUP} stream run/o/task/9`]);
  });

  it("records the stop time as the end time", () => {
    expect(taskRow("r", "o", { ...ITEM, status: "COMPLETED", stopTime: "2025-01-01T00:01:00.000Z" }, 0, 0).endTime).toBe("2025-01-01T00:01:00.000Z");
  });
});

describe("taskFingerprint", () => {
  const base = taskFingerprint(ITEM, 0);

  it("is stable for the same task", () => {
    expect(taskFingerprint({ ...ITEM }, 0)).toBe(base);
  });

  it("ignores fields the TaskLog does not show", () => {
    expect(taskFingerprint({ ...ITEM, creationTime: "2030-01-01T00:00:00.000Z", uuid: "another" }, 0)).toBe(base);
  });

  it("changes when the status changes", () => {
    const seen = new Set([base]);
    for (const status of ["PENDING", "STARTING", "STOPPING", "COMPLETED", "FAILED", "CANCELLED"] as const) {
      const fp = taskFingerprint({ ...ITEM, status }, 0);
      expect(seen.has(fp)).toBe(false);
      seen.add(fp);
    }
  });

  it("changes with what the TaskLog shows: times, name, resources, cache use, position", () => {
    const variants: TaskListItemOutput[] = [
      { ...ITEM, stopTime: "2025-01-01T00:02:00.000Z" },
      { ...ITEM, startTime: "2025-01-01T00:00:11.000Z" },
      { ...ITEM, name: "CallVariants" },
      { ...ITEM, cpus: 4 },
      { ...ITEM, cacheHit: true },
    ];
    for (const item of variants) expect(taskFingerprint(item, 0)).not.toBe(base);
    expect(taskFingerprint(ITEM, 1)).not.toBe(base);
  });
});
