/**
 * Runs of workflow files, alarm by alarm against the emulator, replaying the clients' request
 * shapes: wes-client (a local WDL with an import, labelled draft-2), Toil (a CWL workflow with its
 * input file attached, relative paths in workflow_params, `--` engine flags), a Dockstore-style
 * TRS URL, an https URL with imports; a workflow marked emulator:fail; the same package twice;
 * a draft-2 file refused.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { executorSettings } from "../../src/executor-config";
import { s3Client } from "../../src/executors/healthomics/aws/s3-factory";
import { call } from "../support/api";
import { drain, drive, runRow } from "../support/runs";

const E = env.TEST_EMULATOR_URL;
const MAIN_WDL = (marker: string) =>
  `version 1.0\n# ${marker}\nimport "tasks/greet.wdl" as g\nworkflow hello {\n  input { String name }\n  call g.greet { input: name = name }\n}\n`;
const GREET =
  'version 1.0\ntask greet {\n  input { String name }\n  command <<< echo "hi ~{name}" >>>\n  output { String out = read_string(stdout()) }\n  runtime { docker: "ubuntu" }\n}\n';
const COUNT_CWL = (marker: string) =>
  `cwlVersion: v1.2\nclass: CommandLineTool\n# ${marker}\nbaseCommand: [wc, -l]\ninputs:\n  input_file:\n    type: File\n    inputBinding: {position: 1}\noutputs:\n  output:\n    type: stdout\nstdout: count.txt\n`;

/** A multipart body as Python requests builds it: fields as data, files as (name, bytes) tuples. */
function form(fields: Record<string, string>, files: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  for (const [path, content] of Object.entries(files)) data.append("workflow_attachment", new Blob([content]), path);
  return data;
}

