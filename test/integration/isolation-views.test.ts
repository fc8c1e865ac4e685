/**
 * What users and admins see of a run (real D1 + emulator): AWS account ids masked in outputs and
 * system_logs for the owner, whole for admins; the audit lines (submitter, scheme, canceller) for
 * admins only.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, getJson, runBody, submit } from "../support/api";
import { drain, drive } from "../support/runs";

interface RunLog {
  state: string;
  run_log: { system_logs: string[] };
  outputs: { "wes:run"?: { output_location?: string; healthomics?: { run_arn?: string; run_output_uri?: string } } };
}
interface TaskLog {
  id: string;
  system_logs: string[];
}

const ACCOUNT = "123456789012"; // EMULATOR_ACCOUNT_ID
const MASK = "************";
const ROLE = `arn:aws:sts::${ACCOUNT}:assumed-role/OmicsWorkflowRole/run`;

/** Adds an AWS-style message to the run's and its first task's system_logs, as a failing HealthOmics call would. */
async function addAwsMessages(runId: string): Promise<string> {
  const line = `2026-01-01T00:00:00.000Z AccessDeniedException: User: ${ROLE} is not authorized on arn:aws:omics:us-east-1:${ACCOUNT}:run/1`;
  await env.DB.prepare("UPDATE runs SET system_logs = json_insert(system_logs, '$[#]', ?1) WHERE id = ?2").bind(line, runId).run();
  const task = await env.DB.prepare("SELECT id FROM tasks WHERE run_id = ?1 ORDER BY position LIMIT 1").bind(runId).first<{ id: string }>();
  if (!task) throw new Error(`run ${runId} has no tasks`);
  await env.DB.prepare("UPDATE tasks SET system_logs = json_insert(system_logs, '$[#]', ?1) WHERE run_id = ?2 AND id = ?3")
    .bind(`image ${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/bwa`, runId, task.id)
    .run();
  return task.id;
}

describe("AWS identifiers", () => {
  it("a completed run's outputs and logs: masked for the owner, whole for admins", async () => {
    const runId = await submit(runBody("1000001"), "guest");
    try {
      expect(await drive(runId)).toBe("COMPLETE");
      const taskId = await addAwsMessages(runId);

      const mine = (await getJson<RunLog>(`/runs/${runId}`, "guest")).body;
      expect(mine.outputs["wes:run"]?.healthomics?.run_arn).toMatch(/^arn:aws:omics:us-east-1:\*{12}:run\/\d+$/);
      expect(mine.outputs["wes:run"]?.output_location).toMatch(new RegExp(`^s3://wes-test-outputs/users/guest/runs/${runId}/\\d+$`));
      expect(mine.outputs["wes:run"]?.healthomics?.run_output_uri).toBe(mine.outputs["wes:run"]?.output_location);
      expect(JSON.stringify(mine)).not.toContain(ACCOUNT);
      expect(mine.run_log.system_logs.at(-1)).toContain(`arn:aws:sts::${MASK}:assumed-role/OmicsWorkflowRole/run`);
      expect(mine.run_log.system_logs.some((l) => l.startsWith("audit:"))).toBe(false);

      const all = (await getJson<RunLog>(`/runs/${runId}`, "admin")).body;
      expect(all.outputs["wes:run"]?.healthomics?.run_arn).toMatch(new RegExp(`^arn:aws:omics:us-east-1:${ACCOUNT}:run/\\d+$`));
      expect(all.run_log.system_logs.join("\n")).toContain(ROLE);

      const myTasks = (await getJson<{ task_logs: TaskLog[] }>(`/runs/${runId}/tasks`, "guest")).body.task_logs;
      expect(JSON.stringify(myTasks)).not.toContain(ACCOUNT);
      expect(myTasks.find((t) => t.id === taskId)!.system_logs.at(-1)).toBe(`image ${MASK}.dkr.ecr.us-east-1.amazonaws.com/bwa`);
      const myTask = (await getJson<TaskLog>(`/runs/${runId}/tasks/${taskId}`, "guest")).body;
      expect(myTask.system_logs.at(-1)).toBe(`image ${MASK}.dkr.ecr.us-east-1.amazonaws.com/bwa`);

      const adminTask = (await getJson<TaskLog>(`/runs/${runId}/tasks/${taskId}`, "admin")).body;
      expect(adminTask.system_logs.at(-1)).toBe(`image ${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/bwa`);
      const adminTasks = (await getJson<{ task_logs: TaskLog[] }>(`/runs/${runId}/tasks`, "admin")).body.task_logs;
      expect(JSON.stringify(adminTasks)).toContain(ACCOUNT);

      // The stored row is unchanged: masking happens on the way out.
      const row = await env.DB.prepare("SELECT outputs FROM runs WHERE id = ?1").bind(runId).first<{ outputs: string }>();
      expect(row!.outputs).toContain(ACCOUNT);
    } finally {
      await drain(runId);
    }
  });
});

describe("audit trail", () => {
  it("admins see who submitted (and how) and who cancelled; the owner does not", async () => {
    const runId = await submit(runBody("1000001"), "demo", { Authorization: "Bearer demo-token-0123456789" });
    try {
      const cancel = await call(`/runs/${runId}/cancel`, { method: "POST", user: "admin" });
      expect(cancel.status).toBe(200);
      const all = (await getJson<RunLog>(`/runs/${runId}`, "admin")).body;
      const audit = all.run_log.system_logs.filter((l) => l.startsWith("audit:"));
      expect(audit).toHaveLength(2);
      expect(audit[0]).toMatch(/^audit: submitted by demo at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z via bearer$/);
      expect(audit[1]).toMatch(/^audit: cancel requested by admin at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // Audit lines come last, after the run's own log.
      expect(all.run_log.system_logs.slice(-2)).toEqual(audit);

      const mine = (await getJson<RunLog>(`/runs/${runId}`, "demo")).body;
      expect(mine.run_log.system_logs.some((l) => l.startsWith("audit:"))).toBe(false);
    } finally {
      await drain(runId);
    }
  });

  it("a basic-auth submission is recorded as basic", async () => {
    const runId = await submit(runBody("1000001"), "guest");
    try {
      const all = (await getJson<RunLog>(`/runs/${runId}`, "admin")).body;
      expect(all.run_log.system_logs).toContainEqual(expect.stringMatching(/^audit: submitted by guest at .+ via basic$/));
      expect(all.run_log.system_logs.some((l) => l.startsWith("audit: cancel"))).toBe(false);
    } finally {
      await drain(runId);
    }
  });
});
