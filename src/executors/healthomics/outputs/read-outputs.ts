/**
 * Reads a completed run's outputs from S3 (the I/O around summary.ts): lists under the run's
 * `runOutputUri` until the output summary turns up (keys come in order, and `…/logs/` sorts
 * before `…/out/`, so it is found early even for runs with many files), reads it, and parses it;
 * for Nextflow, which writes no summary, the listing itself is the outputs. Every S3 call first
 * asks `beforeCall` (the S3 budget line). Never throws: an unreadable summary is a note.
 */
import type { OmicsError } from "../client/errors";
import { parseS3Uri, type S3Client } from "../aws/s3";
import { findSummaryKey, listedOutputs, parseSummary, type ReadOutputs } from "./summary";

/** Most listing pages read (1,000 keys each). */
export const MAX_LIST_PAGES = 10;
/** Largest summary read (a summary names outputs, it does not hold them). */
export const MAX_SUMMARY_BYTES = 5 * 1024 * 1024;

/** What reading produced: outputs, or why there are none. `retryable` errors may be tried again later. */
export type OutputsResult = { ok: true; value: ReadOutputs } | { ok: false; note: string; retryable: boolean };

function failed(what: string, error: OmicsError): OutputsResult {
  return { ok: false, note: `${what}: ${error.message}`, retryable: error.retryable };
}

/** Reads the outputs of a run that wrote under `runOutputUri`; `workflowType` is the WES type (NFL has no summary). */
export async function readRunOutputs(s3: S3Client, runOutputUri: string, workflowType: string, beforeCall: () => Promise<void>): Promise<OutputsResult> {
  const where = parseS3Uri(runOutputUri);
  if (!where) return { ok: false, note: `the run's output location ${runOutputUri} is not an s3:// URI`, retryable: false };
  const prefix = where.key === "" || where.key.endsWith("/") ? where.key : `${where.key}/`;
  const nextflow = workflowType.toUpperCase() === "NFL" || workflowType.toUpperCase() === "NEXTFLOW";
  const keys: string[] = [];
  let token: string | undefined;
  let complete = false;
  let summaryKey: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    await beforeCall();
    const listed = await s3.listObjects(where.bucket, prefix, token);
    if (!listed.ok) return failed("the output listing failed", listed.error);
    keys.push(...listed.value.objects.map((o) => o.key));
    token = listed.value.nextToken;
    if (!nextflow) summaryKey = findSummaryKey(keys, prefix);
    if (!token) complete = true;
    if (complete || summaryKey) break;
  }
  if (nextflow) return { ok: true, value: listedOutputs(keys, where.bucket, prefix, complete) };
  if (!summaryKey) {
    const note = complete
      ? "no output summary (logs/outputs.json) was found under the run's output location"
      : `no output summary was found in the first ${keys.length} keys of the run's output location`;
    return { ok: false, note, retryable: false };
  }
  await beforeCall();
  const text = await s3.getObjectText(where.bucket, summaryKey, MAX_SUMMARY_BYTES);
  if (!text.ok) return failed(`the output summary s3://${where.bucket}/${summaryKey} could not be read`, text.error);
  const parsed = parseSummary(text.value, where.bucket, prefix);
  if ("error" in parsed) return { ok: false, note: `${parsed.error} (s3://${where.bucket}/${summaryKey})`, retryable: false };
  return { ok: true, value: parsed };
}
