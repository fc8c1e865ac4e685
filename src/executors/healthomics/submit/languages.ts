/**
 * The workflow languages and versions HealthOmics runs (AWS HealthOmics User Guide, "Version
 * support for HealthOmics workflow definition languages"): served in service-info and used to
 * validate POST /runs (through src/wes/workflow-types.ts), and by the submit-time workflow check.
 */
import type { WorkflowLanguages } from "../../executor";

/** WES workflow type → HealthOmics engine(s) and accepted language versions. */
export interface WorkflowTypeInfo {
  /** Canonical versions, as listed in service-info. */
  versions: string[];
  /** Other spellings clients send, mapped to a canonical version. */
  aliases: Record<string, string>;
  /** HealthOmics engines (GetWorkflow `engine`) that run this type. */
  engines: string[];
}

/** Accepted workflow types: WDL, CWL and NFL (Nextflow). */
export const WORKFLOW_TYPES: Record<string, WorkflowTypeInfo> = {
  WDL: { versions: ["1.0", "1.1", "development"], aliases: { "v1.0": "1.0", "v1.1": "1.1", "draft-2": "1.0" }, engines: ["WDL", "WDL_LENIENT"] },
  CWL: { versions: ["v1.0", "v1.1", "v1.2"], aliases: { "1.0": "v1.0", "1.1": "v1.1", "1.2": "v1.2" }, engines: ["CWL"] },
  NFL: { versions: ["DSL2", "DSL1"], aliases: { dsl2: "DSL2", dsl1: "DSL1", "2": "DSL2", "1": "DSL1" }, engines: ["NEXTFLOW"] },
};

/** Aliases of the workflow type itself (matched case-insensitively). */
export const TYPE_ALIASES: Record<string, string> = { NEXTFLOW: "NFL", NF: "NFL" };

/** Workflow engines (WES `workflow_engine`) and their versions, per HealthOmics. */
export const WORKFLOW_ENGINES: Record<string, { types: string[]; versions: string[] }> = {
  WDL: { types: ["WDL"], versions: ["1.0", "1.1", "development"] },
  WDL_LENIENT: { types: ["WDL"], versions: ["1.0", "1.1", "development"] },
  CWL: { types: ["CWL"], versions: ["v1.0", "v1.1", "v1.2"] },
  NEXTFLOW: { types: ["NFL"], versions: ["22.04", "23.10", "24.10", "25.10"] },
};

/**
 * Engines other WES servers run, which their clients name in `workflow_engine` (Sapporo and
 * Toil's servers choose the engine by it): recorded with the run, never refused, not sent.
 */
export const CLIENT_ENGINES: Record<string, string[]> = {
  cwltool: ["CWL"],
  toil: ["CWL", "WDL"],
  cromwell: ["WDL", "CWL"],
  miniwdl: ["WDL"],
};

/** The languages as the WES layer sees them. */
export const HEALTHOMICS_LANGUAGES: WorkflowLanguages = {
  types: WORKFLOW_TYPES,
  typeAliases: TYPE_ALIASES,
  engines: WORKFLOW_ENGINES,
  clientEngines: CLIENT_ENGINES,
};

/**
 * The run log's note for a `workflow_engine` naming another server's engine (or undefined for
 * none or a HealthOmics engine): the name is kept in the request, HealthOmics runs its own engine.
 */
export function clientEngineNote(request: { workflow_type: string; workflow_engine?: string; workflow_engine_version?: string }): string | undefined {
  const engine = request.workflow_engine;
  if (engine === undefined || Object.hasOwn(WORKFLOW_ENGINES, engine)) return undefined;
  const version = request.workflow_engine_version === undefined ? "" : ` ${request.workflow_engine_version}`;
  const own = WORKFLOW_TYPES[request.workflow_type]?.engines[0] ?? request.workflow_type;
  return `workflow_engine ${engine}${version} recorded but not used: HealthOmics runs ${request.workflow_type} with its ${own} engine.`;
}
