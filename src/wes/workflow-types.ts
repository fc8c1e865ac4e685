/**
 * Workflow languages, versions and engines as clients spell them (`cwl`, `1.2` for CWL `v1.2`,
 * Toil's lower case), resolved against what the executor runs (ExecutorDescription.languages).
 */
import type { WorkflowLanguages } from "../executors/executor";

/** `table[key]` for an own key only: request text such as `constructor` must not reach Object.prototype. */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Canonical workflow type for what a client sent (`cwl` → `CWL`), or undefined when unsupported. */
export function canonicalType(languages: WorkflowLanguages, value: string): string | undefined {
  const upper = value.trim().toUpperCase();
  const type = own(languages.typeAliases, upper) ?? upper;
  return own(languages.types, type) ? type : undefined;
}

/** Canonical version of a type (`1.2` → `v1.2` for CWL), or undefined when unsupported. */
export function canonicalVersion(languages: WorkflowLanguages, type: string, value: string): string | undefined {
  const info = own(languages.types, type);
  if (!info) return undefined;
  const trimmed = value.trim();
  if (info.versions.includes(trimmed)) return trimmed;
  return own(info.aliases, trimmed) ?? own(info.aliases, trimmed.toLowerCase());
}

/**
 * Another server's engine a client named (`cwltool`, `Toil`), lower-cased, with the types it
 * runs; undefined when the executor lists no such engine.
 */
export function clientEngine(languages: WorkflowLanguages, value: string): { name: string; types: string[] } | undefined {
  const name = value.trim().toLowerCase();
  const types = languages.clientEngines ? own(languages.clientEngines, name) : undefined;
  return types ? { name, types } : undefined;
}

/** Canonical engine name (case-insensitive), or undefined. */
export function canonicalEngine(languages: WorkflowLanguages, value: string): string | undefined {
  const upper = value.trim().toUpperCase().replace(/[\s-]/g, "_");
  return own(languages.engines, upper) ? upper : undefined;
}
