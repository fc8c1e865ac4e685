/**
 * Package retirement (WES_PACKAGE_RETIRE_DAYS): on every cron tick, a bounded batch of package
 * workflows unused for N days whose runs are all final is deleted, with one log line per batch.
 * Per package:
 *
 * 1. claim it in D1 (store.ts claimRetirement: one conditional UPDATE re-checking "unused since the
 *    cutoff" and "no live run", status RETIRING) — from then on a run of the package waits in its
 *    prepare step instead of using the workflow, and a submission still records its use;
 * 2. DeleteWorkflow on the shared API budget (a 404 counts as done);
 * 3. delete the S3 copy of a zip too large to send inline, and the zip in ATTACHMENTS — then put
 *    the zip back if a submission came since the claim (it may have seen the zip before the
 *    delete and skipped storing it: workflow-files.ts records the use before looking);
 * 4. finish: the next generation has no workflow, so the next submission creates it again with a
 *    fresh requestId.
 *
 * Why no run ever starts on a deleted workflow: a run reads the package's workflow only in its
 * prepare step, while it is live in D1 (QUEUED from its insert on). A run that read it before the
 * claim is live, so the claim fails; one reading after the claim sees RETIRING, then the next
 * generation. A submission recorded before the claim made the package "used" (the claim fails);
 * one recorded after it waits as above. A tick that dies midway leaves RETIRING, which a tick at
 * least STALE_CLAIM_MS later takes over (one tick only, resumeRetirement) and finishes, keeping
 * the zip, as it cannot know who came meanwhile.
 */
import { database } from "../../../db/client";
import type { Db } from "../../../db/client";
import { bookRequestCall } from "../../../budget/request-call";
import { bookSideCall } from "../aws/side-budget";
import { executorSettings } from "../../../executor-config";
import { describeError, log } from "../../../log";
import { ConfigError } from "../../../settings/read";
import { s3Client } from "../aws/s3-factory";
import type { S3Client } from "../aws/s3";
import type { HealthOmicsClient } from "../client/client";
import { omicsClient } from "../client/factory";
import { sourceSettings } from "../sources/sources-config";
import { INLINE_ZIP_BYTES, packageS3Location } from "./register";
import {
  abortRetirement,
  claimRetirement,
  finishRetirement,
  type PackageRow,
  packageRow,
  resumeRetirement,
  RETIRING,
  retirablePackages,
  retiringPackages,
} from "./store";

const DAY_MS = 86_400_000;
/** Most packages retired per tick: DeleteWorkflow's quota is small, and retirement is never urgent. */
export const RETIRE_BATCH = 10;
/** A claim older than this is taken over by a later tick (a tick takes seconds; its handler at most 15 minutes). */
export const STALE_CLAIM_MS = 15 * 60_000;

/** What retirement needs. */
export interface RetireDeps {
  db: Db;
  omics: HealthOmicsClient;
  s3: S3Client;
  /** The ATTACHMENTS bucket, where package zips are kept. */
  bucket: R2Bucket;
  outputPrefix: string;
  /** Books one call on its budget line (DeleteWorkflow, or S3Write for the S3 copy); false when none is free now. */
  book: (line: "DeleteWorkflow" | "S3Write") => Promise<boolean>;
}

/** What one tick did. */
export interface RetireResult {
  retired: number;
  /** Claimed before but not finished; resumed this tick. */
  resumed: number;
  /** Lost the claim: used meanwhile. */
  skipped: number;
  /** DeleteWorkflow failed (retried next tick when retryable, else the retirement was given up). */
  failed: number;
  /** No DeleteWorkflow call was free: the rest waits for the next tick. */
  deferred: number;
}

type Outcome = "retired" | "skipped" | "failed" | "deferred";

