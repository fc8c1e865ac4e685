/**
 * Retiring workflow packages against the emulator (packages/retire.ts): an unused package whose
 * runs are all final loses its workflow (DeleteWorkflow), its zips and its generation, and the
 * next submission creates it again with a fresh requestId; a package a live run uses (queued and
 * not yet prepared included) is never retired; a 404 counts as done; a refused DeleteWorkflow
 * gives the retirement up; and a submission racing the retirement never gets the deleted workflow.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { database } from "../../src/db/client";
import { executorSettings } from "../../src/executor-config";
import { s3Client } from "../../src/executors/healthomics/aws/s3-factory";
import type { HealthOmicsClient } from "../../src/executors/healthomics/client/client";
import { omicsClient } from "../../src/executors/healthomics/client/factory";
import type { Engine } from "../../src/executors/healthomics/package/collect";
import { packageWorkflow } from "../../src/executors/healthomics/package/packager";
import { INLINE_ZIP_BYTES, packageS3Location, type RegisterOutcome, registerStep } from "../../src/executors/healthomics/packages/register";
import { type RetireDeps, retireBatch, retirementTick } from "../../src/executors/healthomics/packages/retire";
import { basic } from "../support/api";
import { claimRetirement, type NewPackage, packageRow, retirablePackages, usePackage } from "../../src/executors/healthomics/packages/store";

const DAY = 86_400_000;
const bytes = (text: string) => new TextEncoder().encode(text);
const settings = () => executorSettings(env);
const db = () => database(env.DB);
const registerDeps = () => ({
  db: db(),
  omics: omicsClient(settings()),
  s3: s3Client(settings()),
  bucket: env.ATTACHMENTS,
  outputPrefix: settings().outputPrefix,
});
const retireDeps = (omics: HealthOmicsClient = omicsClient(settings())): RetireDeps => ({
  ...registerDeps(),
  omics,
  book: async () => true,
});

const WDL = (marker: string) => `version 1.0\n# ${marker}\nworkflow hello {\n  input { String name }\n}\n`;

/** A package stored as a submission stores it (zip in ATTACHMENTS, row in D1), used at `usedAt`. */
async function stored(usedAt: number, files: Record<string, Uint8Array | string> = { "main.wdl": WDL(crypto.randomUUID()) }, engine: Engine = "WDL") {
  const map = new Map(Object.entries(files).map(([p, c]) => [p, typeof c === "string" ? bytes(c) : c]));
  const pkg = await packageWorkflow(map, engine, "main.wdl");
  const zipKey = `packages/${pkg.hash}.zip`;
  await env.ATTACHMENTS.put(zipKey, pkg.zip);
  const meta: NewPackage = { hash: pkg.hash, engine, main: "main.wdl", size: pkg.zip.byteLength, zipKey, source: { kind: "attachments" } };
  await usePackage(db(), meta, "demo", usedAt);
  return { hash: pkg.hash, zipKey, meta, zip: pkg.zip };
}

async function untilActive(hash: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const outcome: RegisterOutcome = await registerStep(registerDeps(), hash);
    if (outcome.kind === "active") return outcome.workflowId;
    if (outcome.kind === "failed") throw new Error(outcome.message);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("registration did not finish");
}

/** A run of the package in `state`, inserted as POST /runs stores one. */
async function runOf(hash: string, state: string): Promise<string> {
  const id = crypto.randomUUID();
  await env.DB.prepare(
    "INSERT INTO runs (id, owner, state, request, tags, created_at, updated_at, request_hash, package_hash) VALUES (?1, 'demo', ?2, '{}', '{}', ?3, ?3, 'x', ?4)",
  )
    .bind(id, state, Date.now(), hash)
    .run();
  return id;
}

async function workflowStatus(id: string): Promise<number | string> {
  const got = await omicsClient(settings()).getWorkflow(id);
  return got.ok ? (got.value.status ?? "?") : (got.error.status ?? 0);
}

const old = () => Date.now() - 40 * DAY;
const cutoff = () => Date.now() - 30 * DAY;

