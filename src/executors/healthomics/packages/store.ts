/**
 * The workflow_packages table: one row per package (content address), the HealthOmics workflow of
 * its current generation, and who submitted it. Every write that depends on what was read is
 * conditional on the generation, so two runs of one package never undo each other's work.
 */
import { and, eq, isNotNull, lt, type SQL, sql } from "drizzle-orm";
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
      .values({ ...pkg, generation: 1, firstUsedAt: now, lastUsedAt: now, uses: 1 })
      .onConflictDoUpdate({
        target: workflowPackages.hash,
        set: { lastUsedAt: sql`max(${workflowPackages.lastUsedAt}, ${now})`, uses: sql`${workflowPackages.uses} + 1` },
      }),
    db.insert(workflowPackageUsers).values({ hash: pkg.hash, owner }).onConflictDoNothing(),
  ]);
  return (await packageRow(db, pkg.hash))!;
}

/** The row of a package. */
export async function packageRow(db: Db, hash: string): Promise<PackageRow | undefined> {
  return (await db.select().from(workflowPackages).where(eq(workflowPackages.hash, hash)).limit(1))[0];
}

/** The status of a package whose workflow the cron sweep is deleting (retire.ts). */
export const RETIRING = "RETIRING";

/**
 * Records the workflow and status of a generation, and the parameter template HealthOmics derived
 * once it is ACTIVE (no-op when the generation moved on or a retirement claimed it).
 */
export async function setWorkflow(
  db: Db,
  hash: string,
  generation: number,
  workflowId: string,
  status: string,
  statusMessage: string | null,
  parameterTemplate?: PackageRow["parameterTemplate"],
): Promise<void> {
  await db
    .update(workflowPackages)
    .set({ workflowId, status, statusMessage, ...(parameterTemplate ? { parameterTemplate } : {}) })
    .where(and(eq(workflowPackages.hash, hash), eq(workflowPackages.generation, generation), notRetiring()));
}

function notRetiring() {
  return sql`coalesce(${workflowPackages.status}, '') <> ${RETIRING}`;
}

/**
 * Starts a new generation after `generation` failed or was retired: no workflow, a new
 * idempotency token. The failure stays readable in `statusMessage`. No-op if someone else did it.
 */
