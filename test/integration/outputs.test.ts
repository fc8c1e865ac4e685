/**
 * Outputs against the emulator's S3: the output-summary reader on every layout the emulator
 * writes (run-id, run-uuid, WDL's output.json, none, malformed), a Nextflow run (no summary: the
 * listing) and a CWL run; and the download route — 302 to a presigned URL that works, the JSON
 * form, 404 for another user and for files the run does not have, 400 for `..` and encoded
 * traversal, and 503 with Retry-After when the S3 line is busy.
 */
import { AwsClient } from "aws4fetch";
import { env } from "cloudflare:workers";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executorSettings } from "../../src/executor-config";
import { s3Client } from "../../src/executors/healthomics/aws/s3-factory";
import { readRunOutputs } from "../../src/executors/healthomics/outputs/read-outputs";
import { budgetStub } from "../../src/budget/stub";
import { call, runBody, submit } from "../support/api";
import { drain, drive, runRow } from "../support/runs";

const signer = new AwsClient({
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  region: "us-east-1",
  service: "omics",
  retries: 0,
});

const CWL = `cwlVersion: v1.2
class: Workflow
id: align
inputs:
  reads: File
outputs:
  report:
    type: File
    outputSource: summarize/report
  parts:
    type: File[]
    outputSource: split/parts
steps:
  split:
    run: split.cwl
    in: { reads: reads }
    out: [parts]
  summarize:
    run: summarize.cwl
    in: { parts: split/parts }
    out: [report]
`;

/** A CWL workflow created on the emulator from a zipped definition (ACTIVE when returned). */
async function createCwlWorkflow(): Promise<string> {
  const zip = zipSync({ "main.cwl": strToU8(CWL) });
  let binary = "";
  for (const byte of zip) binary += String.fromCharCode(byte);
  const res = await signer.fetch(`${env.TEST_EMULATOR_URL}/workflow`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "outputs-cwl", engine: "CWL", definitionZip: btoa(binary), requestId: crypto.randomUUID() }),
  });
  const body = (await res.json()) as { id?: string };
  if (res.status !== 201 || !body.id) throw new Error(`CreateWorkflow → ${res.status} ${JSON.stringify(body)}`);
  for (let i = 0; i < 200; i++) {
    const got = (await (await signer.fetch(`${env.TEST_EMULATOR_URL}/workflow/${body.id}`)).json()) as { status?: string };
    if (got.status === "ACTIVE") return body.id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("not ACTIVE");
}

const layout = (name: string) => ({ tags: { "emulator:output-layout": name } });
const runs: Record<string, string> = {};

async function outputLocation(runId: string): Promise<string> {
  const outputs = JSON.parse((await runRow(runId)).outputs) as Record<string, unknown>;
  const own = (outputs["wes:run"] ?? outputs) as { output_location?: string };
  if (!own.output_location) throw new Error(`no output location: ${JSON.stringify(outputs)}`);
  return own.output_location;
}

async function read(runId: string, type: string) {
  let calls = 0;
  const result = await readRunOutputs(s3Client(executorSettings(env)), await outputLocation(runId), type, async () => {
    calls += 1;
  });
  return { result, calls };
}

beforeAll(async () => {
  const cwl = await createCwlWorkflow();
  const bodies: Record<string, Record<string, unknown>> = {
    "run-id": runBody("1000001", layout("run-id")),
    "run-uuid": runBody("1000001", layout("run-uuid")),
    "wdl-output-json": runBody("1000001", layout("wdl-output-json")),
    none: runBody("1000001", layout("none")),
    malformed: runBody("1000001", layout("malformed")),
    nextflow: runBody("1000002"),
    cwl: { ...runBody("1000003"), workflow_url: `healthomics:${cwl}`, workflow_params: { reads: "s3://example-bucket/sample.fastq" } },
  };
  for (const [name, body] of Object.entries(bodies)) runs[name] = await submit(body);
  for (const runId of Object.values(runs)) expect(await drive(runId)).toBe("COMPLETE");
}, 120_000);

afterAll(async () => {
  for (const runId of Object.values(runs)) await drain(runId);
});

