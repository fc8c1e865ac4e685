/**
 * CreateWorkflow for real through the API: definition zips inline or in the emulated S3,
 * CREATING → ACTIVE (or FAILED with a statusMessage) on the emulator's clock, idempotency,
 * tags, DeleteWorkflow, the maximum-workflows quota, runs named after the definition, and the
 * outputs a COMPLETED run writes into S3 in each layout.
 */
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { call, local, rid, s3, startBody, waitForFinal, waitForWorkflow } from "./helpers";

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const zip = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([p, t]) => [p, strToU8(t)])));

const WDL = `version 1.0
workflow Pipeline {
  input {
    File reads
    String sample = "s"
  }
  call align
  call report
  output {
    File bam = align.bam
    Array[File] stats = report.stats
    Int count = report.n
  }
}
task align { command <<< >>> output { File bam = "a" } }
task report { command <<< >>> output { Array[File] stats = []  Int n = 1 } }
`;

async function create(files: Record<string, string>, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call("POST", "/workflow", { requestId: rid("create"), name: "wf", definitionZip: toBase64(zip(files)), ...extra });
  expect(res.status).toBe(201);
  expect(res.json).toMatchObject({ status: "CREATING" });
  return String(res.json!.id);
}

async function runToEnd(workflowId: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const started = await call("POST", "/run", startBody(workflowId, rid("run"), { parameters, ...extra }));
  expect(started.status).toBe(201);
  return waitForFinal(String(started.json!.id));
}

/** Keys under a prefix of the emulated S3. */
async function listKeys(bucket: string, prefix: string): Promise<string[]> {
  const xml = await (await s3("GET", `/${bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}`)).text();
  return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!);
}

