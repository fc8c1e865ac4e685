/**
 * Finds the storage locations a workflow parameter names — S3 (`s3://bucket/key`) and HealthOmics
 * storage (`omics://<account>.storage.<region>.amazonaws.com/<store id>/readSet/<id>/source1`,
 * `…/<store id>/reference/<id>/index`, AWS "Referencing genome files from a workflow definition") —
 * and every way a tool might read each one.
 *
 * The data-access check (data-access.ts) must not be fooled by spellings that a workflow engine,
 * an SDK or a URL parser resolves differently from a plain string comparison. So a mention is
 * read under every plausible interpretation: as written and percent-decoded (repeatedly), with
 * backslashes as slashes, with duplicate slashes kept (S3 keys are literal) and collapsed (some
 * path libraries collapse them). A refusal under any interpretation refuses the mention.
 * `.`/`..` segments are never interpreted: they are refused outright, since S3 keeps them literally
 * while path libraries and HTTP stacks resolve them.
 */

/** The storage schemes checked: S3 (with Hadoop's `s3a`/`s3n` spellings) and HealthOmics storage. */
export type StorageScheme = "s3" | "omics";

/** One interpretation of a mention: the location a tool reading it that way would use. */
export interface Reading {
  scheme: StorageScheme;
  /**
   * Bucket (S3) or host (omics), lower-cased, without what a URL parser drops (user info, port,
   * query, fragment, trailing dots). Used to decide "is this the output bucket?" (loose = safe).
   */
  looseHost: string;
  /** `looseHost` up to its first glob character (itself when it has none). */
  hostStem: string;
  /** Bucket or host as written (lower-cased) when it is a valid name, else null. Used for allow lists (strict = safe). */
  strictHost: string | null;
  /** The object key (everything after the bucket or host and its `/`). */
  key: string;
  /** The key up to its first glob character: every object the mention can name has a key starting with it. */
  stem: string;
}

/** A storage URI found in a parameter, with its interpretations, or why it is refused as written. */
export type Mention = { text: string; readings: Reading[] } | { text: string; problem: string };

/** S3 bucket names: 3-63 lower-case letters, digits, dots and hyphens (S3 "Bucket naming rules"). */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const HOST_NAME = /^[a-z0-9][a-z0-9.-]*$/;
/** Glob characters of Nextflow and shells: a mention containing one may name many keys. */
const GLOB = /[*?[{]/;
/** A scheme followed by any run of slashes or backslashes (`s3:/x`, `s3:///x` and `s3:\\x` included). */
const SCHEME = /(s3[an]?|omics):[/\\]+/gi;
/** Where a URI embedded in longer text ends. */
const STOP = /[\s"'`<>]/;
const MAX_DECODES = 4;

/** Decodes `%XX` escapes of ASCII characters (all that matter for slashes, dots and schemes). */
function decodeAscii(text: string): string {
  return text.replace(/%([0-7][0-9a-f])/gi, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** The text as written and every further percent-decoding of it, with backslashes read as slashes too. */
function forms(text: string): string[] {
  const seen = new Set<string>();
  let current = text;
  for (let i = 0; i <= MAX_DECODES; i++) {
    seen.add(current);
    seen.add(current.replace(/\\/g, "/"));
    const next = decodeAscii(current);
    if (next === current) break;
    current = next;
  }
  return [...seen];
}

function globStem(text: string): string {
  const at = text.search(GLOB);
  return at < 0 ? text : text.slice(0, at);
}

/** Reads one candidate (starting with its scheme) into its interpretations. */
function read(candidate: string): Mention {
  const match = /^(s3[an]?|omics):[/\\]+/i.exec(candidate)!;
  const scheme: StorageScheme = match[1]!.toLowerCase() === "omics" ? "omics" : "s3";
  const rest = candidate.slice(match[0].length);
  const slash = rest.indexOf("/");
  const authority = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
  const path = slash < 0 ? "" : rest.slice(slash + 1);
  const segments = path.split("/");
  if (segments.some((segment) => segment === "." || segment === "..")) {
    return {
      text: candidate,
      problem:
        "has '.' or '..' path segments (possibly percent-encoded); S3 keeps them literally while tools resolve them, so they are refused: name the location directly",
    };
  }
  let loose = authority.split(/[?#]/)[0]!;
  loose = loose
    .slice(loose.lastIndexOf("@") + 1)
    .replace(/:[0-9]*$/, "")
    .replace(/\.+$/, "");
  const strictHost = (scheme === "s3" ? BUCKET_NAME : HOST_NAME).test(authority) ? authority : null;
  const nonEmpty = segments.filter((segment) => segment !== "");
  const collapsed = nonEmpty.join("/") + (nonEmpty.length > 0 && path.endsWith("/") ? "/" : "");
  const keys = collapsed === path ? [path] : [path, collapsed];
  return {
    text: candidate,
    readings: keys.map((key) => ({ scheme, looseHost: loose, hostStem: globStem(loose), strictHost, key, stem: globStem(key) })),
  };
}

/**
 * Every storage URI mentioned in `value`, under every interpretation. A value that starts with a
 * scheme is read whole (keys may contain spaces); a URI further inside the text ends at the next
 * space or quote. Every occurrence of a scheme is a mention, so `s3://a/x,s3://b/y` yields both.
 */
export function mentions(value: string): Mention[] {
  const found = new Map<string, Mention>();
  for (const form of forms(value)) {
    const text = form.trim();
    for (const hit of text.matchAll(SCHEME)) {
      const start = hit.index;
      let candidate = text.slice(start);
      if (start > 0) {
        const end = candidate.search(STOP);
        if (end >= 0) candidate = candidate.slice(0, end);
      }
      if (!found.has(candidate)) found.set(candidate, read(candidate));
    }
  }
  return [...found.values()];
}

/** A location an operator allows (WES_ALLOWED_INPUT_PREFIXES): a scheme, optionally a bucket or host, optionally a folder. */
export interface StoragePrefix {
  scheme: StorageScheme;
  /** null: any bucket (`s3://`) or any HealthOmics store (`omics://`). */
  host: string | null;
  /** "" (the whole bucket or host) or a folder ending in `/`. */
  folder: string;
  /** Normalised text, for messages. */
  text: string;
}

/** Parses a configured prefix; a string is the reason it is not valid. */
export function parseStoragePrefix(input: string): StoragePrefix | string {
  const text = input.trim();
  const match = /^(s3|omics):\/\/(.*)$/i.exec(text);
  if (!match) return "must start with s3:// or omics://";
  const scheme = match[1]!.toLowerCase() as StorageScheme;
  const rest = match[2]!;
  if (rest === "") return { scheme, host: null, folder: "", text: `${scheme}://` };
  const slash = rest.indexOf("/");
  const host = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
  if (!(scheme === "s3" ? BUCKET_NAME : HOST_NAME).test(host))
    return scheme === "s3" ? `has an invalid bucket name '${host}'` : `has an invalid host '${host}'`;
  const key = slash < 0 ? "" : rest.slice(slash + 1);
  if (GLOB.test(key) || /[%\\\u0000-\u001f\u007f]/.test(key)) return "must not contain glob characters (* ? [ {), '%', backslashes or control characters";
  const segments = key.replace(/\/$/, "").split("/");
  if (key !== "" && segments.some((segment) => segment === "" || segment === "." || segment === ".."))
    return "must not contain empty, '.' or '..' path segments";
  const folder = key === "" ? "" : key.endsWith("/") ? key : `${key}/`;
  return { scheme, host, folder, text: `${scheme}://${host}/${folder}` };
}
