/**
 * Required inputs of a package workflow against what a run gives: HealthOmics derives the
 * parameter template from the definition (WDL `input {}`, CWL `inputs`, Nextflow `params.`), so it
 * is known only once the workflow is ACTIVE — at submit when the package was registered before,
 * else in the run's prepare step.
 */
import type { ParameterTemplate } from "./register";

/** A template's parameters as messages list them: `name (required), other, …`. */
export function describeTemplate(template: ParameterTemplate): string {
  return Object.entries(template)
    .map(([name, p]) => `${name}${p?.optional === false ? " (required)" : ""}`)
    .join(", ");
}

/** Names the template marks required (`optional: false`) that are not among `given`. */
export function missingRequired(template: ParameterTemplate, given: ReadonlySet<string>): string[] {
  return Object.entries(template)
    .filter(([name, p]) => p?.optional === false && !given.has(name))
    .map(([name]) => name);
}

/** The own keys of `params` (none when absent): what a run gives, for `missingRequired`. */
export function givenNames(params: Record<string, unknown> | null | undefined): Set<string> {
  return new Set(Object.keys(params ?? {}));
}

/** The message naming them, and everything the workflow takes. */
export function missingMessage(missing: string[], template: ParameterTemplate): string {
  return `workflow_params is missing required input(s) ${missing.join(", ")} of the submitted workflow; it takes: ${describeTemplate(template)}.`;
}