describe("CreateWorkflow", () => {
  it("reads a WDL zip: CREATING, then ACTIVE with the derived template; runs have tasks named after the calls", async () => {
    // Stretched 20× (3 s of CREATING), so that CREATING is still what the next call sees.
    const id = await create({ "main.wdl": WDL }, { tags: { team: "genomics", "emulator:duration-scale": "20" } });
    const creating = await call("GET", `/workflow/${id}`);
    expect(creating.json).toMatchObject({ status: "CREATING" });
    const active = await waitForWorkflow(id, "ACTIVE");
    expect(active).toMatchObject({
      engine: "WDL",
      main: "main.wdl",
      parameterTemplate: { reads: { optional: false }, sample: { optional: true } },
      tags: { team: "genomics", "emulator:duration-scale": "20" },
    });
    expect(String(active.digest)).toMatch(/^[0-9a-f]{64}$/);
    const listed = (await call("GET", "/workflow?maxResults=100")).json!.items as Record<string, unknown>[];
    expect(listed.find((w) => w.id === id)).toMatchObject({ status: "ACTIVE" });
    const missingParam = await call("POST", "/run", startBody(id, rid("noparams"), { parameters: {} }));
    expect(missingParam.status).toBe(400);
    const run = await runToEnd(id, { reads: "s3://example-bucket/r.fq" });
    expect(run.status).toBe("COMPLETED");
    const tasks = (await call("GET", `/run/${String(run.id)}/task`)).json!.items as { name: string }[];
    expect(tasks.map((t) => t.name)).toEqual(["align", "report"]);
  });

  it("refuses StartRun while the workflow is CREATING", async () => {
    // CREATING lasts 150 ms at time scale 0.05: stretched 100×, it still lasts when StartRun arrives on a busy machine.
    const id = await create({ "main.wdl": WDL }, { tags: { "emulator:duration-scale": "100" } });
    const early = await call("POST", "/run", startBody(id, rid("early"), { parameters: { reads: "s3://b/r" } }));
    expect(early.status).toBe(409);
    expect(early.headers.get("x-amzn-errortype")).toBe("ConflictException");
  });

  it("goes FAILED with a statusMessage for a zip without a definition, an unreadable file or a draft-2 WDL", async () => {
    for (const [files, message] of [
      [{ "README.md": "nothing to run" }, /no workflow definition file/],
      [{ "main.cwl": "class: [unclosed" }, /not valid YAML/],
      [{ "main.wdl": "workflow W { call a }" }, /draft-2/],
    ] as const) {
      const id = await create(files);
      const failed = await waitForWorkflow(id, "FAILED");
      expect(String(failed.statusMessage)).toMatch(message);
      const run = await call("POST", "/run", startBody(id, rid("failedwf")));
      expect(run.status).toBe(409);
    }
  });

  it("reads definitionUri zips from the emulated S3; a missing object fails the workflow", async () => {
    const bucket = "workflow-packages";
    const bytes = zip({
      "pipeline/main.nf": "params.input = null\nprocess COUNT {\n}\nprocess REPORT {\n}\n",
      "pipeline/nextflow.config": "params.outdir = 'x'\n",
    });
    expect((await s3("PUT", `/${bucket}/packages/nf.zip`, { body: bytes })).status).toBe(200);
    const fromS3 = await call("POST", "/workflow", { requestId: rid("uri"), definitionUri: `s3://${bucket}/packages/nf.zip` });
    const active = await waitForWorkflow(String(fromS3.json!.id), "ACTIVE");
    expect(active).toMatchObject({
      engine: "NEXTFLOW",
      main: "pipeline/main.nf",
      parameterTemplate: { input: { optional: true }, outdir: { optional: true } },
    });
    const run = await runToEnd(String(fromS3.json!.id), {});
    expect(((await call("GET", `/run/${String(run.id)}/task`)).json!.items as { name: string }[]).map((t) => t.name)).toEqual(["COUNT", "REPORT"]);
    const missing = await call("POST", "/workflow", { requestId: rid("uri-missing"), definitionUri: `s3://${bucket}/packages/none.zip` });
    const failed = await waitForWorkflow(String(missing.json!.id), "FAILED");
    expect(String(failed.statusMessage)).toMatch(/does not exist/);
  });

  it("makes runs of a definition marked emulator:fail fail in a task with RUN_TASK_FAILED", async () => {
    const id = await create({ "main.wdl": WDL.replace("workflow Pipeline {", "# emulator:fail\nworkflow Pipeline {") });
    await waitForWorkflow(id, "ACTIVE");
    const run = await runToEnd(id, { reads: "s3://b/r" });
    expect(run).toMatchObject({ status: "FAILED", failureReason: "RUN_TASK_FAILED" });
    const failed = (await call("GET", `/run/${String(run.id)}/task?status=FAILED`)).json!.items as { name: string }[];
    expect(failed.map((t) => t.name)).toEqual(["report", "report"]);
  });

  it("is idempotent on requestId, also after DeleteWorkflow, which makes the workflow unknown", async () => {
    const body = { requestId: rid("idem-wf"), definitionZip: toBase64(zip({ "main.wdl": WDL })) };
    const first = await call("POST", "/workflow", body);
    const again = await call("POST", "/workflow", body);
    expect(again.json).toEqual(first.json);
    const id = String(first.json!.id);
    expect((await call("DELETE", `/workflow/${id}`)).status).toBe(202);
    expect((await call("GET", `/workflow/${id}`)).status).toBe(404);
    expect((await call("DELETE", `/workflow/${id}`)).status).toBe(404);
    const listed = (await call("GET", "/workflow?maxResults=100")).json!.items as Record<string, unknown>[];
    expect(listed.map((w) => w.id)).not.toContain(id);
    expect((await call("POST", "/workflow", body)).json).toEqual(first.json);
    expect((await call("DELETE", "/workflow/1000001")).status).toBe(400);
  });

  it("answers ServiceQuotaExceededException (402) beyond the maximum-workflows quota", async () => {
    const count = ((await call("GET", "/workflow?maxResults=100")).json!.items as unknown[]).length - 5;
    await local("PUT", "/__emulator/config", { maxWorkflows: count });
    try {
      const refused = await call("POST", "/workflow", { requestId: rid("quota"), definitionZip: toBase64(zip({ "main.wdl": WDL })) });
      expect(refused.status).toBe(402);
      expect(refused.headers.get("x-amzn-errortype")).toBe("ServiceQuotaExceededException");
      expect(String(refused.json!.message)).toMatch(/maximum workflows/);
    } finally {
      await local("PUT", "/__emulator/config", { maxWorkflows: null });
    }
  });
});

