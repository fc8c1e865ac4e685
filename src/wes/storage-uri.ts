/**
 * Finds the storage locations a workflow parameter names — S3 (`s3://bucket/key`, S3 endpoint
 * URLs and `arn:aws:s3:::bucket/key`, storage-readers.ts) and HealthOmics storage
 * (`omics://<account>.storage.<region>.amazonaws.com/<store id>/readSet/<id>/source1`,
 * `…/<store id>/reference/<id>/index`, AWS "Referencing genome files from a workflow definition") —
 * and every way a tool might read each one.
 *
 * The data-access check (data-access.ts) must not be fooled by spellings that a workflow engine,
 * an SDK or a URL parser resolves differently from a plain string comparison. So a value is
 * scanned in each of its forms (storage-forms.ts: as written, percent-decoded, backslashes as
 * slashes, and as a WHATWG URL parser reads it, with tab, LF and CR deleted), and each mention is
 * read with duplicate slashes kept (S3 keys are literal) and collapsed (some path libraries
 * collapse them). A refusal under any interpretation refuses the mention. `.`/`..` segments are
 * never interpreted: they are refused outright, since S3 keeps them literally while path
 * libraries and HTTP stacks resolve them; so are control characters inside a location.
 *
 * The scan is one pass per form, and a mention ends at the next mention or after
 * MAX_MENTION_CHARS, so no character is read more than a constant number of times: a megabyte of
 * `s3://s3://…` costs about as much as a megabyte of prose. A mention cut short is read as a
 * prefix (it may go on), which can only make the check stricter.
 */
import { type ScanMeter, valueForms } from "./storage-forms";
import { BUCKET_NAME, GLOB, HOST_NAME, readMention } from "./storage-readers";

export { BUCKET_NAME } from "./storage-readers";
export type { ScanMeter } from "./storage-forms";

/** The storage schemes checked: S3 (with Hadoop's `s3a`/`s3n` spellings) and HealthOmics storage. */
export type StorageScheme = "s3" | "omics";

/** One interpretation of a mention: the location a tool reading it that way would use. */
export interface Reading {
  scheme: StorageScheme;
  /**
   * Bucket (S3) or host (omics, S3 endpoint URLs), lower-cased, without what a URL parser drops
   * (user info, port, query, fragment, trailing dots). Used to decide "is this the output
   * bucket?" (loose = safe).
   */
  looseHost: string;
  /** `looseHost` up to its first glob character (itself when it has none). */
  hostStem: string;
  /** Whether the host may go on beyond `hostStem`: it has a glob, or the mention was cut inside it. */
  hostOpen: boolean;
  /** Bucket or host as written (lower-cased) when it is a valid name, else null. Used for allow lists (strict = safe). */
  strictHost: string | null;
  /** The object key (everything after the bucket or host and its `/`). */
  key: string;
  /** The key up to its first glob character: every object the mention can name has a key starting with it. */
  stem: string;
}

/** A storage URI found in a parameter, with its interpretations, or why it is refused as written. */
export type Mention = { text: string; readings: Reading[] } | { text: string; problem: string };

/**
 * Longest mention read: an S3 key is at most 1,024 bytes, which percent-encoding can triple, plus
 * scheme and bucket. A longer mention is read as a prefix of this length.
 */
export const MAX_MENTION_CHARS = 4096;

/** Where a mention may start: a storage or web scheme and any run of slashes or backslashes after it, or an S3 ARN. */
const HIT = /(?:s3[an]?|omics|https?):[/\\]+|arn:aws[a-z-]{0,16}:s3[a-z-]{0,16}:/gi;
/** Where a mention embedded in longer text ends. */
const STOP = /[\s"'`<>]/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const LINE_BREAK = /[\t\n\r]/;

/** Finds the mentions of one form, each read once (`found` is shared by all forms). */
function scanForm(text: string, found: Map<string, Mention | null>, meter: ScanMeter): void {
  meter.examined += text.length;
  const hits = [...text.matchAll(HIT)];
  for (let i = 0; i < hits.length; i++) {
    const start = hits[i]!.index;
    const next = i + 1 < hits.length ? hits[i + 1]!.index : text.length;
    const limit = Math.min(next, start + MAX_MENTION_CHARS);
    let end = limit;
    if (start === 0) {
      // A value read whole may hold spaces, but a tab or line break ends it (a list of URIs, one
      // per line); the WHATWG form, where they are deleted, reads on as a URL parser would.
      const from = hits[i]![0].length;
      meter.examined += limit - from;
      const stop = text.slice(from, limit).search(LINE_BREAK);
      if (stop >= 0) end = from + stop;
    } else {
      // Embedded in longer text: the mention ends at a space or quote (never beyond the next one).
      const from = start + hits[i]![0].length;
      meter.examined += 2 * (limit - from);
      const stop = text.slice(from, limit).search(STOP);
      if (stop >= 0) {
        end = from + stop;
        // A tool that takes everything after `=` or `,` reads on through spaces, up to a control character.
        const control = text.slice(from, limit).search(CONTROL);
        read(text, start, control < 0 ? limit : from + control, limit, true, found, meter);
      }
    }
    read(text, start, end, limit, false, found, meter);
  }
}

/** Reads `text[start, end)` once (`found` remembers every mention read, across forms). */
function read(text: string, start: number, end: number, limit: number, extension: boolean, found: Map<string, Mention | null>, meter: ScanMeter): void {
  // Cut by the next mention or the length limit, the text may go on: read it as a prefix.
  const open = end === limit && limit < text.length;
  const candidate = text.slice(start, end);
  meter.examined += 4 * candidate.length; // read in a few linear passes (split, decode, match)
  const id = `${open ? "open" : "closed"} ${extension ? "extension" : "mention"} ${candidate}`;
  if (!found.has(id)) found.set(id, readMention(candidate, { open, extension }));
}

/**
 * Every storage location mentioned in `value`, under every interpretation. A value that starts
 * with a scheme is read whole up to a tab or line break (keys may contain spaces); a URI further
 * inside the text ends at the next space or quote, and is also read on past it up to a control
 * character. Every occurrence of a scheme is a mention and ends where the next one starts, so
 * `s3://a/x,s3://b/y` yields both. `meter` counts the characters examined.
 */
export function mentions(value: string, meter: ScanMeter = { examined: 0 }): Mention[] {
  const found = new Map<string, Mention | null>();
  for (const form of valueForms(value, meter)) scanForm(form, found, meter);
  return [...found.values()].filter((mention): mention is Mention => mention !== null);
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
