/**
 * What deleting a run removes outside D1, against the real emulator (S3 and HealthOmics) and the
 * real ATTACHMENTS bucket: the S3 inputs the service uploaded and the run's R2 files always (never
 * a shared package zip); the outputs only with WES_DELETE_OUTPUTS; the HealthOmics run (DeleteRun)
 * only with HEALTHOMICS_DELETE_RUNS; and a DeleteRun or DeleteObject that fails midway is retried
 * by the run object's alarm until the removal completes.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { executorSettings } from "../../src/executor-config";
import { s3Client } from "../../src/executors/healthomics/aws/s3-factory";
import { deleteRun } from "../../src/wes/run-deletion";
import { call, runBody, submit } from "../support/api";
import { addFault, callsFor } from "../support/emulator";
import { drain, drive, runRow, untilRemoved } from "../support/runs";

const BUCKET = "wes-test-outputs";
const s3 = () => s3Client(executorSettings(env));
const folderOf = (runId: string) => `users/demo/runs/${runId}/`;

/** Keys under `prefix` in the emulator's output bucket. */
async function keysUnder(prefix: string): Promise<string[]> {
  const page = await s3().listObjects(BUCKET, prefix);
  if (!page.ok) throw new Error(`listing ${prefix}: ${page.error.message}`);
  return page.value.objects.map((o) => o.key);
}

/** A COMPLETE run (its outputs written by the emulator) with two uploaded inputs and an R2 file. */
async function completedRunWithFiles(): Promise<{ runId: string; omicsRunId: string }> {
  const runId = await submit(runBody("1000001"));
  expect(await drive(runId)).toBe("COMPLETE");
  await drain(runId);
  for (const path of ["inputs/reads.fastq", "inputs/refs/genome.fa"]) {
    const put = await s3().putObject(BUCKET, `${folderOf(runId)}${path}`, new TextEncoder().encode(path));
    expect(put.ok).toBe(true);
  }
  await env.ATTACHMENTS.put(`runs/${runId}/attachments/notes.txt`, "notes");
  const { omics_run_id } = await runRow(runId);
  return { runId, omicsRunId: omics_run_id! };
}

/** An emulator fault on S3 (S3 calls carry no run id: the rule is limited by its count). */
async function addS3Fault(operation: string, count: number): Promise<void> {
  const res = await fetch(`${env.TEST_EMULATOR_URL}/__emulator/faults`, {
    method: "POST",
    body: JSON.stringify({ service: "s3", operation, kind: "error", count }),
    headers: { "Content-Type": "application/json" },
  });
  expect(res.ok).toBe(true);
}

describe("deleting a run's data", () => {
  it("removes the S3 inputs and the run's R2 files, keeps outputs and packages, and leaves HealthOmics alone by default", async () => {
    const { runId } = await completedRunWithFiles();
    const outputs = (await keysUnder(folderOf(runId))).filter((k) => !k.includes("/inputs/"));
    expect(outputs.length).toBeGreaterThan(0);
    const shared = `packages/test-${crypto.randomUUID()}.zip`;
    await env.ATTACHMENTS.put(shared, "zip");

    expect((await call(`/runs/${runId}`, { method: "DELETE", user: "demo" })).status).toBe(200);
    // R2 goes before the answer; S3 with the object's removal work.
    expect((await env.ATTACHMENTS.list({ prefix: `runs/${runId}/` })).objects).toEqual([]);
    await untilRemoved(runId);

    expect(await keysUnder(`${folderOf(runId)}inputs/`)).toEqual([]);
    expect((await keysUnder(folderOf(runId))).sort()).toEqual(outputs.sort());
    expect(await env.ATTACHMENTS.head(shared)).not.toBeNull();
    expect((await callsFor(runId)).filter((c) => c.operation === "DeleteRun")).toEqual([]);
  });

  it("with WES_DELETE_OUTPUTS and HEALTHOMICS_DELETE_RUNS: the whole folder and the HealthOmics run go", async () => {
    const { runId, omicsRunId } = await completedRunWithFiles();
    const settings = { ...env, WES_DELETE_OUTPUTS: "true", HEALTHOMICS_DELETE_RUNS: "true" } as Env;
    expect(await deleteRun(settings, { id: runId, owner: "demo", omicsRunId }, { reason: "request", by: "demo", now: Date.now() })).toBe(true);
    await untilRemoved(runId);

    expect(await keysUnder(folderOf(runId))).toEqual([]);
    const deletes = (await callsFor(runId)).filter((c) => c.operation === "DeleteRun");
    expect(deletes.map((c) => [c.runId, c.status])).toEqual([[omicsRunId, 202]]);
  });

  it("a DeleteRun and a DeleteObject that fail midway are retried until the removal completes", async () => {
    const { runId, omicsRunId } = await completedRunWithFiles();
    await addFault({ requestId: runId, operation: "DeleteRun", kind: "error", count: 2 });
    await addS3Fault("DeleteObject", 1);
    const settings = { ...env, HEALTHOMICS_DELETE_RUNS: "true" } as Env;
    await deleteRun(settings, { id: runId, owner: "demo", omicsRunId }, { reason: "retention", by: null, now: Date.now() });
    // The run is deleted in D1 at once, whatever the object still has to do.
    expect(await env.DB.prepare("SELECT id FROM runs WHERE id = ?1").bind(runId).first()).toBeNull();
    await untilRemoved(runId);

    const deletes = (await callsFor(runId)).filter((c) => c.operation === "DeleteRun");
    expect(deletes.map((c) => c.status)).toEqual([500, 500, 202]);
    expect(await keysUnder(`${folderOf(runId)}inputs/`)).toEqual([]);
    expect((await keysUnder(folderOf(runId))).length).toBeGreaterThan(0); // outputs kept (setting off)
  });
});
