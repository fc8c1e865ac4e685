/**
 * A workflow definition zip as HealthOmics reads it: members outside hidden files and folders,
 * and the choice of the main file (HealthOmics guide, "Workflow definition packaging"): the
 * `main` parameter when given; otherwise the definition files (.wdl, .nf, .cwl) nearest the
 * archive root — the only one there whatever its name, else `main.<ext>`. The zip must hold
 * one engine's files unless `engine` says which. Pure (fflate's synchronous unzip).
 */
import { unzipSync } from "fflate";
import { DefinitionError, type Engine } from "./types";

/** Files HealthOmics runs, by extension. */
const ENGINE_OF_EXTENSION: Record<string, Engine> = { wdl: "WDL", nf: "NEXTFLOW", cwl: "CWL" };
/** Members the emulator reads (definitions, Nextflow's config and schema); the rest stays compressed. */
const READ = /\.(wdl|nf|cwl|ya?ml|json|config)$/i;
/** Largest member read (bytes, uncompressed). */
const MAX_MEMBER_BYTES = 8 * 1024 * 1024;

/** The text members of a definition zip, by path. */
export type DefinitionFiles = Map<string, string>;

function hidden(path: string): boolean {
  return path.split("/").some((segment) => segment.startsWith(".") || segment === "__MACOSX");
}

/** Unzips the members the emulator reads; DefinitionError when the bytes are not a zip or a member is not UTF-8 text. */
export function readDefinitionZip(zip: Uint8Array): DefinitionFiles {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, { filter: (f) => !f.name.endsWith("/") && !hidden(f.name) && READ.test(f.name) && f.originalSize <= MAX_MEMBER_BYTES });
  } catch (error) {
    throw new DefinitionError(`The workflow definition is not a readable ZIP archive (${error instanceof Error ? error.message : String(error)})`);
  }
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const files: DefinitionFiles = new Map();
  for (const [path, bytes] of Object.entries(entries)) {
    try {
      files.set(path, decoder.decode(bytes));
    } catch {
      throw new DefinitionError(`The workflow definition file ${path} is not UTF-8 text`);
    }
  }
  return files;
}

function extension(path: string): string {
  return path.slice(path.lastIndexOf(".") + 1).toLowerCase();
}

/** The engine of a definition file's extension (WDL_LENIENT reads .wdl files). */
function engineOf(path: string): Engine | undefined {
  return ENGINE_OF_EXTENSION[extension(path)];
}

function sameFamily(a: Engine, b: Engine): boolean {
  const family = (e: Engine) => (e === "WDL_LENIENT" ? "WDL" : e);
  return family(a) === family(b);
}

/** The main file and engine of a package, by HealthOmics' rules; DefinitionError when there is none. */
export function chooseMain(files: DefinitionFiles, main?: string, engine?: Engine): { main: string; engine: Engine } {
  if (main !== undefined) {
    const path = main.replace(/^\.\//, "");
    if (!files.has(path)) throw new DefinitionError(`The main workflow definition file ${main} is not in the workflow definition ZIP archive`);
    const detected = engineOf(path);
    if (engine && detected && !sameFamily(engine, detected)) throw new DefinitionError(`The main file ${main} is not a ${engine} workflow definition`);
    if (!engine && !detected) throw new DefinitionError(`Cannot detect the workflow engine of ${main}: set engine`);
    return { main: path, engine: engine ?? detected! };
  }
  const definitions = [...files.keys()].filter((p) => {
    const e = engineOf(p);
    return e !== undefined && (engine === undefined || sameFamily(engine, e));
  });
  if (definitions.length === 0) {
    throw new DefinitionError(
      engine
        ? `The workflow definition ZIP archive has no ${engine} definition file`
        : "The workflow definition ZIP archive has no workflow definition file (.wdl, .nf or .cwl)",
    );
  }
  const engines = new Set(definitions.map((p) => engineOf(p)!));
  if (engines.size > 1)
    throw new DefinitionError(`The workflow definition ZIP archive holds definitions of several engines (${[...engines].join(", ")}): set engine`);
  const depth = (p: string) => p.split("/").length;
  const top = Math.min(...definitions.map(depth));
  const nearest = definitions.filter((p) => depth(p) === top).sort();
  const chosen = nearest.length === 1 ? nearest[0] : nearest.find((p) => /^main\.(wdl|nf|cwl)$/i.test(p.slice(p.lastIndexOf("/") + 1)));
  if (!chosen) {
    throw new DefinitionError(`Several workflow definition files at the top level (${nearest.join(", ")}) and none is named main: set main`);
  }
  return { main: chosen, engine: engine ?? engineOf(chosen)! };
}
