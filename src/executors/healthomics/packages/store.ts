/**
 * The workflow_packages table: one row per package (content address), the HealthOmics workflow of
 * its current generation, and who submitted it. Every write that depends on what was read is
 * conditional on the generation, so two runs of one package never undo each other's work.
 */
import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { runs, workflowPackages, workflowPackageUsers } from "../../../db/schema";
import { LIVE_STATES } from "../../../wes/states";

/** A package row. */
export type PackageRow = typeof workflowPackages.$inferSelect;

/** What a submission knows about its package. */
export interface NewPackage {
  hash: string;
  engine: string;
  main: string;
  size: number;
  zipKey: string;
  source: Record<string, unknown>;
}

/** Records a use of a package by `owner` (creating its row the first time); returns the row. */
export async function usePackage(db: Db, pkg: NewPackage, owner: string, now: number): Promise<PackageRow> {
  await db.batch([
    db
      .insert(workflowPackages)
      .values({ ...pkg, generation: 1, firstUsedAt: now, lastUsedAt: now })
      .onConflictDoUpdate({ target: workflowPackages.hash, set: { lastUsedAt: sql`max(${workflowPackages.lastUsedAt}, ${now})` } }),
    db.insert(workflowPackageUsers).values({ hash: pkg.hash, owner }).onConflictDoNothing(),
  ]);
  return (await packageRow(db, pkg.hash))!;
}

/** The row of a package. */
export async function packageRow(db: Db, hash: string): Promise<PackageRow | undefined> {
  return (await db.select().from(workflowPackages).where(eq(workflowPackages.hash, hash)).limit(1))[0];
}

/** Records the workflow and status of a generation (no-op when the generation moved on). */
export async function setWorkflow(db: Db, hash: string, generation: number, workflowId: string, status: string, statusMessage: string | null): Promise<void> {
  await db
    .update(workflowPackages)
    .set({ workflowId, status, statusMessage })
    .where(and(eq(workflowPackages.hash, hash), eq(workflowPackages.generation, generation)));
}

/**
 * Starts a new generation after `generation` failed or was retired: no workflow, a new
 * idempotency token. The failure stays readable in `statusMessage`. No-op if someone else did it.
 */
export async function nextGeneration(db: Db, hash: string, generation: number, statusMessage: string | null): Promise<void> {
  await db
    .update(workflowPackages)
    .set({ generation: generation + 1, workflowId: null, status: null, statusMessage })
    .where(and(eq(workflowPackages.hash, hash), eq(workflowPackages.generation, generation)));
}

/** The package a HealthOmics workflow belongs to, with everyone who submitted it; undefined for a workflow registered by hand. */
export async function packageOfWorkflow(db: Db, workflowId: string): Promise<{ hash: string; owners: string[] } | undefined> {
  const rows = await db
    .select({ hash: workflowPackages.hash, owner: workflowPackageUsers.owner })
    .from(workflowPackages)
    .leftJoin(workflowPackageUsers, eq(workflowPackageUsers.hash, workflowPackages.hash))
    .where(eq(workflowPackages.workflowId, workflowId));
  if (rows.length === 0) return undefined;
  return { hash: rows[0]!.hash, owners: rows.flatMap((r) => (r.owner ? [r.owner] : [])) };
}

/**
 * Packages to retire: a workflow exists, unused since `before`, and no run of theirs is live.
 * At most `limit` per call (the cron retires a few at a time on the budget).
 */
export async function retirablePackages(db: Db, before: number, limit: number): Promise<PackageRow[]> {
  const live = db
    .select({ hash: runs.packageHash })
    .from(runs)
    .where(and(isNotNull(runs.packageHash), inArray(runs.state, [...LIVE_STATES])));
  return await db
    .select()
    .from(workflowPackages)
    .where(and(isNotNull(workflowPackages.workflowId), lt(workflowPackages.lastUsedAt, before), sql`${workflowPackages.hash} not in ${live}`))
    .limit(limit);
}
