/**
 * Attached input files → S3. HealthOmics reads run inputs only from S3 (and its own storage): a
 * WDL `File` "No other URI schemes are supported (such as file://, https://, ftp://)", a
 * `Directory` is an S3 prefix ending in `/` (HealthOmics guide, "Writing workflow definitions"
 * and "HealthOmics run inputs"). So every reference to an attached file in `workflow_params` is
 * rewritten to the S3 URI it is uploaded to, in the form the engine expects:
 *
 * - CWL: a `File`/`Directory` object (at any depth, `secondaryFiles` included) whose `location`
 *   or `path` names an attachment (relative, optionally `file://`-prefixed, as Toil sends them)
 *   gets `location: s3://…` and loses `path`; a Directory's whole folder is uploaded.
 * - WDL and Nextflow: a plain string naming an attached file becomes its S3 URI; one naming an
 *   attached folder (`dir/` or `dir`) becomes the folder's prefix ending in `/`.
 *
 * Pure: the caller uploads the files returned in `uploads`.
 */
import type { Engine } from "../package/collect";

/** The rewritten parameters and the attachments to upload (paths, each once, sorted). */
export interface RewriteResult {
  params: Record<string, unknown>;
  uploads: string[];
}

/** Normalises a relative reference (`./a//b`, `file://a`) to an attachment path; undefined if it cannot be one. */
export function attachmentReference(value: string): string | undefined {
  let v = value.startsWith("file://") ? value.slice(7) : value;
  if (v === "" || v.startsWith("/") || /^[a-z][a-z0-9+.-]*:/i.test(v)) return undefined;
  const parts: string[] = [];
  for (const segment of v.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") return undefined;
    parts.push(segment);
  }
  v = parts.join("/");
  return v === "" ? undefined : v;
}

/** Rewrites `params` for attachments uploaded under `inputsUri` (`s3://bucket/…/inputs/`, ending in `/`). */
export function rewriteParams(params: Record<string, unknown>, attachments: readonly string[], inputsUri: string, engine: Engine): RewriteResult {
  const files = new Set(attachments);
  const uploads = new Set<string>();
  const folderFiles = (folder: string) => attachments.filter((p) => p.startsWith(`${folder}/`));
  // S3 URIs in HealthOmics parameters are written raw (the key as it is, no percent-encoding).
  const uri = (path: string) => `${inputsUri}${path}`;

  /** The S3 URI a reference becomes, recording its uploads; undefined when it names no attachment. */
  function target(value: string, kind: "file" | "folder" | "any"): string | undefined {
    const path = attachmentReference(value);
    if (path === undefined) return undefined;
    if (kind !== "folder" && files.has(path) && !value.endsWith("/")) {
      uploads.add(path);
      return uri(path);
    }
    if (kind !== "file") {
      const inside = folderFiles(path);
      if (inside.length > 0) {
        for (const p of inside) uploads.add(p);
        return `${uri(path)}/`;
      }
    }
    return undefined;
  }

  function visit(value: unknown): unknown {
    if (typeof value === "string") return engine === "CWL" ? value : (target(value, "any") ?? value);
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== "object") return value;
    const object = value as Record<string, unknown>;
    const cwlClass = engine === "CWL" ? object.class : undefined;
    const out: Record<string, unknown> = Object.create(null);
    for (const [key, child] of Object.entries(object)) out[key] = visit(child);
    if (cwlClass === "File" || cwlClass === "Directory") {
      const kind = cwlClass === "File" ? "file" : "folder";
      const reference = typeof object.location === "string" ? object.location : typeof object.path === "string" ? object.path : undefined;
      const rewritten = reference === undefined ? undefined : target(reference, kind);
      if (rewritten !== undefined) {
        out.location = rewritten;
        delete out.path;
      }
    }
    return { ...out };
  }

  const rewritten = visit(params) as Record<string, unknown>;
  return { params: rewritten, uploads: [...uploads].sort() };
}

/**
 * WDL inputs as HealthOmics names them: `name`, where Cromwell-style clients (wes-client,
 * Dockstore test files) write `<workflow>.name`. The prefix is dropped when every key carries the
 * same one; keys without it are left as they are.
 */
export function wdlInputNames(params: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(params);
  const prefixes = new Set(keys.map((k) => (/^[A-Za-z_]\w*\.\w+$/.test(k) ? k.slice(0, k.indexOf(".")) : "")));
  if (keys.length === 0 || prefixes.size !== 1 || prefixes.has("")) return params;
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k.slice(k.indexOf(".") + 1), v]));
}
