/**
 * CreateWorkflow's reading of a definition zip, as HealthOmics does it: choose the main file,
 * detect (or honour) the engine, derive the parameter template (one given in the request
 * overrides it), and note the task names and outputs the emulator's runs will show. A package
 * HealthOmics could not use yields the statusMessage of a FAILED workflow instead. Pure.
 */
import type { ParameterTemplate } from "../validation";
import { readCwl } from "./cwl";
import { readNextflow } from "./nextflow";
import { chooseMain, readDefinitionZip } from "./package";
import { DefinitionError, type DefinitionFailure, type DefinitionSummary, type Engine, type OutputSpec } from "./types";
import { readWdl } from "./wdl";

/** The text that makes every run of a definition fail in a task (docs/emulator.md). */
export const FAIL_MARKER = "emulator:fail";
/** Most tasks a created workflow's run shows (one per call/step/process, in order). */
export const MAX_TASKS = 50;

/** Reads a definition zip; a DefinitionFailure when HealthOmics would set the workflow FAILED. */
export function analyzeDefinition(
  zip: Uint8Array,
  options: { main?: string; engine?: Engine; parameterTemplate?: ParameterTemplate },
): DefinitionSummary | DefinitionFailure {
  try {
    const files = readDefinitionZip(zip);
    const { main, engine } = chooseMain(files, options.main, options.engine);
    const source = files.get(main)!;
    let workflowName: string;
    let template: ParameterTemplate;
    let tasks: string[];
    let outputs: OutputSpec[] = [];
    if (engine === "CWL") {
      const cwl = readCwl(source, main);
      workflowName = cwl.name;
      template = cwl.inputs;
      tasks = cwl.steps;
      outputs = cwl.outputs;
    } else if (engine === "NEXTFLOW") {
      const nf = readNextflow(files, main);
      workflowName = main.slice(main.lastIndexOf("/") + 1).replace(/\.nf$/, "");
      template = nf.params;
      tasks = nf.processes;
    } else {
      const wdl = readWdl(source, main);
      workflowName = wdl.name;
      template = wdl.inputs;
      tasks = wdl.calls;
      outputs = wdl.outputs;
    }
    const fails = [...files.values()].some((text) => text.includes(FAIL_MARKER));
    return {
      engine,
      main,
      workflowName,
      parameterTemplate: options.parameterTemplate ?? template,
      tasks: [...new Set(tasks)].slice(0, MAX_TASKS),
      outputs,
      fails,
    };
  } catch (error) {
    if (error instanceof DefinitionError) return { failure: error.message };
    throw error;
  }
}
