/**
 * Registering workflow packages against the emulator: CreateWorkflow once per package and
 * generation (concurrent steps share one workflow through the requestId), CREATING → ACTIVE by
 * GetWorkflow, FAILED with HealthOmics' statusMessage and a new generation, large zips through
 * S3 (definitionUri), and the D1 rows that record it all.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { executorSettings } from "../../src/executor-config";
import { s3Client } from "../../src/executors/healthomics/aws/s3-factory";
import { omicsClient } from "../../src/executors/healthomics/client/factory";
import { packageWorkflow } from "../../src/executors/healthomics/package/packager";
import type { Engine } from "../../src/executors/healthomics/package/collect";
import { INLINE_ZIP_BYTES, type RegisterOutcome, registerStep } from "../../src/executors/healthomics/packages/register";
import { packageOfWorkflow, packageRow, usePackage } from "../../src/executors/healthomics/packages/store";

const bytes = (text: string) => new TextEncoder().encode(text);
const settings = () => executorSettings(env);
const deps = () => ({
  db: database(env.DB),
  omics: omicsClient(settings()),
  s3: s3Client(settings()),
  bucket: env.ATTACHMENTS,
  outputPrefix: settings().outputPrefix,
});

async function stored(files: Record<string, string | Uint8Array>, engine: Engine, main: string, owner = "demo") {
  const map = new Map(Object.entries(files).map(([p, c]) => [p, typeof c === "string" ? bytes(c) : c]));
  const pkg = await packageWorkflow(map, engine, main);
  const zipKey = `packages/${pkg.hash}.zip`;
  await env.ATTACHMENTS.put(zipKey, pkg.zip);
  await usePackage(database(env.DB), { hash: pkg.hash, engine, main, size: pkg.zip.byteLength, zipKey, source: { kind: "attachments" } }, owner, Date.now());
  return pkg.hash;
}

/** Steps until the outcome is final, as the run's alarm would (without the waits). */
async function untilDone(hash: string): Promise<RegisterOutcome> {
  for (let i = 0; i < 100; i++) {
    const outcome = await registerStep(deps(), hash);
    if (outcome.kind === "active" || outcome.kind === "failed") return outcome;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("registration did not finish");
}

const WDL = (marker: string) =>
  `version 1.0\n# ${marker}\nimport "tasks/greet.wdl" as g\nworkflow hello {\n  input { String name }\n  call g.greet { input: name = name }\n}\n`;
const TASK =
  'version 1.0\ntask greet {\n  input { String name }\n  command <<< echo "hi ~{name}" >>>\n  output { String out = read_string(stdout()) }\n  runtime { docker: "ubuntu" }\n}\n';

describe("package registration", () => {
  it("creates the workflow once, waits for ACTIVE and records it", async () => {
    const hash = await stored({ "main.wdl": WDL(crypto.randomUUID()), "tasks/greet.wdl": TASK }, "WDL", "main.wdl");
    const first = await registerStep(deps(), hash);
    expect(first.kind).toBe("wait");
    const done = await untilDone(hash);
    expect(done.kind).toBe("active");
    if (done.kind !== "active") return;
    const row = await packageRow(database(env.DB), hash);
    expect(row).toMatchObject({ workflowId: done.workflowId, status: "ACTIVE", generation: 1 });
    const got = await omicsClient(settings()).getWorkflow(done.workflowId);
    expect(got.ok && got.value).toMatchObject({ status: "ACTIVE", main: "main.wdl", tags: { "wes:package": hash } });
    expect(await packageOfWorkflow(database(env.DB), done.workflowId)).toEqual({ hash, owners: ["demo"] });
  });

  it("gives concurrent steps of a new package one workflow", async () => {
    const hash = await stored({ "main.wdl": WDL(crypto.randomUUID()), "tasks/greet.wdl": TASK }, "WDL", "main.wdl");
    const outcomes = await Promise.all([registerStep(deps(), hash), registerStep(deps(), hash), registerStep(deps(), hash)]);
    const ids = new Set(outcomes.map((o) => ("workflowId" in o ? o.workflowId : o.kind)));
    expect(ids.size).toBe(1);
    const list = await omicsClient(settings()).listWorkflows({ name: `wes-${hash.slice(0, 12)}-main.wdl` });
    expect(list.ok && list.value.items?.length).toBe(1);
  });

  it("ends FAILED with HealthOmics' statusMessage and starts a new generation", async () => {
    const hash = await stored({ "main.wdl": `workflow draft2 { } # ${crypto.randomUUID()}` }, "WDL", "main.wdl");
    const done = await untilDone(hash);
    expect(done.kind).toBe("failed");
    if (done.kind === "failed") expect(done.message).toMatch(/version/i);
    const row = await packageRow(database(env.DB), hash);
    expect(row).toMatchObject({ generation: 2, workflowId: null, status: null });
    expect(row?.statusMessage).toMatch(/version/i);
  });

  it("sends a zip over 4 MiB through S3 as definitionUri", async () => {
    const noise = new Uint8Array(INLINE_ZIP_BYTES + 1024);
    for (let i = 0; i < noise.length; i += 65536) crypto.getRandomValues(noise.subarray(i, i + 65536));
    const hash = await stored({ "main.wdl": WDL(crypto.randomUUID()), "tasks/greet.wdl": TASK, "data/blob.bin": noise }, "WDL", "main.wdl");
    const done = await untilDone(hash);
    expect(done.kind).toBe("active");
    const s3 = s3Client(settings());
    const head = await s3.send({ operation: "HeadObject", method: "HEAD", bucket: "wes-test-outputs", key: `packages/${hash}.zip` });
    expect(head.ok).toBe(true);
  });
});