async function retireOne(deps: RetireDeps, row: PackageRow, before: number, now: number): Promise<Outcome> {
  const resuming = row.status === RETIRING;
  // Both calls are booked before the claim, so a busy line defers the whole retirement to a later tick.
  const copied = row.size > INLINE_ZIP_BYTES;
  if (copied && !(await deps.book("S3Write").catch(() => false))) return "deferred";
  if (!(await deps.book("DeleteWorkflow").catch(() => false))) return "deferred";
  let usesAtClaim: number | undefined;
  if (!resuming) {
    usesAtClaim = await claimRetirement(deps.db, row, before, now);
    if (usesAtClaim === undefined) return "skipped";
  } else if (!(await resumeRetirement(deps.db, row, now))) {
    return "skipped";
  }
  const workflowId = row.workflowId!;
  const deleted = await deps.omics.deleteWorkflow(workflowId);
  if (!deleted.ok && deleted.error.status !== 404) {
    const error = deleted.error;
    if (!error.retryable && error.status !== 409) {
      await abortRetirement(deps.db, row, `retirement failed: DeleteWorkflow ${workflowId}: ${error.type}: ${error.message}`);
    }
    log("warn", "packages.retire_failed", {
      hash: row.hash,
      workflowId,
      type: error.type,
      status: error.status,
      retryNextTick: error.retryable || error.status === 409,
    });
    return "failed";
  }
  if (copied) {
    // Uploaded for definitionUri; a new generation uploads it again. S3 answers 204 for a missing key.
    const { bucket, key } = packageS3Location(deps.outputPrefix, row.hash);
    const removed = await deps.s3.deleteObject(bucket, key);
    if (!removed.ok) log("warn", "packages.retire_s3_failed", { hash: row.hash, key, type: removed.error.type });
  }
  const zip = await deps.bucket.get(row.zipKey);
  const bytes = zip ? new Uint8Array(await zip.arrayBuffer()) : undefined;
  await deps.bucket.delete(row.zipKey);
  const after = await packageRow(deps.db, row.hash);
  if (bytes && (usesAtClaim === undefined || after?.uses !== usesAtClaim)) {
    await deps.bucket.put(row.zipKey, bytes, { httpMetadata: { contentType: "application/zip" } });
  }
  const days = Math.round((now - row.lastUsedAt) / DAY_MS);
  await finishRetirement(deps.db, row, now, `retired: workflow ${workflowId} deleted after ${days} day(s) unused`);
  return "retired";
}

/** One retirement batch: unfinished retirements first, then packages unused since `before`. */
export async function retireBatch(deps: RetireDeps, before: number | null, now: number, limit = RETIRE_BATCH): Promise<RetireResult> {
  const resuming = await retiringPackages(deps.db, now - STALE_CLAIM_MS, limit);
  const fresh = before === null || resuming.length >= limit ? [] : await retirablePackages(deps.db, before, limit - resuming.length);
  const result: RetireResult = { retired: 0, resumed: 0, skipped: 0, failed: 0, deferred: 0 };
  // One at a time: DeleteWorkflow's budget line is about one call per second.
  const rows = [...resuming, ...fresh];
  for (const [i, row] of rows.entries()) {
    const outcome = await retireOne(deps, row, before ?? 0, now);
    if (outcome === "deferred") {
      result.deferred = rows.length - i;
      break;
    }
    result[outcome] += 1;
    if (outcome === "retired" && row.status === RETIRING) result.resumed += 1;
  }
  return result;
}

/**
 * The cron's retirement tick; null when retirement is off and nothing is left half done (or the
 * settings are wrong, which is logged). Unfinished retirements are resumed even when the setting
 * was turned off since, as runs of those packages wait for them.
 */
export async function retirementTick(env: Env, now: number): Promise<RetireResult | null> {
  let days: number;
  let settings: ReturnType<typeof executorSettings>;
  try {
    days = sourceSettings(env).retireDays;
    settings = executorSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log("error", "packages.retire_misconfigured", { problems: error.problems });
    return null;
  }
  const db = database(env.DB);
  const before = days > 0 ? now - days * DAY_MS : null;
  if (before === null && (await retiringPackages(db, now - STALE_CLAIM_MS, 1)).length === 0) return null;
  const deps: RetireDeps = {
    db,
    omics: omicsClient(settings),
    s3: s3Client(settings),
    bucket: env.ATTACHMENTS,
    outputPrefix: settings.outputPrefix,
    book: async (line) => (line === "S3Write" ? (await bookSideCall(env, line)).ok : await bookRequestCall(env, line)),
  };
  let result: RetireResult;
  try {
    result = await retireBatch(deps, before, now);
  } catch (error) {
    log("error", "packages.retire_error", { error: describeError(error) });
    return null;
  }
  if (result.retired + result.skipped + result.failed + result.deferred > 0) {
    log(result.failed > 0 ? "warn" : "info", "packages.retire_batch", { ...result, days });
  }
  return result;
}
