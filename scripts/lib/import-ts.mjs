/**
 * Imports a TypeScript module of this repository from a Node script: esbuild bundles it (with its
 * npm dependencies) in memory and the result is imported from a data: URL. For small, pure modules
 * such as src/settings/*; nothing is written to disk.
 */
import { build } from "esbuild";

/** Bundles `source` (module text, resolved from `root`) and imports it. */
export async function importTs(source, root) {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: "ts", sourcefile: "entry.ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
  });
  return await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString("base64")}`);
}