async function post(body: FormData | string, contentType?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const init: RequestInit & { user: string } = { method: "POST", body, user: "demo" };
  if (contentType) init.headers = { "content-type": contentType };
  const res = await call("/runs", init);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function packageOf(runId: string): Promise<string | null | undefined> {
  return (await env.DB.prepare("SELECT package_hash FROM runs WHERE id = ?1").bind(runId).first<{ package_hash: string | null }>())?.package_hash;
}

async function runLog(runId: string): Promise<Record<string, unknown>> {
  return (await (await call(`/runs/${runId}`, { user: "demo" })).json()) as Record<string, unknown>;
}

describe("runs of workflow files", () => {
  it("wes-client: a local WDL with an import, labelled draft-2, reaches COMPLETE", async () => {
    const marker = crypto.randomUUID();
    const { status, json } = await post(
      form(
        { workflow_params: JSON.stringify({ "hello.name": "world" }), workflow_type: "WDL", workflow_type_version: "draft-2", workflow_url: "main.wdl" },
        { "main.wdl": MAIN_WDL(marker), "tasks/greet.wdl": GREET },
      ),
    );
    expect(status, JSON.stringify(json)).toBe(200);
    const runId = json.run_id as string;
    const final = await drive(runId);
    const log = await runLog(runId);
    expect(final, JSON.stringify(log)).toBe("COMPLETE");
    expect(JSON.stringify(log)).toContain("registered as HealthOmics workflow");
    expect(await packageOf(runId)).toMatch(/^[0-9a-f]{64}$/);
    await drain(runId);
  });

  it("Toil: a CWL tool with its input attached and --flags, inputs uploaded to the run's folder", async () => {
    const { status, json } = await post(
      form(
        {
          workflow_url: "count.cwl",
          workflow_params: JSON.stringify({ input_file: { class: "File", location: "data/input.txt" } }),
          workflow_type: "cwl",
          workflow_type_version: "v1.2",
          workflow_engine_parameters: JSON.stringify({ "--logDebug": null, "--clean": "always" }),
        },
        { "count.cwl": COUNT_CWL(crypto.randomUUID()), "data/input.txt": "one\ntwo\n" },
      ),
    );
    expect(status, JSON.stringify(json)).toBe(200);
    const runId = json.run_id as string;
    expect(await drive(runId)).toBe("COMPLETE");
    const log = JSON.stringify(await runLog(runId));
    expect(log).toContain("--logDebug, --clean=always");
    expect(log).toContain("Uploaded 1 attached input file(s)");
    const key = `users/demo/runs/${runId}/inputs/data/input.txt`;
    const stored = await s3Client(executorSettings(env)).send({ operation: "GetObject", method: "GET", bucket: "wes-test-outputs", key });
    expect(stored.ok && (await stored.value.text())).toBe("one\ntwo\n");
    await drain(runId);
  });

  it("Dockstore: a TRS descriptor URL, and an https URL with imports, reach COMPLETE sharing one package", async () => {
    const id = encodeURIComponent("#workflow/github.com/wes-emulator/wdl-hello-import");
    const trs = await post(
      JSON.stringify({
        workflow_url: `${E}/ga4gh/trs/v2/tools/${id}/versions/1.0/PLAIN_WDL/descriptor/main.wdl`,
        workflow_type: "WDL",
        workflow_type_version: "1.0",
        tags: { Client: "Dockstore" },
        workflow_engine_parameters: {},
        workflow_params: { "hello.input_file": "s3://wes-test-outputs/users/demo/in.txt" },
      }),
      "application/json",
    );
    expect(trs.status, JSON.stringify(trs.json)).toBe(200);
    const https = await post(
      JSON.stringify({
        workflow_url: `${E}/__emulator/files/wdl-hello-import/main.wdl`,
        workflow_type: "WDL",
        workflow_type_version: "1.0",
        workflow_params: { "hello.input_file": "s3://wes-test-outputs/users/demo/in.txt" },
      }),
      "application/json",
    );
    expect(https.status, JSON.stringify(https.json)).toBe(200);
    const [a, b] = [trs.json.run_id as string, https.json.run_id as string];
    expect(await packageOf(a)).toBe(await packageOf(b));
    expect(await drive(a)).toBe("COMPLETE");
    expect(await drive(b)).toBe("COMPLETE");
    expect(JSON.stringify(await runLog(a))).toContain("TRS tool #workflow/github.com/wes-emulator/wdl-hello-import version 1.0");
    await drain(a);
    await drain(b);
  });

  it("emulator:fail ends EXECUTOR_ERROR with exit code 1", async () => {
    const { json } = await post(
      form(
        { workflow_params: JSON.stringify({ "hello.name": "x" }), workflow_type: "WDL", workflow_type_version: "1.0", workflow_url: "main.wdl" },
        { "main.wdl": MAIN_WDL(`emulator:fail ${crypto.randomUUID()}`), "tasks/greet.wdl": GREET },
      ),
    );
    const runId = json.run_id as string;
    expect(await drive(runId, undefined, 90_000)).toBe("EXECUTOR_ERROR");
    expect((await runRow(runId)).exit_code).toBe(1);
    await drain(runId);
  }, 120_000);

  it("refuses a draft-2 file, a missing import and a private address, each with a 400", async () => {
    const draft2 = await post(form({ workflow_type: "WDL", workflow_type_version: "draft-2", workflow_url: "main.wdl" }, { "main.wdl": "workflow w {}" }));
    expect(draft2.status).toBe(400);
    expect(draft2.json.msg).toContain("draft-2");
    const missing = await post(form({ workflow_type: "WDL", workflow_type_version: "1.0", workflow_url: "main.wdl" }, { "main.wdl": MAIN_WDL("m") }));
    expect(missing.status).toBe(400);
    expect(missing.json.msg).toContain("tasks/greet.wdl");
    const local = await post(
      JSON.stringify({ workflow_url: "https://169.254.169.254/latest/w.wdl", workflow_type: "WDL", workflow_type_version: "1.0" }),
      "application/json",
    );
    expect(local.status).toBe(400);
    expect(local.json.msg).toContain("private");
  });
});