describe("package retirement", () => {
  it("deletes an unused package's workflow and zip; the next submission creates a new workflow", async () => {
    const { hash, zipKey, meta, zip } = await stored(old());
    const first = await untilActive(hash);
    await runOf(hash, "COMPLETE");
    const result = await retireBatch(retireDeps(), cutoff(), Date.now(), 1000);
    expect(result.retired).toBeGreaterThanOrEqual(1);
    expect(await workflowStatus(first)).toBe(404);
    expect(await env.ATTACHMENTS.head(zipKey)).toBeNull();
    expect(await packageRow(db(), hash)).toMatchObject({ generation: 2, workflowId: null, status: null, retiredAt: expect.any(Number) });
    // Submitted again: the zip comes back with it, and a fresh requestId makes a new workflow.
    await usePackage(db(), meta, "demo", Date.now());
    await env.ATTACHMENTS.put(zipKey, zip);
    const second = await untilActive(hash);
    expect(second).not.toBe(first);
    expect(await workflowStatus(second)).toBe("ACTIVE");
  });

  it("never retires a package a live run uses, queued and not yet prepared included", async () => {
    const queued = await stored(old());
    await untilActive(queued.hash);
    await runOf(queued.hash, "COMPLETE");
    await runOf(queued.hash, "QUEUED");
    const running = await stored(old());
    await untilActive(running.hash);
    await runOf(running.hash, "RUNNING");
    const recent = await stored(Date.now() - DAY);
    await untilActive(recent.hash);
    const candidates = (await retirablePackages(db(), cutoff(), 10_000)).map((r) => r.hash);
    expect(candidates).not.toContain(queued.hash);
    expect(candidates).not.toContain(running.hash);
    expect(candidates).not.toContain(recent.hash);
    await retireBatch(retireDeps(), cutoff(), Date.now(), 1000);
    for (const { hash } of [queued, running, recent]) expect(await packageRow(db(), hash)).toMatchObject({ status: "ACTIVE", generation: 1 });
  });

  it("re-checks at the claim: a run queued or a use recorded after the selection wins", async () => {
    const { hash, meta } = await stored(old());
    await untilActive(hash);
    const selected = (await packageRow(db(), hash))!;
    await runOf(hash, "QUEUED");
    expect(await claimRetirement(db(), selected, cutoff(), Date.now())).toBeUndefined();
    const other = await stored(old());
    await untilActive(other.hash);
    const row = (await packageRow(db(), other.hash))!;
    await usePackage(db(), other.meta, "demo", Date.now());
    expect(await claimRetirement(db(), row, cutoff(), Date.now())).toBeUndefined();
    expect(await packageRow(db(), meta.hash)).toMatchObject({ status: "ACTIVE", generation: 1 });
  });

  it("a submission during the deletion waits, keeps its zip, and gets a re-created workflow, never the deleted one", async () => {
    const { hash, zipKey, meta } = await stored(old());
    const first = await untilActive(hash);
    const real = omicsClient(settings());
    const seen: RegisterOutcome[] = [];
    // The submission lands while DeleteWorkflow is in flight: its use is recorded and its zip found
    // (so not stored again), and its run's prepare step reads the package.
    const racing = Object.create(real) as HealthOmicsClient;
    racing.deleteWorkflow = async (id: string) => {
      await usePackage(db(), meta, "other", Date.now());
      expect(await env.ATTACHMENTS.head(zipKey)).not.toBeNull();
      seen.push(await registerStep(registerDeps(), hash));
      return await real.deleteWorkflow(id);
    };
    const result = await retireBatch(retireDeps(racing), cutoff(), Date.now(), 1000);
    expect(result.retired).toBeGreaterThanOrEqual(1);
    expect(seen[0]).toMatchObject({ kind: "wait" });
    expect(await workflowStatus(first)).toBe(404);
    expect(await env.ATTACHMENTS.head(zipKey)).not.toBeNull();
    const second = await untilActive(hash);
    expect(second).not.toBe(first);
    expect(await workflowStatus(second)).toBe("ACTIVE");
  });

  it("finishes a retirement whose tick died, once its claim is stale, keeping the zip", async () => {
    const { hash, zipKey } = await stored(old());
    const first = await untilActive(hash);
    const row = (await packageRow(db(), hash))!;
    const claimedAt = Date.now() - 5 * 60_000;
    expect(await claimRetirement(db(), row, cutoff(), claimedAt)).toEqual(expect.any(Number));
    expect(await registerStep(registerDeps(), hash)).toMatchObject({ kind: "wait" });
    // Five minutes old: its tick may still be at work.
    await retireBatch(retireDeps(), null, Date.now(), 1000);
    expect(await packageRow(db(), hash)).toMatchObject({ status: "RETIRING", generation: 1 });
    // Twenty minutes on, a later tick takes it over (retirement now off: it still finishes).
    await retireBatch(retireDeps(), null, claimedAt + 20 * 60_000, 1000);
    expect(await packageRow(db(), hash)).toMatchObject({ status: null, generation: 2, workflowId: null });
    expect(await workflowStatus(first)).toBe(404);
    expect(await env.ATTACHMENTS.head(zipKey)).not.toBeNull();
  });

  it("counts a 404 from DeleteWorkflow as done, and deletes the S3 copy of a large zip on the S3Write line", async () => {
    const noise = new Uint8Array(INLINE_ZIP_BYTES + 1024);
    for (let i = 0; i < noise.length; i += 65536) crypto.getRandomValues(noise.subarray(i, i + 65536));
    const { hash } = await stored(old(), { "main.wdl": WDL(crypto.randomUUID()), "data.bin": noise });
    const id = await untilActive(hash);
    const { bucket, key } = packageS3Location(settings().outputPrefix, hash);
    const s3 = s3Client(settings());
    expect((await s3.headObject(bucket, key)).ok).toBe(true);
    expect((await omicsClient(settings()).deleteWorkflow(id)).ok).toBe(true);
    // With the S3Write line busy nothing is claimed or deleted: the retirement waits for a later tick.
    await retireBatch({ ...retireDeps(), book: async (line) => line !== "S3Write" }, cutoff(), Date.now(), 1000);
    expect(await packageRow(db(), hash)).toMatchObject({ generation: 1, status: "ACTIVE" });
    expect((await s3.headObject(bucket, key)).ok).toBe(true);
    const booked: string[] = [];
    await retireBatch({ ...retireDeps(), book: async (line) => (booked.push(line), true) }, cutoff(), Date.now(), 1000);
    expect(booked).toEqual(["S3Write", "DeleteWorkflow"]);
    expect(await packageRow(db(), hash)).toMatchObject({ generation: 2, workflowId: null });
    const head = await s3.headObject(bucket, key);
    expect(head.ok ? "present" : head.error.status).toBe(404);
  });

  it("gives a retirement up when HealthOmics refuses DeleteWorkflow for good", async () => {
    const { hash } = await stored(old());
    await untilActive(hash);
    // Seeded workflows cannot be deleted: the emulator answers ValidationException (400).
    await env.DB.prepare("UPDATE workflow_packages SET workflow_id = '1000001' WHERE hash = ?1").bind(hash).run();
    await retireBatch(retireDeps(), cutoff(), Date.now(), 1000);
    const row = await packageRow(db(), hash);
    expect(row).toMatchObject({ generation: 1, workflowId: "1000001", status: null });
    expect(row?.statusMessage).toMatch(/retirement failed: DeleteWorkflow 1000001: ValidationException/);
    await env.DB.prepare("DELETE FROM workflow_packages WHERE hash = ?1").bind(hash).run();
  });

  it("stops a batch when no DeleteWorkflow call is free, and is off by default", async () => {
    const { hash } = await stored(old());
    await untilActive(hash);
    const busy = await retireBatch({ ...retireDeps(), book: async () => false }, cutoff(), Date.now(), 1000);
    expect(busy.retired).toBe(0);
    expect(busy.deferred).toBeGreaterThanOrEqual(1);
    expect(await packageRow(db(), hash)).toMatchObject({ status: "ACTIVE" });
    expect(await retirementTick(env, Date.now())).toBeNull();
  });

  it("retires on the cron tick when WES_PACKAGE_RETIRE_DAYS is set, and /admin/metrics counts packages", async () => {
    // The oldest of all: a tick takes the least recently used first, at most 10.
    const { hash } = await stored(Date.now() - 400 * DAY);
    await untilActive(hash);
    const on = { ...env, WES_PACKAGE_RETIRE_DAYS: "30" } as Env;
    const result = await retirementTick(on, Date.now());
    expect(result?.retired).toBeGreaterThanOrEqual(1);
    expect(await packageRow(db(), hash)).toMatchObject({ generation: 2, workflowId: null });
    const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const res = await createApp().fetch(new Request("http://wes.test/admin/metrics", { headers: { Authorization: basic("admin") } }), on, ctx);
    const metrics = (await res.json()) as { workflow_packages: Record<string, number | null> };
    expect(metrics.workflow_packages).toEqual({ active: expect.any(Number), retiring: 0, retired: expect.any(Number), retire_days: 30 });
    expect(metrics.workflow_packages.retired).toBeGreaterThanOrEqual(1);
  });
});
