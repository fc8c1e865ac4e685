/**
 * Which field of the submit form a 400 from POST /runs is about (pure), so its message can be
 * shown next to that field. The API's messages name the field they are about first
 * (docs/usage.md, "Checks made at submission").
 */
import type { SourceField } from "./workflow-source";

/** A field of the form: a workflow parameter, a run option, a field of the workflow's source, or a section. */
export type FieldKey = `param:${string}` | `option:${string}` | SourceField | "workflow" | "name" | "tags" | "form";

/** The field a message is about; "form" when it names none the form has. */
export function fieldOfError(message: string, params: string[], options: string[]): FieldKey {
  for (const name of params) {
    if (message.includes(`workflow_params.${name} `) || message.includes(`workflow_params.${name}'`)) return `param:${name}`;
  }
  const missing = /missing required parameter\(s\) ([^ ]+(?:, [^ ]+)*) of/.exec(message);
  if (missing) {
    const first = missing[1]!.split(", ")[0]!;
    if (params.includes(first)) return `param:${first}`;
  }
  const unknown = /has parameter\(s\) ([^ ]+)/.exec(message);
  if (unknown && params.includes(unknown[1]!.replace(/,$/, ""))) return `param:${unknown[1]!.replace(/,$/, "")}`;
  if (message.startsWith("workflow_params")) return params.length > 0 ? `param:${params[0]}` : "form";
  const option = /workflow_engine_parameters(?:\.| has an unknown parameter ')([A-Za-z]+)/.exec(message);
  if (option && options.includes(option[1]!)) return option[1] === "name" ? "name" : `option:${option[1]!}`;
  if (message.startsWith("workflow_engine_parameters.name")) return "name";
  if (message.startsWith("tags")) return "tags";
  if (message.startsWith("workflow_url") || message.startsWith("workflow_type") || message.includes("HealthOmics workflow")) return "workflow";
  return "form";
}
