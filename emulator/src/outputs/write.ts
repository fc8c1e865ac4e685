/**
 * Writing a COMPLETED run's outputs into the emulated S3. Runs finish by the clock, not by an
 * event, so outputs are written when they are first looked for: before any S3 read of the run's
 * bucket after the run's stop time (an S3 client cannot tell this from a write at completion).
 */
import { engineLogText } from "../logs/run-logs";
import { scheduleOf } from "../ops/render";
import { runOutputUri, type RunRecord } from "../records";
import { type OutputObject, outputObjects, parseS3Uri } from "./layout";

/** The bucket and objects a COMPLETED run writes. */
export function runOutputObjects(run: RunRecord): { bucket: string; objects: OutputObject[] } | undefined {
  const uri = runOutputUri(run);
  const target = parseS3Uri(uri);
  if (!target) return undefined;
  const s = scheduleOf(run);
  const tasks = [...new Set(s.tasks.map((t) => t.spec.name.replace(/\s*\(.*\)$/, "")))];
  const objects = outputObjects({
    runId: run.id,
    runUuid: run.uuid,
    runOutputUri: uri,
    engine: run.engine ?? "WDL",
    workflowName: run.outputs?.workflowName ?? run.workflowName,
    outputs: run.outputs?.specs ?? [],
    tasks,
    layout: run.outputLayout ?? "run-id",
    engineLog: engineLogText(run),
  });
  return { bucket: target.bucket, objects };
}

/** Writes the objects of runs whose outputs are due into the store (idempotent: the same bytes each time). */
export async function writeRunOutputs(objects: R2Bucket, runs: RunRecord[]): Promise<void> {
  for (const run of runs) {
    const outputs = runOutputObjects(run);
    if (!outputs) continue;
    await Promise.all(outputs.objects.map((o) => objects.put(`${outputs.bucket}/${o.key}`, o.body, { httpMetadata: { contentType: o.contentType } })));
  }
}