describe("reading output summaries from S3", () => {
  it.each(["run-id", "run-uuid", "wdl-output-json"])("WDL, layout %s: the engine's keys, files with paths", async (name) => {
    const { result } = await read(runs[name]!, "WDL");
    if (!result.ok) throw new Error(result.note);
    const outputs = result.value.outputs;
    expect(Object.keys(outputs).sort()).toEqual([
      "GermlineVariantCalling.aligned_bams",
      "GermlineVariantCalling.variant_count",
      "GermlineVariantCalling.vcf",
      "GermlineVariantCalling.vcf_index",
    ]);
    expect(outputs["GermlineVariantCalling.variant_count"]).toBe(42);
    expect(outputs["GermlineVariantCalling.aligned_bams"]).toHaveLength(2);
    expect(result.value.files.length).toBe(4);
    const vcf = result.value.files.find((f) => f.location === outputs["GermlineVariantCalling.vcf"])!;
    expect(vcf.path).toMatch(name === "run-uuid" ? /^[0-9a-f-]{36}\/out\/vcf\// : /^out\/vcf\//);
  });

  it("no summary, and a malformed one, are notes (not retryable)", async () => {
    const none = await read(runs.none!, "WDL");
    expect(none.result).toEqual({ ok: false, note: "no output summary (logs/outputs.json) was found under the run's output location", retryable: false });
    const malformed = await read(runs.malformed!, "WDL");
    expect(malformed.result.ok).toBe(false);
    if (!malformed.result.ok) expect(malformed.result.note).toMatch(/^the output summary is not JSON \(s3:\/\/.*\/logs\/outputs\.json\)$/);
  });

  it("Nextflow: every file under the run's prefix but logs/, as {files}", async () => {
    const { result } = await read(runs.nextflow!, "NFL");
    if (!result.ok) throw new Error(result.note);
    const files = result.value.outputs.files as string[];
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => f.includes("/out/") && !f.includes("/logs/"))).toBe(true);
    expect(result.value.files.map((f) => f.location)).toEqual(files);
  });

  it("CWL: output objects with S3 locations, as Toil prints them", async () => {
    const { result, calls } = await read(runs.cwl!, "CWL");
    if (!result.ok) throw new Error(result.note);
    const report = result.value.outputs.report as { class: string; location: string; basename: string; size: number };
    expect(report.class).toBe("File");
    expect(report.location).toMatch(/^s3:\/\//);
    expect(Array.isArray(result.value.outputs.parts)).toBe(true);
    expect(result.value.files.length).toBe(3);
    // one listing page and the summary: each booked
    expect(calls).toBe(2);
  });
});