export async function nextGeneration(db: Db, hash: string, generation: number, statusMessage: string | null): Promise<void> {
  await db
    .update(workflowPackages)
    .set({ generation: generation + 1, workflowId: null, status: null, statusMessage, parameterTemplate: null })
    .where(and(eq(workflowPackages.hash, hash), eq(workflowPackages.generation, generation), notRetiring()));
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

/** `package_hash = hash` has no run in a live state (queued runs not yet prepared included). */
function noLiveRun(hash: SQL | string) {
  return sql`not exists (select 1 from ${runs} where ${runs.packageHash} = ${hash} and ${runs.state} in (${sql.join(
    LIVE_STATES.map((state) => sql`${state}`),
    sql`, `,
  )}))`;
}

/**
 * Packages to retire: a workflow exists, unused since `before`, no retirement under way, and no
 * run of theirs is live (QUEUED included: a run is QUEUED from its insert, before its prepare step
 * ever reads the package). At most `limit` per call (the cron retires a few at a time on the
 * budget). claimRetirement checks all of it again atomically.
 */
export async function retirablePackages(db: Db, before: number, limit: number): Promise<PackageRow[]> {
  return await db
    .select()
    .from(workflowPackages)
    .where(and(isNotNull(workflowPackages.workflowId), lt(workflowPackages.lastUsedAt, before), notRetiring(), noLiveRun(sql`${workflowPackages.hash}`)))
    .orderBy(workflowPackages.lastUsedAt)
    .limit(limit);
}

/**
 * Retirements claimed before `staleBefore` and not finished (the tick that claimed them died, or
 * DeleteWorkflow was throttled). A claim younger than that may still be worked on by its tick.
 */
export async function retiringPackages(db: Db, staleBefore: number, limit: number): Promise<PackageRow[]> {
  return await db
    .select()
    .from(workflowPackages)
    .where(and(eq(workflowPackages.status, RETIRING), lt(workflowPackages.retiredAt, staleBefore)))
    .limit(limit);
}

/** Takes over an unfinished retirement (only one tick wins: the claim time is compared and renewed). */
export async function resumeRetirement(db: Db, row: PackageRow, now: number): Promise<boolean> {
  const taken = await db
    .update(workflowPackages)
    .set({ retiredAt: now })
    .where(
      and(
        eq(workflowPackages.hash, row.hash),
        eq(workflowPackages.generation, row.generation),
        eq(workflowPackages.status, RETIRING),
        eq(workflowPackages.retiredAt, row.retiredAt ?? -1),
      ),
    )
    .returning({ hash: workflowPackages.hash });
  return taken.length > 0;
}

/**
 * Claims `row`'s workflow for deletion, in one conditional UPDATE: only if its generation and
 * workflow are still the ones read, it is still unused since `before`, and no run of the package
 * is live. From then on runs of the package wait (register.ts) instead of using the workflow, and
 * usePackage still counts submissions. `retired_at` holds the claim time until the retirement
 * finishes. Returns the use count at the claim, or undefined when the claim lost (someone used the
 * package meanwhile, or another tick claimed it).
 */
export async function claimRetirement(db: Db, row: PackageRow, before: number, now: number): Promise<number | undefined> {
  const claimed = await db
    .update(workflowPackages)
    .set({ status: RETIRING, statusMessage: `retiring since ${new Date(now).toISOString()}`, retiredAt: now })
    .where(
      and(
        eq(workflowPackages.hash, row.hash),
        eq(workflowPackages.generation, row.generation),
        eq(workflowPackages.workflowId, row.workflowId ?? ""),
        lt(workflowPackages.lastUsedAt, before),
        notRetiring(),
        noLiveRun(row.hash),
      ),
    )
    .returning({ uses: workflowPackages.uses });
  return claimed[0]?.uses;
}

/**
 * Ends a retirement whose workflow is deleted: the next generation has no workflow, so the next
 * submission of the same content creates one with a fresh requestId (`<hash>-<generation + 1>`).
 */
export async function finishRetirement(db: Db, row: PackageRow, now: number, statusMessage: string): Promise<boolean> {
  const done = await db
    .update(workflowPackages)
    .set({ generation: row.generation + 1, workflowId: null, status: null, statusMessage, retiredAt: now })
    .where(and(eq(workflowPackages.hash, row.hash), eq(workflowPackages.generation, row.generation), eq(workflowPackages.status, RETIRING)))
    .returning({ hash: workflowPackages.hash });
  return done.length > 0;
}

/**
 * Gives up a retirement whose DeleteWorkflow HealthOmics refused for good (e.g. no permission):
 * the workflow still exists; status null makes the next run's prepare step read it again with
 * GetWorkflow rather than trust a status from before.
 */
export async function abortRetirement(db: Db, row: PackageRow, statusMessage: string): Promise<void> {
  await db
    .update(workflowPackages)
    .set({ status: null, statusMessage })
    .where(and(eq(workflowPackages.hash, row.hash), eq(workflowPackages.generation, row.generation), eq(workflowPackages.status, RETIRING)));
}

/** Packages with an ACTIVE workflow, and packages retired (no workflow now, retired at least once), for /admin/metrics. */
export async function packageCounts(db: Db): Promise<{ active: number; retired: number; retiring: number }> {
  const [row] = await db
    .select({
      active: sql<number>`coalesce(sum(${workflowPackages.status} = 'ACTIVE'), 0)`,
      retired: sql<number>`coalesce(sum(${workflowPackages.workflowId} is null and ${workflowPackages.retiredAt} is not null), 0)`,
      retiring: sql<number>`coalesce(sum(${workflowPackages.status} = ${RETIRING}), 0)`,
    })
    .from(workflowPackages);
  return { active: Number(row?.active ?? 0), retired: Number(row?.retired ?? 0), retiring: Number(row?.retiring ?? 0) };
}
