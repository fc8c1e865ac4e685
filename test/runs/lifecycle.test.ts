/**
 * A run's Durable Object drives the real emulator alarm by alarm: success, a workflow failure
 * (EXECUTOR_ERROR), a system failure (SYSTEM_ERROR) and a StartRun that HealthOmics rejects —
 * each with its WES state, task list, run log and exactly one HealthOmics run.
 */
import { describe, expect, it } from "vitest";
import { getJson, runBody, submit } from "../support/api";
import { omicsRunsFor } from "../support/emulator";
import { drain, drive, runRow, runStub } from "../support/runs";

interface RunLog {
  state: string;
  run_log: { exit_code?: number; system_logs: string[]; start_time?: string; end_time?: string; name?: string };
  outputs: Record<string, unknown>;
}
interface Tasks {
  task_logs: Array<{ id: string; name: string; exit_code?: number; system_logs: string[] }>;
  next_page_token: string;
}

describe("run execution on the emulator", () => {
  it("completes a WDL run with its tasks, outputs and exit code 0", async () => {
    const runId = await submit(runBody("1000001"));
    expect((await runRow(runId)).state).toBe("QUEUED");
    expect(await drive(runId)).toBe("COMPLETE");
    const { body: log } = await getJson<RunLog>(`/runs/${runId}`);
    expect(log.run_log.exit_code).toBe(0);
    expect(log.run_log.start_time).toMatch(/Z$/);
    expect(log.run_log.end_time).toMatch(/Z$/);
    expect(log.run_log.name).toBe(`wes-${runId}`);
    const own = log.outputs["wes:run"] as { output_location: string; healthomics: unknown; files: unknown[] };
    expect(own.output_location).toMatch(new RegExp(`^s3://wes-test-outputs/users/demo/runs/${runId}/`));
    expect(own.healthomics).toMatchObject({ workflow_id: "1000001" });
    // The engine's outputs, read from the emulator's output summary before COMPLETE was written.
    expect(log.outputs["GermlineVariantCalling.variant_count"]).toBe(42);
    expect(own.files).toHaveLength(4);
    expect(log.run_log.system_logs.join("\n")).toContain("HealthOmics status COMPLETED");
    const { body: tasks } = await getJson<Tasks>(`/runs/${runId}/tasks`);
    expect(tasks.task_logs.length).toBeGreaterThanOrEqual(3);
    for (const task of tasks.task_logs) {
      expect(task.exit_code).toBeUndefined(); // HealthOmics reports none; never invented
      expect(task.system_logs[0]).toBe("HealthOmics task status: COMPLETED");
    }
    expect(await omicsRunsFor(runId)).toHaveLength(1);
    expect(await runStub(runId).describe()).toMatchObject({ phase: "finished" });
    await drain(runId);
  });

  it("ends a run whose task failed in EXECUTOR_ERROR, listing the failed attempt and its retry", async () => {
    const runId = await submit(runBody("1000003"));
    expect(await drive(runId)).toBe("EXECUTOR_ERROR");
    const { body: log } = await getJson<RunLog>(`/runs/${runId}`);
    expect(log.run_log.exit_code).toBe(1);
    expect(log.run_log.system_logs.join("\n")).toMatch(/FAILED \(failure reason RUN_TASK_FAILED/);
    const { body: tasks } = await getJson<Tasks>(`/runs/${runId}/tasks`);
    const failed = tasks.task_logs.filter((t) => t.system_logs[0] === "HealthOmics task status: FAILED");
    expect(failed.length).toBeGreaterThanOrEqual(2); // the failed task and its retry under a new id
    expect(new Set(failed.map((t) => t.id)).size).toBe(failed.length);
    expect(failed[0]!.system_logs.join("\n")).toMatch(/failure reason|status message/);
    expect(await omicsRunsFor(runId)).toHaveLength(1);
    await drain(runId);
  });

  it("ends a run that HealthOmics fails for a system reason in SYSTEM_ERROR", async () => {
    const runId = await submit(runBody("1000004"));
    expect(await drive(runId)).toBe("SYSTEM_ERROR");
    const { body: log } = await getJson<RunLog>(`/runs/${runId}`);
    expect(log.run_log.system_logs.join("\n")).toContain("IMPORT_FAILED");
    expect(log.run_log.exit_code).toBe(1);
    await drain(runId);
  });

  it("ends a run whose StartRun HealthOmics rejects in SYSTEM_ERROR with the reason", async () => {
    // With a workflow version named, the submit-time parameter check defers to HealthOmics,
    // which rejects the missing required parameter at StartRun.
    const runId = await submit(runBody("1000001", { workflow_params: { sample_name: "x" }, workflow_engine_parameters: { workflowVersionName: "v1" } }));
    expect(await drive(runId)).toBe("SYSTEM_ERROR");
    const { body: log } = await getJson<RunLog>(`/runs/${runId}`);
    expect(log.run_log.system_logs.join("\n")).toMatch(/HealthOmics rejected StartRun: ValidationException/);
    expect(await omicsRunsFor(runId)).toHaveLength(0);
    expect(await runStub(runId).describe()).toMatchObject({ phase: "finished" });
    await drain(runId);
  });

  it("runs a Ready2Run workflow named by its bare id", async () => {
    const runId = await submit(runBody("9000001"));
    expect(await drive(runId)).toBe("COMPLETE");
    await drain(runId);
  });
});
