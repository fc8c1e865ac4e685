/**
 * Download links for a run's output files: the object must exist under the run's own output
 * location (HeadObject, on the S3 budget line), then a presigned GET valid for
 * OUTPUT_DOWNLOAD_URL_SECONDS, never past the signing credentials' expiry (s3.ts).
 */
import type { RunRow } from "../../../db/schema";
import { executorSettings } from "../../../executor-config";
import { runOutputPrefix } from "../run/start-input";
import { type DownloadAnswer, RUN_OUTPUTS_KEY } from "../../executor";
import { parseS3Uri } from "../aws/s3";
import { s3Client } from "../aws/s3-factory";
import { bookSideCall, sideThrottled } from "../aws/side-budget";

/**
 * Where a run's outputs are: the location recorded at completion (HealthOmics' `runOutputUri`,
 * also read from rows written before RUN_OUTPUTS_KEY existed), else the prefix StartRun was given.
 */
export function runOutputLocation(run: Pick<RunRow, "id" | "owner" | "outputs">, fallback: () => string): string {
  const outputs = (run.outputs ?? {}) as Record<string, unknown>;
  const own = outputs[RUN_OUTPUTS_KEY];
  const recorded = own && typeof own === "object" ? (own as Record<string, unknown>).output_location : outputs.output_location;
  return typeof recorded === "string" && recorded.startsWith("s3://") ? recorded : fallback();
}

/** The download link of `path` (relative, already checked for `..` and empty segments) under the run's output location. */
export async function outputLink(env: Env, run: RunRow, path: string): Promise<DownloadAnswer> {
  const settings = executorSettings(env);
  const where = parseS3Uri(runOutputLocation(run, () => runOutputPrefix(settings, run.owner, run.id)));
  if (!where) return { kind: "missing" };
  const key = `${where.key === "" || where.key.endsWith("/") ? where.key : `${where.key}/`}${path}`;
  const s3 = s3Client(settings);
  const booking = await bookSideCall(env, "S3Read");
  if (!booking.ok) return { kind: "busy", retryAfterSeconds: Math.ceil(booking.retryAfterMs / 1000) };
  const head = await s3.headObject(where.bucket, key);
  if (!head.ok) {
    if (head.error.status === 404) return { kind: "missing" };
    if (head.error.type === "SlowDown" || head.error.status === 503) {
      await sideThrottled(env, "S3Read");
      return { kind: "busy", retryAfterSeconds: 1 };
    }
    return { kind: "unavailable", message: `The output could not be checked in S3: ${head.error.message}` };
  }
  const signed = await s3.presignGet(where.bucket, key, settings.downloadUrlSeconds ?? 3600);
  if (!signed.ok) return { kind: "unavailable", message: `No download link could be signed: ${signed.error.message}` };
  return { kind: "link", url: signed.value.url, expiresAt: new Date(signed.value.expiresAt).toISOString() };
}
