/**
 * The workflow languages and versions this service accepts, as HealthOmics runs them
 * (AWS HealthOmics User Guide, "Version support for HealthOmics workflow definition languages").
 * Served in service-info and used to validate POST /runs.
 */

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
  WDL: { versions: ["1.0", "1.1", "development"], aliases: { "v1.0": "1.0", "v1.1": "1.1" }, engines: ["WDL", "WDL_LENIENT"] },
  CWL: { versions: ["v1.0", "v1.1", "v1.2"], aliases: { "1.0": "v1.0", "1.1": "v1.1", "1.2": "v1.2" }, engines: ["CWL"] },
  NFL: { versions: ["DSL2", "DSL1"], aliases: { dsl2: "DSL2", dsl1: "DSL1", "2": "DSL2", "1": "DSL1" }, engines: ["NEXTFLOW"] },
};

/** Aliases of the workflow type itself (matched case-insensitively). */
const TYPE_ALIASES: Record<string, string> = { NEXTFLOW: "NFL", NF: "NFL" };

/** Workflow engines (WES `workflow_engine`) and their versions, per HealthOmics. */
export const WORKFLOW_ENGINES: Record<string, { types: string[]; versions: string[] }> = {
  WDL: { types: ["WDL"], versions: ["1.0", "1.1", "development"] },
  WDL_LENIENT: { types: ["WDL"], versions: ["1.0", "1.1", "development"] },
  CWL: { types: ["CWL"], versions: ["v1.0", "v1.1", "v1.2"] },
  NEXTFLOW: { types: ["NFL"], versions: ["22.04", "23.10", "24.10", "25.10"] },
};

/** `table[key]` for an own key only: request text such as `constructor` must not reach Object.prototype. */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Canonical workflow type for what a client sent (`cwl` → `CWL`), or undefined when unsupported. */
export function canonicalType(value: string): string | undefined {
  const upper = value.trim().toUpperCase();
  const type = own(TYPE_ALIASES, upper) ?? upper;
  return own(WORKFLOW_TYPES, type) ? type : undefined;
}

/** Canonical version of a type (`1.2` → `v1.2` for CWL), or undefined when unsupported. */
export function canonicalVersion(type: string, value: string): string | undefined {
  const info = own(WORKFLOW_TYPES, type);
  if (!info) return undefined;
  const trimmed = value.trim();
  if (info.versions.includes(trimmed)) return trimmed;
  return own(info.aliases, trimmed) ?? own(info.aliases, trimmed.toLowerCase());
}

/** Canonical engine name (case-insensitive), or undefined. */
export function canonicalEngine(value: string): string | undefined {
  const upper = value.trim().toUpperCase().replace(/[\s-]/g, "_");
  return own(WORKFLOW_ENGINES, upper) ? upper : undefined;
}
