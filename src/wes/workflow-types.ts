/**
 * Workflow languages, versions and engines as clients spell them (`cwl`, `1.2` for CWL `v1.2`,
 * Toil's lower case), resolved against what the executor runs (ExecutorDescription.languages).
 */
import type { WorkflowLanguages } from "../executors/executor";

/** Canonical workflow type for what a client sent (`cwl` → `CWL`), or undefined when unsupported. */
export function canonicalType(languages: WorkflowLanguages, value: string): string | undefined {
  const upper = value.trim().toUpperCase();
  const type = languages.typeAliases[upper] ?? upper;
  return languages.types[type] ? type : undefined;
}

/** Canonical version of a type (`1.2` → `v1.2` for CWL), or undefined when unsupported. */
export function canonicalVersion(languages: WorkflowLanguages, type: string, value: string): string | undefined {
  const info = languages.types[type];
  if (!info) return undefined;
  const trimmed = value.trim();
  if (info.versions.includes(trimmed)) return trimmed;
  return info.aliases[trimmed] ?? info.aliases[trimmed.toLowerCase()];
}

/** Canonical engine name (case-insensitive), or undefined. */
export function canonicalEngine(languages: WorkflowLanguages, value: string): string | undefined {
  const upper = value.trim().toUpperCase().replace(/[\s-]/g, "_");
  return languages.engines[upper] ? upper : undefined;
}
