/**
 * What the emulator reads from a Nextflow pipeline: `params.x = ...` assignments in the main
 * script and nextflow.config (and a config's `params { x = ... }` block), all optional since
 * each comes with a default (AWS's exact rule for Nextflow templates is not documented where the
 * emulator could read it); descriptions from nextflow_schema.json when present; and the
 * `process NAME {` declarations of every .nf file (task names of a run). Pure.
 */
import type { ParameterTemplate } from "../validation";
import type { DefinitionFiles } from "./package";

/** What a Nextflow pipeline declares. */
export interface NextflowPipeline {
  params: ParameterTemplate;
  processes: string[];
}

function schemaDescriptions(files: DefinitionFiles, dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const text = files.get(`${dir}nextflow_schema.json`);
  if (!text) return found;
  try {
    const schema = JSON.parse(text) as Record<string, unknown>;
    const groups = [schema, ...Object.values((schema.definitions ?? schema.$defs ?? {}) as Record<string, unknown>)];
    for (const group of groups) {
      const properties = (group as { properties?: Record<string, { description?: unknown }> }).properties ?? {};
      for (const [name, p] of Object.entries(properties)) if (typeof p?.description === "string") found.set(name, p.description.slice(0, 256));
    }
  } catch {
    // An unreadable schema only costs the descriptions.
  }
  return found;
}

/** Names assigned in a config's `params { ... }` block (top level of the block only). */
function paramsBlock(config: string): string[] {
  const m = /(^|\n)\s*params\s*\{/.exec(config);
  if (!m) return [];
  const names: string[] = [];
  let depth = 1;
  const lines = config.slice(m.index + m[0].length).split("\n");
  for (const line of lines) {
    const assignment = depth === 1 ? /^\s*([A-Za-z_]\w*)\s*=/.exec(line) : null;
    if (assignment) names.push(assignment[1]!);
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth <= 0) break;
  }
  return names;
}

/** Reads a pipeline whose main script is `main`. */
export function readNextflow(files: DefinitionFiles, main: string): NextflowPipeline {
  const dir = main.includes("/") ? main.slice(0, main.lastIndexOf("/") + 1) : "";
  const sources = [files.get(main) ?? "", files.get(`${dir}nextflow.config`) ?? ""];
  const names = new Set<string>();
  for (const source of sources) for (const m of source.matchAll(/(^|\n)\s*params\.([A-Za-z_]\w*)\s*=/g)) names.add(m[2]!);
  for (const name of paramsBlock(files.get(`${dir}nextflow.config`) ?? "")) names.add(name);
  const described = schemaDescriptions(files, dir);
  const params: ParameterTemplate = {};
  for (const name of [...names].sort()) {
    const description = described.get(name);
    params[name] = { ...(description ? { description } : {}), optional: true };
  }
  const processes: string[] = [];
  for (const [path, text] of files) {
    if (!path.endsWith(".nf")) continue;
    for (const m of text.matchAll(/(^|\n)\s*process\s+([A-Za-z_]\w*)\s*\{/g)) if (!processes.includes(m[2]!)) processes.push(m[2]!);
  }
  return { params, processes };
}
