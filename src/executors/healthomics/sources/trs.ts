/**
 * A workflow from a GA4GH TRS v2 registry: a TRS URI `trs://<server>/<id>/<version>` or a
 * Dockstore-style descriptor URL `https://<server>/…/ga4gh/trs/v2/tools/<id>/versions/<v>/PLAIN_<TYPE>/descriptor[/<path>]`.
 * The full file set comes from `…/<TYPE>/files` (descriptors and other files; tests and
 * container files are left out), each fetched raw from `…/PLAIN_<TYPE>/descriptor/<path>` and
 * checked against its sha-256 checksum when the registry gives one. The id, version and checksums
 * are kept for the run log. Reference: ga4gh/tool-registry-service-schemas openapi.yaml (TRS
 * 2.0.1), and the TRS URI scheme in the same repository's README.
 */
import { badRequest } from "../../../errors";
import { sha256HexOf } from "../../../sha256";
import type { CollectLimits, Engine } from "../package/collect";
import { type FetchLimits, FETCH_LIMITS, fetchBounded } from "./fetch-bounded";
import type { FileSet } from "./https";
import type { UrlPolicy } from "./url-policy";

/** A TRS tool version and where its registry is. */
export interface TrsRef {
  /** `https://<server>[/prefix]/ga4gh/trs/v2` (no trailing slash). */
  base: string;
  /** The tool id, decoded (`#workflow/github.com/org/repo`). */
  id: string;
  version: string;
  /** The descriptor type in the URL (`WDL`, `CWL`, `NFL`), when it names one. */
  type?: string;
  /** The descriptor path in the URL, when it names one. */
  path?: string;
}

/** What the run records about its TRS source. */
export interface TrsProvenance {
  trs_id: string;
  trs_version: string;
  trs_url: string;
  checksums: Record<string, string>;
}

const TYPE_OF_ENGINE: Record<Engine, string> = { WDL: "WDL", CWL: "CWL", NEXTFLOW: "NFL" };
const DESCRIPTOR_URL = /^(https?:\/\/[^?#]*?\/ga4gh\/trs\/v2)\/tools\/([^?#]+?)\/versions\/([^/?#]+)\/(PLAIN_)?([A-Z]+)\/descriptor(?:\/([^?#]*))?$/;

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw badRequest(`The TRS URL has a malformed escape in '${text.slice(0, 100)}'.`);
  }
}

/** Parses a TRS URI or a TRS descriptor URL; undefined for any other URL. */
export function parseTrsUrl(url: string, policy: Pick<UrlPolicy, "allowLocal">): TrsRef | undefined {
  const uri = /^trs:\/\/([^/?#]+)\/([^/?#]+)\/([^/?#]+)$/.exec(url);
  if (uri) {
    const server = uri[1]!;
    // The TRS URI names no scheme; a local registry (allowLocal) speaks http.
    const local = policy.allowLocal && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(server);
    return { base: `${local ? "http" : "https"}://${server}/ga4gh/trs/v2`, id: decode(uri[2]!), version: decode(uri[3]!) };
  }
  const match = DESCRIPTOR_URL.exec(url);
  if (!match) return undefined;
  const ref: TrsRef = { base: match[1]!, id: decode(match[2]!), version: decode(match[3]!), type: match[5]! };
  if (match[6]) ref.path = decode(match[6]).replace(/^\/+/, "");
  return ref;
}

interface ToolFile {
  path: string;
  file_type?: string;
  checksum?: Array<{ checksum?: string; type?: string }>;
}

function versionUrl(ref: TrsRef): string {
  return `${ref.base}/tools/${encodeURIComponent(ref.id)}/versions/${encodeURIComponent(ref.version)}`;
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** Reads the full file set of a TRS tool version. */
export async function fromTrs(
  ref: TrsRef,
  engine: Engine,
  policy: UrlPolicy,
  limits: CollectLimits,
  fetchLimits: FetchLimits = FETCH_LIMITS,
): Promise<FileSet & { provenance: TrsProvenance }> {
  const type = TYPE_OF_ENGINE[engine];
  if (ref.type && ref.type !== type) throw badRequest(`The TRS URL names a ${ref.type} descriptor, but workflow_type says ${type}.`);
  const listing = await fetchBounded(`${versionUrl(ref)}/${type}/files`, policy, 1024 * 1024, fetchLimits, "application/json");
  let entries: ToolFile[];
  try {
    entries = JSON.parse(new TextDecoder().decode(listing.bytes)) as ToolFile[];
    if (!Array.isArray(entries)) throw new TypeError("not an array");
  } catch {
    throw badRequest(`The TRS registry's file list for ${ref.id} ${ref.version} is not a JSON array.`);
  }
  const wanted = entries.filter((e) => typeof e?.path === "string" && e.file_type !== "TEST_FILE" && e.file_type !== "CONTAINERFILE");
  if (wanted.length > limits.maxFiles) throw badRequest(`The workflow has more than ${limits.maxFiles} files (the file count limit).`);
  const files = new Map<string, Uint8Array>();
  const checksums: Record<string, string> = {};
  let bytes = 0;
  for (const entry of wanted) {
    const path = entry.path.replace(/^\/+/, "");
    if (path === "" || path.split("/").some((s) => s === ".." || s === "."))
      throw badRequest(`The TRS registry lists a file with an unsafe path '${entry.path.slice(0, 100)}'.`);
    const got = await fetchBounded(
      `${versionUrl(ref)}/PLAIN_${type}/descriptor/${encodePath(path)}`,
      policy,
      limits.maxBytes - bytes,
      fetchLimits,
      "text/plain",
    );
    bytes += got.bytes.byteLength;
    const expected = entry.checksum?.find((c) => /^sha-?256$/i.test(c.type ?? ""))?.checksum?.toLowerCase();
    const actual = await sha256HexOf(got.bytes);
    if (expected && expected !== actual)
      throw badRequest(`The TRS file ${path} does not match its sha-256 checksum (${expected}); the registry served different content.`);
    files.set(path, got.bytes);
    checksums[path] = `sha-256:${actual}`;
  }
  const primary = wanted.find((e) => e.file_type === "PRIMARY_DESCRIPTOR")?.path.replace(/^\/+/, "");
  const main = ref.path ?? primary;
  if (!main || !files.has(main)) {
    throw badRequest(`The TRS registry's files for ${ref.id} ${ref.version} include no ${ref.path ? `'${ref.path.slice(0, 100)}'` : "primary descriptor"}.`);
  }
  return { files, main, provenance: { trs_id: ref.id, trs_version: ref.version, trs_url: versionUrl(ref), checksums } };
}
