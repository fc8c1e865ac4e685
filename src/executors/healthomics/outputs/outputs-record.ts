/**
 * The `outputs` a finished run stores (WES `outputs`, an object): the engine's outputs at the top
 * level as the engine names them — WDL `Workflow.output` keys, CWL output objects with S3
 * `location`s (what Toil's runner prints), Nextflow `{"files": […]}` — and the service's own
 * facts under RUN_OUTPUTS_KEY: the output location, the HealthOmics identifiers, each output
 * file with its path for the download route, and a note when the outputs could not be read.
 * Pure.
 */
import { RUN_OUTPUTS_KEY } from "../../executor";
import type { OutputsResult } from "./read-outputs";

/** The service's facts about a finished run (what `outputs` held before engine outputs were read). */
export interface ServiceOutputs {
  output_location?: string | undefined;
  healthomics?: Record<string, unknown>;
}

/** The stored `outputs` of a run, and the note for its log when the outputs could not be read. */
export function outputsRecord(service: ServiceOutputs, read: OutputsResult | undefined): { outputs: Record<string, unknown>; note?: string } {
  const own: Record<string, unknown> = Object.fromEntries(Object.entries(service).filter(([, value]) => value !== undefined));
  if (!read) return { outputs: Object.keys(own).length > 0 ? { [RUN_OUTPUTS_KEY]: own } : {} };
  if (!read.ok) return { outputs: { [RUN_OUTPUTS_KEY]: { ...own, note: `outputs not read: ${read.note}` } }, note: `Outputs could not be read: ${read.note}.` };
  const engine = Object.fromEntries(Object.entries(read.value.outputs).filter(([key]) => key !== RUN_OUTPUTS_KEY));
  const files = read.value.files.map(({ location, path }) => ({ location, path }));
  const note = read.value.note;
  return {
    outputs: { ...engine, [RUN_OUTPUTS_KEY]: { ...own, files, ...(note ? { note } : {}) } },
    ...(note ? { note: `Outputs: ${note}.` } : {}),
  };
}
