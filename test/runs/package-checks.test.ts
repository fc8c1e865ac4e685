/**
 * What a submission of workflow files is checked against once HealthOmics knows the workflow, and
 * who may name a package workflow directly: required inputs missing from workflow_params are a
 * 400 at submit when the package is ACTIVE already, else they end the run EXECUTOR_ERROR in its
 * prepare step (never a failed StartRun); `healthomics:<id>` naming a package workflow (recorded
 * in D1, or only tagged `wes:package`) is answered as an unknown workflow, for its submitters too,
 * and only an admin may run it — as a use of the package.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { executorSettings } from "../../src/executor-config";
import { omicsClient } from "../../src/executors/healthomics/client/factory";
import { runExecutor } from "../../src/executors/registry";
import type { RunRequestBody } from "../../src/wes/submission";
import { call } from "../support/api";
import { drain, drive } from "../support/runs";

const WDL = (marker: string) => `version 1.0\n# ${marker}\nworkflow hello {\n  input { String name }\n  call greet { input: name = name }\n}\n${TASK}`;
const TASK =
  'task greet {\n  input { String name }\n  command <<< echo "hi ~{name}" >>>\n  output { String out = read_string(stdout()) }\n  runtime { docker: "ubuntu" }\n}\n';

function form(params: Record<string, unknown>, main: string): FormData {
  const data = new FormData();
  data.append("workflow_params", JSON.stringify(params));
  data.append("workflow_type", "WDL");
  data.append("workflow_type_version", "1.0");
  data.append("workflow_url", "main.wdl");
  data.append("workflow_attachment", new Blob([main]), "main.wdl");
  return data;
}

async function post(body: FormData | string, user = "demo"): Promise<{ status: number; json: Record<string, unknown> }> {
  const init: RequestInit & { user: string } = { method: "POST", body, user };
  if (typeof body === "string") init.headers = { "content-type": "application/json" };
  const res = await call("/runs", init);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function packageOfRun(runId: string): Promise<{ hash: string; workflow_id: string | null; status: string | null }> {
  return (await env.DB.prepare("SELECT p.hash, p.workflow_id, p.status FROM runs r JOIN workflow_packages p ON p.hash = r.package_hash WHERE r.id = ?1")
    .bind(runId)
    .first())!;
}

const byId = (workflowId: string) => ({
  workflow_type: "WDL",
  workflow_type_version: "1.0",
  workflow_url: `healthomics:${workflowId}`,
  workflow_params: { name: "x" },
});

async function asAdmin(workflowId: string) {
  const request = { ...byId(workflowId), tags: {}, workflow_engine_parameters: {} } as RunRequestBody;
  return await runExecutor(env).validate({ request, attachments: [] }, { user: "admin", admin: true }, { runId: crypto.randomUUID(), requestId: "test" });
}

describe("a package HealthOmics knows", () => {
  it("refuses missing required inputs at submit once ACTIVE, and hides its workflow from healthomics:<id> but for admins", async () => {
    const main = WDL(crypto.randomUUID());
    const first = await post(form({ "hello.name": "world" }, main));
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    const runId = first.json.run_id as string;
    expect(await drive(runId)).toBe("COMPLETE");
    await drain(runId);
    const pkg = await packageOfRun(runId);
    expect(pkg.status).toBe("ACTIVE");

    const missing = await post(form({}, main));
    expect(missing.status).toBe(400);
    expect(missing.json.msg).toMatch(/missing required input\(s\) name\b/);
    // Cromwell-style names count as what HealthOmics will get.
    expect((await post(form({ "hello.name": "again" }, main))).status).toBe(200);

    // Its submitter may not name it either: package workflows are reached through their content.
    const named = await post(JSON.stringify(byId(pkg.workflow_id!)));
    expect(named.status).toBe(400);
    expect(named.json.msg).toMatch(/does not exist/);
    const accepted = await asAdmin(pkg.workflow_id!);
    expect(accepted.packageHash).toBe(pkg.hash);
    // Through the API too: an admin's submission naming it is accepted, and runs it.
    const byAdmin = await post(JSON.stringify(byId(pkg.workflow_id!)), "admin");
    expect(byAdmin.status, JSON.stringify(byAdmin.json)).toBe(200);
    expect(await drive(byAdmin.json.run_id as string)).toBe("COMPLETE");
    await drain(byAdmin.json.run_id as string);
  });

  it("ends a run of a new package EXECUTOR_ERROR naming the missing inputs, before StartRun", async () => {
    const { status, json } = await post(form({}, WDL(crypto.randomUUID())));
    expect(status, JSON.stringify(json)).toBe(200);
    const runId = json.run_id as string;
    expect(await drive(runId)).toBe("EXECUTOR_ERROR");
    const log = (await (await call(`/runs/${runId}`, { user: "demo" })).json()) as { run_log: { system_logs: string[]; exit_code: number } };
    expect(log.run_log.system_logs.join("\n")).toMatch(/missing required input\(s\) name of the submitted workflow; it takes: name \(required\)/);
    expect(log.run_log.system_logs.join("\n")).not.toMatch(/StartRun/);
    expect(log.run_log.exit_code).toBe(1);
    await drain(runId);
  });

  it("treats a workflow only tagged wes:package as unknown to users, not to admins", async () => {
    const client = omicsClient(executorSettings(env));
    const created = await client.createWorkflow({
      requestId: crypto.randomUUID(),
      name: "tagged-elsewhere",
      engine: "WDL",
      definitionRepository: { connectionArn: "arn:aws:codeconnections:us-east-1:123456789012:connection/abc", fullRepositoryId: "org/repo" },
      tags: { "wes:package": "0".repeat(64) },
      parameterTemplate: { name: { optional: false } },
    });
    expect(created.ok).toBe(true);
    const id = created.ok ? created.value.id! : "";
    for (let i = 0; i < 100; i++) {
      const got = await client.getWorkflow(id);
      if (got.ok && got.value.status === "ACTIVE") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const named = await post(JSON.stringify(byId(id)));
    expect(named.status).toBe(400);
    expect(named.json.msg).toMatch(/does not exist/);
    const accepted = await asAdmin(id);
    expect(accepted.omicsWorkflowType).toBe("PRIVATE");
    expect(accepted.packageHash).toBeUndefined();
  });
});
