/** What the emulator learns from a workflow definition (CreateWorkflow), and what it keeps of it. */
import type { ParameterTemplate } from "../validation";

/** HealthOmics' workflow engines. */
export type Engine = "WDL" | "NEXTFLOW" | "CWL" | "WDL_LENIENT";

/** Kinds of workflow outputs the emulator writes into the output summary. */
export type OutputKind = "File" | "File[]" | "Directory" | "string" | "int" | "float" | "boolean";

/** One declared workflow output. */
export interface OutputSpec {
  name: string;
  kind: OutputKind;
}

/** A definition HealthOmics would accept: main file, engine, parameters, tasks, outputs. */
export interface DefinitionSummary {
  engine: Engine;
  main: string;
  /** The main workflow's name (WDL `workflow X`), used for WDL output keys `X.out`. */
  workflowName: string;
  parameterTemplate: ParameterTemplate;
  /** Task names in definition order: WDL calls, CWL steps, Nextflow processes. */
  tasks: string[];
  outputs: OutputSpec[];
  /** The definition contains the text `emulator:fail`: its runs fail in a task. */
  fails: boolean;
}

/** Why HealthOmics would set the workflow FAILED (its `statusMessage`). */
export interface DefinitionFailure {
  failure: string;
}

/** Thrown by the language readers; becomes the workflow's statusMessage. */
export class DefinitionError extends Error {}
