/**
 * A workflow package: its files zipped with their relative paths (fflate's synchronous API, which
 * works in Workers), and its content address — sha256 over the sorted paths and bytes, the engine
 * and the main file — so the same workflow submitted again, by anyone, is the same package. The
 * zip is deterministic too (sorted members, fixed timestamps). Pure apart from WebCrypto.
 */
import { zipSync } from "fflate";
import { badRequest } from "../../../errors";
import { sha256HexOf } from "../../../sha256";
import type { Engine } from "./collect";

/** A workflow ready to register. */
export interface WorkflowPackage {
  /** Hex sha256 content address. */
  hash: string;
  engine: Engine;
  /** Path of the main file inside the zip. */
  main: string;
  zip: Uint8Array;
  /** Paths inside the zip, sorted. */
  paths: string[];
}

/** Fixed member timestamp (the zip format's epoch), so equal files give equal zips. */
const MTIME = new Date(Date.UTC(1980, 0, 1, 12));

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The content address of a file set (length-prefixed, so no two sets share a digest input). */
export async function packageHash(files: ReadonlyMap<string, Uint8Array>, engine: Engine, main: string): Promise<string> {
  const encoder = new TextEncoder();
  const paths = [...files.keys()].sort(compare);
  const header = encoder.encode(JSON.stringify({ engine, main, files: paths.map((p) => [p, files.get(p)!.byteLength]) }));
  const total = header.byteLength + 1 + paths.reduce((n, p) => n + files.get(p)!.byteLength, 0);
  const all = new Uint8Array(total);
  all.set(header, 0);
  let offset = header.byteLength + 1;
  for (const path of paths) {
    all.set(files.get(path)!, offset);
    offset += files.get(path)!.byteLength;
  }
  return await sha256HexOf(all);
}

/** Zips `files` (relative path → bytes) with `main` among them. */
export async function packageWorkflow(files: ReadonlyMap<string, Uint8Array>, engine: Engine, main: string): Promise<WorkflowPackage> {
  if (!files.has(main)) throw new TypeError(`The main file ${main} is not among the package's files`);
  const paths = [...files.keys()].sort(compare);
  // fflate builds its member list in plain objects, where "__proto__" would vanish silently.
  const unsafe = paths.find((p) => p.split("/").includes("__proto__"));
  if (unsafe) throw badRequest(`The workflow file '${unsafe.slice(0, 100)}' has a name segment '__proto__', which cannot be packaged.`);
  // No prototype: a member named "__proto__" stays a member.
  const zippable: Record<string, [Uint8Array, { mtime: Date; level: 6 }]> = Object.create(null);
  for (const path of paths) zippable[path] = [files.get(path)!, { mtime: MTIME, level: 6 }];
  const zip = zipSync(zippable);
  return { hash: await packageHash(files, engine, main), engine, main, zip, paths };
}
