/**
 * What the emulator reads from a CWL main file (YAML or JSON; a packed `$graph` document's
 * `#main`): its inputs as HealthOmics derives the parameter template (HealthOmics guide,
 * "Parameter template files": a nullable type or a default makes an input optional; the
 * description comes from `label`), its steps (task names of a run) and its outputs. Pure.
 */
import { parse } from "yaml";
import type { ParameterTemplate } from "../validation";
import { DefinitionError, type OutputKind, type OutputSpec } from "./types";

/** What a CWL process declares. */
export interface CwlProcess {
  name: string;
  inputs: ParameterTemplate;
  steps: string[];
  outputs: OutputSpec[];
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `#main/x`, `file.cwl#x` or `x` → `x`. */
function shortId(id: string): string {
  return id.slice(Math.max(id.lastIndexOf("#"), id.lastIndexOf("/")) + 1);
}

/** Entries of a CWL map-or-list field (`inputs`, `outputs`, `steps`) as [id, value] pairs. */
function entries(field: unknown): [string, unknown][] {
  if (Array.isArray(field)) {
    return field.flatMap((item): [string, unknown][] => (isNode(item) && typeof item.id === "string" ? [[shortId(item.id), item]] : []));
  }
  if (isNode(field)) return Object.entries(field);
  return [];
}

function typeOf(value: unknown): unknown {
  return isNode(value) ? value.type : value;
}

/** Whether a CWL type admits null (`T?`, a union with "null"). */
function nullable(type: unknown): boolean {
  if (typeof type === "string") return type.endsWith("?") || type === "null" || type === "Any";
  if (Array.isArray(type)) return type.some((t) => t === "null");
  return false;
}

function outputKind(type: unknown): OutputKind | undefined {
  const t = Array.isArray(type) ? type.find((x) => x !== "null") : type;
  if (typeof t === "string") {
    const base = t.replace(/\?$/, "");
    // `stdout` and `stderr` are CWL's shorthands for a File output captured from the tool's streams.
    if (base === "File" || base === "stdout" || base === "stderr") return "File";
    if (base === "File[]") return "File[]";
    if (base === "Directory") return "Directory";
    if (base === "string") return "string";
    if (base === "int" || base === "long") return "int";
    if (base === "float" || base === "double") return "float";
    if (base === "boolean") return "boolean";
    return undefined;
  }
  if (isNode(t) && t.type === "array" && t.items === "File") return "File[]";
  return undefined;
}

/** The main process of a document: itself, or `#main` of a packed `$graph`. */
function mainProcess(doc: unknown, path: string): Node {
  if (!isNode(doc)) throw new DefinitionError(`${path} is not a CWL document (expected a YAML or JSON object)`);
  if (Array.isArray(doc.$graph)) {
    const graph = doc.$graph.filter(isNode);
    const main = graph.find((p) => typeof p.id === "string" && shortId(p.id) === "main") ?? graph.find((p) => p.class === "Workflow");
    if (!main) throw new DefinitionError(`${path} is a packed CWL document without a #main process`);
    return main;
  }
  return doc;
}

/** Reads the main process of a CWL file; DefinitionError when HealthOmics could not run it. */
export function readCwl(source: string, path: string): CwlProcess {
  let doc: unknown;
  try {
    doc = parse(source);
  } catch (error) {
    throw new DefinitionError(`${path} is not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  const main = mainProcess(doc, path);
  if (!["Workflow", "CommandLineTool", "ExpressionTool"].includes(String(main.class))) {
    throw new DefinitionError(`${path} is not a CWL Workflow or CommandLineTool (class: ${String(main.class)})`);
  }
  const inputs: ParameterTemplate = {};
  for (const [id, value] of entries(main.inputs)) {
    const label = isNode(value) && typeof value.label === "string" && value.label !== "" ? value.label.slice(0, 256) : undefined;
    const hasDefault = isNode(value) && value.default !== undefined && value.default !== null;
    inputs[id] = { ...(label ? { description: label } : {}), optional: hasDefault || nullable(typeOf(value)) };
  }
  const steps = entries(main.steps).map(([id]) => id);
  const base = path.slice(path.lastIndexOf("/") + 1).replace(/\.cwl$/i, "");
  const outputs: OutputSpec[] = [];
  for (const [id, value] of entries(main.outputs)) {
    const kind = outputKind(typeOf(value));
    if (kind) outputs.push({ name: id, kind });
  }
  return { name: typeof main.id === "string" ? shortId(main.id) : base, inputs, steps: main.class === "Workflow" ? steps : [base], outputs };
}
