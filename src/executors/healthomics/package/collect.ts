/**
 * The file set of a workflow: its main file and everything it imports, followed breadth-first
 * through a source's own `resolve` and `read` (attachments by path, https URLs, TRS descriptors),
 * within limits on files, bytes and import depth. WDL follows `import`, CWL `run:`, `$import` and
 * `$include`; Nextflow names no files of its own (bin/, nextflow.config), so its sources hand over
 * every file instead. Every refusal is a 400 naming the limit or the missing file.
 */
import { badRequest } from "../../../errors";
import { cwlReferences } from "./cwl";
import { wdlImports } from "./wdl";

/** An engine HealthOmics runs. */
export type Engine = "WDL" | "CWL" | "NEXTFLOW";

/** Bounds of one collection. */
export interface CollectLimits {
  maxFiles: number;
  maxBytes: number;
  maxDepth: number;
}

/** Where files come from: locations are whatever the source uses (paths, URLs). */
export interface DefinitionSource {
  /** Where `reference` written in the file at `from` points; a 400 for a reference it refuses. */
  resolve(from: string, reference: string): string;
  /** The bytes at `location`; a 400 when it cannot be read. `budget` is the bytes still allowed. */
  read(location: string, budget: number): Promise<Uint8Array>;
}

const decoder = new TextDecoder();

/** The references a definition file makes, by engine (and by extension for mixed packages). */
export function referencesOf(engine: Engine, location: string, bytes: Uint8Array): string[] {
  const text = decoder.decode(bytes);
  const path = location.split(/[?#]/)[0]!.toLowerCase();
  if (engine === "WDL" || path.endsWith(".wdl")) return wdlImports(text);
  if (engine === "CWL" || path.endsWith(".cwl")) return cwlReferences(text);
  return [];
}

/** Collects `main` and its imports: location → bytes, main first. */
export async function collectDefinition(main: string, engine: Engine, source: DefinitionSource, limits: CollectLimits): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  let bytes = 0;
  let level: string[] = [main];
  const seen = new Set(level);
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > limits.maxDepth) throw badRequest(`The workflow's imports nest deeper than ${limits.maxDepth} levels (the import depth limit).`);
    const next: string[] = [];
    for (const location of level) {
      if (files.size >= limits.maxFiles) throw badRequest(`The workflow has more than ${limits.maxFiles} files (the file count limit).`);
      const content = await source.read(location, limits.maxBytes - bytes);
      bytes += content.byteLength;
      if (bytes > limits.maxBytes) throw badRequest(`The workflow's files exceed ${limits.maxBytes} bytes together (the size limit).`);
      files.set(location, content);
      for (const reference of referencesOf(engine, location, content)) {
        const target = source.resolve(location, reference);
        if (!seen.has(target)) {
          seen.add(target);
          next.push(target);
        }
      }
    }
    level = next;
  }
  return files;
}
