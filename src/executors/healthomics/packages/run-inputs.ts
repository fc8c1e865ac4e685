/**
 * Attached input files of a run → S3: the parameters are rewritten for the engine
 * (inputs/rewrite-params.ts) and each attachment they name is uploaded to the owner's own folder,
 * `<output prefix>users/<owner>/runs/<run_id>/inputs/<path>`, streamed from R2 (or from the D1 row
 * of an attachment stored before R2). Repeating it is harmless: the same keys get the same bytes.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { attachments, type RunRow } from "../../../db/schema";
import type { ExecutorSettings } from "../../../executor-config";
import type { S3Client } from "../aws/s3";
import { rewriteParams, wdlInputNames } from "../inputs/rewrite-params";
import type { Engine } from "../package/collect";
import { runOutputPrefix } from "../run/start-input";
import { packageRow } from "./store";

/** What uploading a run's inputs did. */
export type UploadOutcome =
  | { ok: true; uploaded: number; prefix: string; parameters: Record<string, unknown> }
  | { ok: false; retryable: boolean; message: string };

/** Rewrites and uploads the inputs of `run`. */
export async function uploadRunInputs(db: Db, s3: S3Client, bucket: R2Bucket, settings: ExecutorSettings, run: RunRow): Promise<UploadOutcome> {
  const pkg = await packageRow(db, run.packageHash!);
  if (!pkg) return { ok: false, retryable: false, message: `The workflow package ${run.packageHash} is not recorded.` };
  const files = await db
    .select({ path: attachments.path, objectKey: attachments.objectKey, size: attachments.size, contentType: attachments.contentType })
    .from(attachments)
    .where(eq(attachments.runId, run.id));
  const prefix = `${runOutputPrefix(settings, run.owner, run.id)}inputs/`;
  const request = run.request as unknown as { workflow_params?: Record<string, unknown> };
  const { params, uploads } = rewriteParams(
    request.workflow_params ?? {},
    files.map((f) => f.path),
    prefix,
    pkg.engine as Engine,
  );
  const [, bucketName, keyPrefix] = /^s3:\/\/([^/]+)\/(.*)$/.exec(prefix)!;
  for (const path of uploads) {
    const file = files.find((f) => f.path === path)!;
    let body: ReadableStream<Uint8Array> | Uint8Array;
    if (file.objectKey) {
      const object = await bucket.get(file.objectKey);
      if (!object) return { ok: false, retryable: false, message: `The attached file ${path} is missing from storage.` };
      body = object.body;
    } else {
      const row = await db
        .select({ data: attachments.data })
        .from(attachments)
        .where(and(eq(attachments.runId, run.id), eq(attachments.path, path)));
      body = row[0]?.data ?? new Uint8Array(0);
    }
    const put = await s3.putObject(bucketName!, `${keyPrefix}${path}`, body, {
      contentLength: file.size,
      ...(file.contentType ? { contentType: file.contentType } : {}),
    });
    if (!put.ok) return { ok: false, retryable: put.error.retryable, message: `Uploading the attached input ${path} failed: ${put.error.message}` };
  }
  return { ok: true, uploaded: uploads.length, prefix, parameters: pkg.engine === "WDL" ? wdlInputNames(params) : params };
}