describe("outputs in GetRunLog (read by the outputs step before COMPLETE)", () => {
  interface Own {
    output_location: string;
    files?: Array<{ location: string; path: string; download_url: string }>;
    note?: string;
  }
  async function runLog(runId: string, user = "demo") {
    const res = await call(`/runs/${runId}`, { user });
    return (await res.json()) as { state: string; outputs: Record<string, unknown>; run_log: { system_logs: string[] } };
  }

  it.each(["run-id", "run-uuid", "wdl-output-json"])("WDL, layout %s: engine keys at the top, files with working download URLs", async (name) => {
    const log = await runLog(runs[name]!);
    expect(log.state).toBe("COMPLETE");
    expect(log.outputs["GermlineVariantCalling.variant_count"]).toBe(42);
    const own = log.outputs["wes:run"] as Own;
    expect(own.files).toHaveLength(4);
    for (const file of own.files!) {
      expect(file.download_url).toBe(`http://wes.test/ga4gh/wes/v1/runs/${runs[name]}/outputs/${file.path}`);
      const res = await call(file.download_url.slice("http://wes.test/ga4gh/wes/v1".length), { user: "demo", redirect: "manual" });
      expect(res.status).toBe(302);
      expect((await fetch(res.headers.get("location")!)).status).toBe(200);
    }
  });

  it("CWL: the output objects at the top level, as Toil prints them; Nextflow: {files}", async () => {
    const cwl = await runLog(runs.cwl!);
    expect(cwl.outputs.report).toMatchObject({ class: "File", location: expect.stringMatching(/^s3:\/\//) });
    const nextflow = await runLog(runs.nextflow!);
    expect((nextflow.outputs.files as string[]).length).toBeGreaterThan(0);
    expect(((nextflow.outputs["wes:run"] as Own).files ?? []).length).toBe((nextflow.outputs.files as string[]).length);
  });

  it("no summary or a malformed one: COMPLETE anyway, with a note in outputs and in the run log", async () => {
    for (const name of ["none", "malformed"]) {
      const log = await runLog(runs[name]!);
      expect(log.state).toBe("COMPLETE");
      const own = log.outputs["wes:run"] as Own;
      expect(own.note).toMatch(/^outputs not read: /);
      expect(own.output_location).toMatch(/^s3:\/\//);
      expect(log.run_log.system_logs.some((line) => line.includes("Outputs could not be read"))).toBe(true);
    }
  });

  it("another user sees none of it", async () => {
    expect((await call(`/runs/${runs["run-id"]!}`, { user: "guest" })).status).toBe(404);
  });
});

describe("GET /runs/{id}/outputs/{path}", () => {
  async function vcfPath(): Promise<string> {
    const { result } = await read(runs["run-id"]!, "WDL");
    if (!result.ok) throw new Error(result.note);
    return result.value.files.find((f) => f.path.startsWith("out/vcf/"))!.path;
  }

  it("302 to a presigned URL that downloads the file; JSON with Accept: application/json", async () => {
    const runId = runs["run-id"]!;
    const path = await vcfPath();
    const res = await call(`/runs/${runId}/outputs/${path}`, { user: "demo", redirect: "manual" });
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location).toContain("X-Amz-Signature=");
    expect(location).toContain("X-Amz-Expires=3600");
    const file = await fetch(location);
    expect(file.status).toBe(200);
    expect((await file.text()).length).toBeGreaterThan(0);

    const json = await call(`/runs/${runId}/outputs/${path}`, { user: "demo", headers: { accept: "application/json" } });
    expect(json.status).toBe(200);
    const body = (await json.json()) as { url: string; expires_at: string };
    const left = Date.parse(body.expires_at) - Date.now();
    expect(left).toBeGreaterThan(3500_000);
    expect(left).toBeLessThanOrEqual(3600_000);
    expect((await fetch(body.url)).status).toBe(200);
    // admins too
    expect((await call(`/runs/${runId}/outputs/${path}`, { user: "admin", redirect: "manual" })).status).toBe(302);
  });

  it("another user, a file the run does not have, another run's key: 404; traversal: 400", async () => {
    const runId = runs["run-id"]!;
    const other = runs["run-uuid"]!;
    const path = await vcfPath();
    expect((await call(`/runs/${runId}/outputs/${path}`, { user: "guest", redirect: "manual" })).status).toBe(404);
    expect((await call(`/runs/${runId}/outputs/out/nothing.txt`, { user: "demo" })).status).toBe(404);
    // The other run's file named from this run's prefix: it is not there.
    const { result } = await read(other, "WDL");
    if (!result.ok) throw new Error(result.note);
    const otherPath = result.value.files[0]!.path;
    expect((await call(`/runs/${runId}/outputs/${otherPath}`, { user: "demo" })).status).toBe(404);
    const otherOmics = (await runRow(other)).omics_run_id!;
    for (const bad of [
      `..%2F${otherOmics}%2F${otherPath}`,
      `%2e%2e/${otherOmics}/${otherPath}`,
      "out/%2e%2e/%2e%2e/x",
      "out%5C..%5Cx",
      "s3:%2F%2Fwes-test-outputs%2Fx",
      "out//x",
    ]) {
      const res = await call(`/runs/${runId}/outputs/${bad}`, { user: "demo" });
      expect([400, 404], bad).toContain(res.status);
      if (res.status === 404) {
        // The URL parser resolved a literal dot segment before routing: the request never named this run's outputs.
        expect(bad).toMatch(/%2e%2e\//);
      } else {
        expect(((await res.json()) as { msg: string }).msg).toMatch(/^The output path /);
      }
    }
    expect((await call(`/runs/${runId}/outputs/${path}`)).status).toBe(401);
  });

  it("a busy S3 line answers 503 with Retry-After", async () => {
    await budgetStub(env).book("S3Read", "urgent", 20_000);
    const res = await call(`/runs/${runs["run-id"]!}/outputs/${await vcfPath()}`, { user: "demo", redirect: "manual" });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
