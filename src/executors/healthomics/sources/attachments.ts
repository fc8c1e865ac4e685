/**
 * A workflow sent as `workflow_attachment` files, `workflow_url` naming one of them: the main
 * file and what it imports, by relative path inside the submission (never above its root). For
 * Nextflow, which names no files of its own, every attached file that is not an input belongs to
 * the package.
 */
import { badRequest } from "../../../errors";
import { type CollectLimits, collectDefinition, type Engine } from "../package/collect";
import { isUrl, resolveRelative } from "../package/paths";
import type { FileSet } from "./https";

/** Reads an attached file by its path; undefined when no such file was attached. */
export type AttachmentReader = (path: string, budget: number) => Promise<Uint8Array | undefined>;

/** The workflow's files among the attachments. */
export async function fromAttachments(
  main: string,
  engine: Engine,
  paths: readonly string[],
  read: AttachmentReader,
  limits: CollectLimits,
  inputs: ReadonlySet<string> = new Set(),
): Promise<FileSet> {
  const attached = new Set(paths);
  if (!attached.has(main)) {
    throw badRequest(`workflow_url '${main.slice(0, 200)}' names no attached file; attach it as workflow_attachment with that file name.`);
  }
  const source = {
    resolve(from: string, reference: string): string {
      const target = resolveRelative(from, reference);
      if (target === undefined) {
        throw badRequest(
          isUrl(reference)
            ? `The import '${reference.slice(0, 200)}' in ${from} is a URL; attach the file and import it by a relative path.`
            : `The import '${reference.slice(0, 200)}' in ${from} points outside the attached files.`,
        );
      }
      return target;
    },
    async read(path: string, budget: number): Promise<Uint8Array> {
      const bytes = attached.has(path) ? await read(path, budget) : undefined;
      if (!bytes) throw badRequest(`The workflow imports '${path.slice(0, 200)}', which was not attached; attach it as workflow_attachment.`);
      return bytes;
    },
  };
  if (engine !== "NEXTFLOW") return { files: await collectDefinition(main, engine, source, limits), main };
  const files = new Map<string, Uint8Array>();
  let bytes = 0;
  for (const path of paths) {
    if (inputs.has(path)) continue;
    if (files.size >= limits.maxFiles) throw badRequest(`The workflow has more than ${limits.maxFiles} files (the file count limit).`);
    const content = await source.read(path, limits.maxBytes - bytes);
    bytes += content.byteLength;
    if (bytes > limits.maxBytes) throw badRequest(`The workflow's files exceed ${limits.maxBytes} bytes together (the size limit).`);
    files.set(path, content);
  }
  return { files, main };
}
