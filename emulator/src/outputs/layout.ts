/**
 * What a COMPLETED run leaves in S3 under its `runOutputUri` (`<outputUri>/<runId>`): the
 * engine's output summary, small output files and `logs/engine.log`. Real accounts and AWS's
 * pages disagree on where the summary lives, so the StartRun tag `emulator:output-layout`
 * chooses per run (docs/emulator.md, "Outputs"):
 *
 * - `run-id` (default): `<runId>/logs/outputs.json`, files under `<runId>/out/` (what several
 *   real integrations read);
 * - `run-uuid`: `<runId>/<runUuid>/logs/outputs.json`, files under `<runId>/<runUuid>/out/`
 *   (the HealthOmics guide's monitoring and CWL pages);
 * - `wdl-output-json`: `<runId>/logs/output.json` (the guide's WDL section names it so);
 * - `none`: no summary, files only; `malformed`: a summary that is not JSON (for readers' error paths).
 *
 * WDL summaries map `Workflow.output` to an S3 URI, a list of them, or a primitive; CWL ones map
 * each output to `{class: "File", location, basename, size}` (Directory objects list their
 * files); Nextflow writes no summary (files under `out/<process>/`). Pure.
 */
import type { OutputSpec } from "../definition/types";
import { ApiError } from "../errors";

/** StartRun tag (emulator only) choosing where a run's output summary goes. */
export const OUTPUT_LAYOUT_TAG = "emulator:output-layout";
/** The layouts, the default first. */
export const OUTPUT_LAYOUTS = ["run-id", "run-uuid", "wdl-output-json", "none", "malformed"] as const;
/** One of them. */
export type OutputLayout = (typeof OUTPUT_LAYOUTS)[number];

/** The layout a run's tags ask for; ValidationException for an unknown one. */
export function outputLayoutOf(tags: Record<string, string> | undefined): OutputLayout {
  const value = tags?.[OUTPUT_LAYOUT_TAG];
  if (value === undefined) return "run-id";
  if (!(OUTPUT_LAYOUTS as readonly string[]).includes(value)) {
    throw new ApiError("ValidationException", `Tag ${OUTPUT_LAYOUT_TAG} must be one of ${OUTPUT_LAYOUTS.join(", ")}, got '${value.slice(0, 40)}'`);
  }
  return value as OutputLayout;
}

/** What the outputs of one run are made from. */
export interface OutputRun {
  runId: string;
  runUuid: string;
  runOutputUri: string;
  engine: string;
  workflowName: string;
  outputs: OutputSpec[];
  /** Task names, for Nextflow's per-process folders. */
  tasks: string[];
  layout: OutputLayout;
  /** Text of logs/engine.log. */
  engineLog: string;
}

/** One object to write: key within the bucket, body, content type. */
export interface OutputObject {
  key: string;
  body: string;
  contentType: string;
}

/** `s3://bucket/key` → parts. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return m ? { bucket: m[1]!, key: m[2]! } : undefined;
}

const encoder = new TextEncoder();

/** The objects a COMPLETED run writes, in its layout. */
export function outputObjects(run: OutputRun): OutputObject[] {
  const target = parseS3Uri(run.runOutputUri);
  if (!target) return [];
  const root = `${target.key.replace(/\/+$/, "")}/${run.layout === "run-uuid" ? `${run.runUuid}/` : ""}`;
  const uri = (key: string) => `s3://${target.bucket}/${key}`;
  const objects: OutputObject[] = [];
  const file = (folder: string, basename: string): { key: string; size: number } => {
    const key = `${root}out/${folder}/${basename}`;
    const body = `Output ${folder}/${basename} of run ${run.runId} (${run.workflowName}), written by the HealthOmics emulator\n`;
    objects.push({ key, body, contentType: "text/plain" });
    return { key, size: encoder.encode(body).length };
  };
  const summary: Record<string, unknown> = {};
  if (run.engine === "NEXTFLOW") {
    for (const process of run.tasks) file(process, `${process.toLowerCase()}.txt`);
  } else {
    const cwl = run.engine === "CWL";
    const fileValue = (folder: string, basename: string) => {
      const f = file(folder, basename);
      return cwl ? { class: "File", location: uri(f.key), basename, size: f.size } : uri(f.key);
    };
    for (const o of run.outputs) {
      const name = cwl ? o.name : `${run.workflowName}.${o.name}`;
      if (o.kind === "File") summary[name] = fileValue(o.name, `${o.name}.txt`);
      else if (o.kind === "File[]") summary[name] = [0, 1].map((i) => fileValue(o.name, `${o.name}_${i}.txt`));
      else if (o.kind === "Directory") {
        const listing = [0, 1].map((i) => fileValue(`${o.name}`, `part_${i}.txt`));
        summary[name] = cwl ? { class: "Directory", location: uri(`${root}out/${o.name}`), basename: o.name, listing } : uri(`${root}out/${o.name}`);
      } else if (o.kind === "string") summary[name] = `${o.name} of run ${run.runId}`;
      else if (o.kind === "int") summary[name] = 42;
      else if (o.kind === "float") summary[name] = 0.5;
      else summary[name] = true;
    }
  }
  objects.push({ key: `${root}logs/engine.log`, body: run.engineLog, contentType: "text/plain" });
  if (run.engine !== "NEXTFLOW" && run.layout !== "none") {
    const name = run.layout === "wdl-output-json" ? "output.json" : "outputs.json";
    const body = run.layout === "malformed" ? '{"truncated": ' : `${JSON.stringify(summary, null, 2)}\n`;
    objects.push({ key: `${root}logs/${name}`, body, contentType: "application/json" });
  }
  return objects;
}
