/**
 * Required inputs of a package workflow against what a run gives: HealthOmics derives the
 * parameter template from the definition (WDL `input {}`, CWL `inputs`, Nextflow `params.`), so it
 * is known only once the workflow is ACTIVE — at submit when the package was registered before,
 * else in the run's prepare step.
 */
import type { ParameterTemplate } from "./register";

/** Names the template marks required (`optional: false`) that `params` lacks (own keys only). */
export function missingRequired(template: ParameterTemplate, params: Record<string, unknown> | null | undefined): string[] {
  const given = params ?? {};
  return Object.entries(template)
    .filter(([name, p]) => p?.optional === false && !Object.hasOwn(given, name))
    .map(([name]) => name);
}

/** The message naming them, and everything the workflow takes. */
export function missingMessage(missing: string[], template: ParameterTemplate): string {
  const takes = Object.entries(template)
    .map(([name, p]) => `${name}${p?.optional === false ? " (required)" : ""}`)
    .join(", ");
  return `workflow_params is missing required input(s) ${missing.join(", ")} of the submitted workflow; it takes: ${takes}.`;
}