describe("outputs of a COMPLETED run", () => {
  const bucket = "run-outputs";
  const outputUri = `s3://${bucket}/results`;

  it("writes WDL's outputs.json (Workflow.output → S3 URIs, lists, primitives), the files and logs/engine.log under <runId>/ by default", async () => {
    const id = await create({ "main.wdl": WDL });
    await waitForWorkflow(id, "ACTIVE");
    const run = await runToEnd(id, { reads: "s3://b/r" }, { outputUri });
    const runId = String(run.id);
    const keys = await listKeys(bucket, `results/${runId}/`);
    expect(keys).toEqual(
      expect.arrayContaining([`results/${runId}/logs/outputs.json`, `results/${runId}/logs/engine.log`, `results/${runId}/out/bam/bam.txt`]),
    );
    const summary = (await (await s3("GET", `/${bucket}/results/${runId}/logs/outputs.json`)).json()) as Record<string, unknown>;
    expect(summary).toEqual({
      "Pipeline.bam": `s3://${bucket}/results/${runId}/out/bam/bam.txt`,
      "Pipeline.stats": [`s3://${bucket}/results/${runId}/out/stats/stats_0.txt`, `s3://${bucket}/results/${runId}/out/stats/stats_1.txt`],
      "Pipeline.count": 42,
    });
    const file = await s3("GET", `/${bucket}/results/${runId}/out/bam/bam.txt`);
    expect(await file.text()).toMatch(/^Output bam\/bam.txt of run/);
    expect(await (await s3("GET", `/${bucket}/results/${runId}/logs/engine.log`)).text()).toMatch(/Workflow wf completed successfully/);
  });

  it("follows the emulator:output-layout tag: run-uuid, wdl-output-json, none, malformed", async () => {
    const layouts: Record<string, (runId: string, uuid: string) => string | undefined> = {
      "run-uuid": (r, u) => `results/${r}/${u}/logs/outputs.json`,
      "wdl-output-json": (r) => `results/${r}/logs/output.json`,
      none: () => undefined,
      malformed: (r) => `results/${r}/logs/outputs.json`,
    };
    const runs = await Promise.all(
      Object.keys(layouts).map(async (layout) => {
        const started = await call("POST", "/run", startBody("1000001", rid(layout), { outputUri, tags: { "emulator:output-layout": layout } }));
        return { layout, id: String(started.json!.id), uuid: String(started.json!.uuid) };
      }),
    );
    for (const r of runs) {
      await waitForFinal(r.id);
      const keys = await listKeys(bucket, `results/${r.id}/`);
      const summaries = keys.filter((k) => /logs\/outputs?\.json$/.test(k));
      const expected = layouts[r.layout]!(r.id, r.uuid);
      expect(summaries).toEqual(expected ? [expected] : []);
      if (r.layout === "malformed") {
        const text = await (await s3("GET", `/${bucket}/${expected}`)).text();
        expect(() => JSON.parse(text)).toThrow();
      }
      if (r.layout === "run-uuid") expect(keys.every((k) => k.startsWith(`results/${r.id}/${r.uuid}/`))).toBe(true);
    }
    const bad = await call("POST", "/run", startBody("1000001", rid("badlayout"), { outputUri, tags: { "emulator:output-layout": "sideways" } }));
    expect(bad.status).toBe(400);
  });

  it("writes CWL File objects, nothing for Nextflow but files under out/, and nothing at all for failed or cancelled runs", async () => {
    const cwl = await create({
      "main.cwl":
        "cwlVersion: v1.2\nclass: Workflow\ninputs: {}\noutputs:\n  report: {type: File, outputSource: s/r}\n  parts: {type: Directory, outputSource: s/d}\nsteps:\n  s: {run: t.cwl, in: {}, out: [r, d]}\n",
    });
    await waitForWorkflow(cwl, "ACTIVE");
    const cwlRun = String((await runToEnd(cwl, {}, { outputUri })).id);
    const summary = (await (await s3("GET", `/${bucket}/results/${cwlRun}/logs/outputs.json`)).json()) as Record<string, Record<string, unknown>>;
    expect(summary.report).toEqual({
      class: "File",
      location: `s3://${bucket}/results/${cwlRun}/out/report/report.txt`,
      basename: "report.txt",
      size: expect.any(Number),
    });
    expect(summary.parts).toMatchObject({ class: "Directory", basename: "parts", listing: [{ class: "File" }, { class: "File" }] });
    const nf = String((await runToEnd("1000002", { input_file: "s3://b/x" }, { outputUri })).id);
    const nfKeys = await listKeys(bucket, `results/${nf}/`);
    expect(nfKeys.some((k) => k.endsWith("outputs.json"))).toBe(false);
    expect(nfKeys.filter((k) => k.includes("/out/")).length).toBeGreaterThan(0);
    const failed = String((await runToEnd("1000003", { input_file: "s3://b/x" }, { outputUri })).id);
    expect(await listKeys(bucket, `results/${failed}/`)).toEqual([]);
    const cancelled = String((await call("POST", "/run", startBody("1000001", rid("cancelled"), { outputUri }))).json!.id);
    expect((await call("POST", `/run/${cancelled}/cancel`)).status).toBe(202);
    expect((await waitForFinal(cancelled)).status).toBe("CANCELLED");
    expect(await listKeys(bucket, `results/${cancelled}/`)).toEqual([]);
  });
});
