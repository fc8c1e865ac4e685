/**
 * Moves attachment blobs stored in D1 before attachments went to R2 (rows with `data` set and no
 * `object_key`) into the ATTACHMENTS bucket, under the key new submissions use
 * (`runs/<run_id>/attachments/<path>`): on every cron tick, one bounded batch, one row at a time
 * (rows are up to 2 MB, so only one is in memory), with one log line per batch. Each row is
 * written to R2 first, then its D1 row points at the object and drops the blob in one
 * conditional UPDATE: a tick that dies between the two writes the same object again next time.
 * A row whose run was deleted meanwhile loses its freshly written object again.
 */
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { database } from "../db/client";
import { attachments } from "../db/schema";
import { describeError, log } from "../log";
import { sha256HexOf } from "../sha256";
import { attachmentKey } from "./run-files";

/** Rows moved per tick at most. */
export const MOVE_BATCH = 50;

/** What one tick did. */
export interface MoveResult {
  moved: number;
  /** Deleted with their run meanwhile. */
  gone: number;
  failed: number;
}

/** Moves one batch; null when there was nothing to move. */
export async function moveAttachmentBlobs(env: Env, limit = MOVE_BATCH): Promise<MoveResult | null> {
  const db = database(env.DB);
  const unmoved = and(isNull(attachments.objectKey), isNotNull(attachments.data));
  const batch = await db.select({ runId: attachments.runId, path: attachments.path }).from(attachments).where(unmoved).limit(limit);
  if (batch.length === 0) return null;
  const result: MoveResult = { moved: 0, gone: 0, failed: 0 };
  for (const { runId, path } of batch) {
    const where = and(eq(attachments.runId, runId), eq(attachments.path, path), unmoved);
    try {
      const [row] = await db.select({ data: attachments.data, contentType: attachments.contentType }).from(attachments).where(where).limit(1);
      if (!row?.data) {
        result.gone += 1;
        continue;
      }
      const key = attachmentKey(runId, path);
      const sha256 = await sha256HexOf(row.data);
      await env.ATTACHMENTS.put(key, row.data, { sha256, ...(row.contentType ? { httpMetadata: { contentType: row.contentType } } : {}) });
      const updated = await db.update(attachments).set({ objectKey: key, sha256, data: null }).where(where).returning({ path: attachments.path });
      if (updated.length > 0) {
        result.moved += 1;
        continue;
      }
      const [still] = await db
        .select({ objectKey: attachments.objectKey })
        .from(attachments)
        .where(and(eq(attachments.runId, runId), eq(attachments.path, path)))
        .limit(1);
      // The run (and its row) was deleted after the read: its object must not outlive it. (A row
      // another tick moved meanwhile points at the same object, which stays.)
      if (!still) await env.ATTACHMENTS.delete(key);
      result.gone += 1;
    } catch (error) {
      result.failed += 1;
      log("warn", "attachments.move_failed", { runId, path, error: describeError(error) });
    }
  }
  log(result.failed > 0 ? "warn" : "info", "attachments.move_batch", { ...result });
  return result;
}
