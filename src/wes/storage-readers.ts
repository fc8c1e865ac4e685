/**
 * Reads one mention found by the storage-URI scanner (storage-uri.ts) into its readings: an
 * `s3://` or `omics://` URI, an S3 endpoint URL (`https://<bucket>.s3.<region>.amazonaws.com/key`,
 * path-style `https://s3.<region>.amazonaws.com/<bucket>/key`, legacy `s3-<region>`, dualstack
 * and FIPS hosts, `.amazonaws.com.cn`), or an S3 ARN (`arn:aws:s3:::bucket/key`). Access points
 * (ARNs, aliases, `s3-accesspoint` hosts), Object Lambda, Outposts, S3 Express and website
 * endpoints are refused: which bucket they read is not visible in the text.
 *
 * Every reader's work is linear in the mention, which the scanner bounds (MAX_MENTION_CHARS).
 */
import type { Mention, Reading, StorageScheme } from "./storage-uri";

/** S3 bucket names: 3-63 lower-case letters, digits, dots and hyphens (S3 "Bucket naming rules"). */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const HOST_NAME = /^[a-z0-9][a-z0-9.-]*$/;
/** Glob characters of Nextflow and shells: a mention containing one may name many keys. */
export const GLOB = /[*?[{]/;
/** Access point aliases (`-s3alias`), Outposts (`--op-s3`) and Object Lambda (`--ol-s3`) aliases stand for a bucket not named. */
const ALIAS = /(-s3alias|--op-s3|--ol-s3)$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

const DOT_SEGMENTS =
  "has '.' or '..' path segments (possibly percent-encoded); S3 keys keep them literally while tools resolve them, so they are refused: name the location directly";
const ALIAS_PROBLEM = "names an S3 access point alias, which may stand for any bucket (the output bucket included); name the bucket itself (s3://bucket/key)";
const ACCESS_POINT_PROBLEM =
  "is an S3 ARN other than arn:aws:s3:::bucket/key (an access point, Object Lambda, Outposts or S3 Express location), which may stand for any bucket (the output bucket included); name the bucket itself (s3://bucket/key)";
const ENDPOINT_PROBLEM =
  "is an S3 endpoint URL of a kind this service does not read (access point, website, Object Lambda or S3 Express); name the data as s3://bucket/key";

function globStem(text: string): string {
  const at = text.search(GLOB);
  return at < 0 ? text : text.slice(0, at);
}

/** `text` without trailing `char`s (a loop: `/\.+$/` backtracks quadratically on long runs). */
function trimEnd(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}

/** What a URL parser keeps of an authority: no user info, port, query, fragment or trailing dots. */
function looseHostOf(authority: string): string {
  let host = authority;
  const cut = host.search(/[?#]/);
  if (cut >= 0) host = host.slice(0, cut);
  host = host.slice(host.lastIndexOf("@") + 1);
  const colon = host.lastIndexOf(":");
  if (colon >= 0 && /^[0-9]*$/.test(host.slice(colon + 1))) host = host.slice(0, colon);
  return trimEnd(host, ".");
}

/**
 * The readings of a location: its key as written and with duplicate slashes collapsed. `open`:
 * the mention was cut (at the next URI or at the length limit), so the text may go on and only
 * its beginning is known — a cut inside the host leaves the host open too.
 */
function readings(scheme: StorageScheme, looseHost: string, strictHost: string | null, key: string, hostCut: boolean): Reading[] {
  const hostOpen = hostCut || GLOB.test(looseHost);
  const base = { scheme, looseHost, hostStem: globStem(looseHost), hostOpen, strictHost: hostCut ? null : strictHost };
  const nonEmpty = key.split("/").filter((segment) => segment !== "");
  const collapsed = nonEmpty.join("/") + (nonEmpty.length > 0 && key.endsWith("/") ? "/" : "");
  const keys = collapsed === key ? [key] : [key, collapsed];
  return keys.map((k) => ({ ...base, key: k, stem: globStem(k) }));
}

function hasDotSegments(path: string): boolean {
  return path.split("/").some((segment) => segment === "." || segment === "..");
}

/** The path with `.` and `..` segments resolved, as a URL parser resolves them. */
function resolveDots(path: string): string {
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "..") out.pop();
    else if (segment !== ".") out.push(segment);
  }
  return out.join("/");
}

/** How a mention is read (see readMention). */
export interface ReadMode {
  /** The text was cut (at the next mention or the length limit) and may go on. */
  open: boolean;
  /** An embedded mention read on past the space or quote that ended it, as a tool that splits on `=` or `,` would. */
  extension: boolean;
}

/** The path to check: dot segments refuse a mention, except in an extension, where they are resolved like a URL parser does. */
function checkedPath(path: string, mode: ReadMode): string | null {
  if (!hasDotSegments(path)) return path;
  return mode.extension ? resolveDots(path) : null;
}

/** A host no URL parser accepts (white space outside the user info): an extension that names nothing. */
function unparsable(host: string, mode: ReadMode): boolean {
  return mode.extension && /\s/.test(host);
}

/** An S3 location from a bucket (as written) and key: refused when the bucket is an alias. */
function s3Location(text: string, bucketText: string, key: string, hostCut: boolean, mode: ReadMode): Mention | null {
  const loose = looseHostOf(bucketText.toLowerCase());
  if (unparsable(loose, mode)) return null;
  if (ALIAS.test(loose)) return { text, problem: ALIAS_PROBLEM };
  const strict = BUCKET_NAME.test(bucketText.toLowerCase()) ? bucketText.toLowerCase() : null;
  return { text, readings: readings("s3", loose, strict, key, hostCut) };
}

/** `s3://`, `s3a://`, `s3n://` or `omics://` (any run of slashes or backslashes after the colon). */
function readStorageUri(text: string, mode: ReadMode): Mention | null {
  const match = /^(s3[an]?|omics):[/\\]+/i.exec(text)!;
  const scheme: StorageScheme = match[1]!.toLowerCase() === "omics" ? "omics" : "s3";
  const rest = text.slice(match[0].length);
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = checkedPath(slash < 0 ? "" : rest.slice(slash + 1), mode);
  if (path === null) return { text, problem: DOT_SEGMENTS };
  const hostCut = mode.open && slash < 0;
  if (scheme === "s3") return s3Location(text, authority, path, hostCut, mode);
  const lower = authority.toLowerCase();
  const loose = looseHostOf(lower);
  if (unparsable(loose, mode)) return null;
  return { text, readings: readings("omics", loose, HOST_NAME.test(lower) ? lower : null, path, hostCut) };
}

const REGION = "[a-z]{2}(?:-[a-z]+)+-[0-9]+";
/** `s3`, `s3-fips`, optional `.dualstack`, optional `.<region>` or `-<region>` (legacy), or `s3-external-1`. */
const ENDPOINT = `s3(?:-fips)?(?:\\.dualstack)?(?:[.-]${REGION})?|s3-external-1`;
const AWS_DOMAIN = "\\.amazonaws\\.com(?:\\.cn)?";
const PATH_STYLE = new RegExp(`^(?:${ENDPOINT})${AWS_DOMAIN}$`);
const VIRTUAL_HOST = new RegExp(`^(.+)\\.(?:${ENDPOINT})${AWS_DOMAIN}$`);
/** Any host of S3 (and its variants) at AWS: a label `s3` or starting with `s3-`/`s3express`. */
const S3_HOST = new RegExp(`(?:^|\\.)s3(?:express)?(?:[.-][a-z0-9.-]*)?${AWS_DOMAIN}$`);
/** Longest DNS name; longer hosts are not S3 endpoints and are left alone. */
const MAX_HOST = 253;

/** `http(s)://` URLs of S3 endpoints; null for any other URL (not a storage location). */
function readEndpointUrl(text: string, mode: ReadMode): Mention | null {
  // A special URL: backslashes are slashes, and the path ends at the query or fragment.
  const match = /^https?:[/\\]+/i.exec(text)!;
  const rest = text.slice(match[0].length).replace(/\\/g, "/");
  const end = rest.search(/[/?#]/);
  const authority = (end < 0 ? rest : rest.slice(0, end)).toLowerCase();
  const hostCut = mode.open && end < 0;
  const host = looseHostOf(authority);
  if (host.length > MAX_HOST || unparsable(host, mode)) return null;
  if (!S3_HOST.test(host)) {
    // Cut inside a host that may still become an S3 host: refuse rather than guess.
    return hostCut && /(^|\.)s3/.test(host) ? { text, problem: ENDPOINT_PROBLEM } : null;
  }
  const afterHost = end < 0 ? "" : rest.slice(end);
  const pathEnd = afterHost.search(/[?#]/);
  const path = checkedPath((pathEnd < 0 ? afterHost : afterHost.slice(0, pathEnd)).replace(/^\//, ""), mode);
  if (path === null) return { text, problem: DOT_SEGMENTS };
  if (PATH_STYLE.test(host)) {
    const slash = path.indexOf("/");
    return s3Location(text, slash < 0 ? path : path.slice(0, slash), slash < 0 ? "" : path.slice(slash + 1), mode.open && slash < 0, mode);
  }
  const virtual = VIRTUAL_HOST.exec(host);
  if (!virtual || /s3-accesspoint|s3-object-lambda|s3-website|s3express/.test(host)) return { text, problem: ENDPOINT_PROBLEM };
  const bucket = virtual[1]!;
  if (ALIAS.test(bucket)) return { text, problem: ALIAS_PROBLEM };
  // The whole host stays the loose reading: the data-access check recognises `<bucket>.s3…` hosts itself.
  return { text, readings: readings("s3", host, BUCKET_NAME.test(bucket) ? bucket : null, path, false) };
}

/** `arn:<partition>:s3…:<region>:<account>:<resource>`: only plain bucket ARNs are read. */
function readArn(text: string, mode: ReadMode): Mention | null {
  const match = /^arn:aws[a-z-]*:(s3[a-z-]*):([^:/]*):([^:/]*):/i.exec(text);
  if (!match || match[1]!.toLowerCase() !== "s3" || match[2] !== "" || match[3] !== "") return { text, problem: ACCESS_POINT_PROBLEM };
  const resource = text.slice(match[0].length);
  const slash = resource.indexOf("/");
  const key = checkedPath(slash < 0 ? "" : resource.slice(slash + 1), mode);
  if (key === null) return { text, problem: DOT_SEGMENTS };
  return s3Location(text, slash < 0 ? resource : resource.slice(0, slash), key, mode.open && slash < 0, mode);
}

/**
 * The readings of one mention (starting with its scheme or `arn:`), or why it is refused; null
 * when it names no storage location (a web page, or an extension no URL parser would accept).
 */
export function readMention(text: string, mode: ReadMode): Mention | null {
  const mention = /^https?:/i.test(text) ? readEndpointUrl(text, mode) : /^arn:/i.test(text) ? readArn(text, mode) : readStorageUri(text, mode);
  if (mention && CONTROL.test(text)) {
    return {
      text,
      problem: "contains control characters (such as tab, line feed or NUL), which URL parsers delete or misread; remove them from the location",
    };
  }
  return mention;
}
