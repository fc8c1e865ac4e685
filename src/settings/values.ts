/**
 * The value shapes a Worker variable can have, as valibot schemas. Every variable arrives as text
 * (or not at all); each shape trims it, treats empty as "use the default", checks it and turns it
 * into the typed value the code uses. Messages say what is wrong without the variable's name (the
 * reader prefixes it, src/settings/read.ts) and never quote the value.
 *
 * The description and the default come first in every pipe, before any transform, so that the JSON
 * Schema export (src/settings/json-schema.ts) keeps them: it describes the variables as text.
 */
import * as v from "valibot";

/** What the documentation and the JSON Schema say about a variable. */
export interface Doc {
  description: string;
  /** A Worker secret (`wrangler secret put`, `--secrets-file`), never a `[vars]` entry. */
  secret?: boolean;
  /** The default as the variable would spell it ("" when there is none). */
  default?: string;
}

/** A variable as text: unset or set, described, trimmed. */
export function head(doc: Doc) {
  return v.pipe(
    v.optional(v.string("must be text"), doc.default ?? ""),
    v.description(doc.description),
    v.metadata(doc.secret ? { writeOnly: true } : {}),
    v.trim(),
  );
}

/** Free text; empty means `fallback`. */
export function text(doc: Doc, fallback = doc.default ?? "") {
  return v.pipe(
    head({ ...doc, default: fallback }),
    v.transform((s) => s || fallback),
  );
}

/** Text that must match `pattern` (so it is required unless the pattern accepts ""). */
export function matching(doc: Doc, pattern: RegExp, message: string) {
  return v.pipe(head(doc), v.regex(pattern, message));
}

/** Optional text matching `pattern` when set; empty is undefined. */
export function optionalMatching(doc: Doc, pattern: RegExp, message: string) {
  return v.pipe(
    head(doc),
    v.check((s) => s === "" || pattern.test(s), message),
    v.transform((s) => s || undefined),
  );
}

/** Required text (a credential): any non-empty value. */
export function required(doc: Doc, message = "is not set") {
  return v.pipe(head(doc), v.nonEmpty(message));
}

/** True for an absolute http(s) URL with a host. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** An optional URL accepted by `accept` (http(s) by default); empty is undefined. */
export function optionalUrl(doc: Doc, message = "must be an http(s) URL", accept: (url: string) => boolean = isHttpUrl) {
  return v.pipe(
    head(doc),
    v.check((s) => s === "" || accept(s), message),
    v.transform((s) => s || undefined),
  );
}

/** A number (fractions allowed) in (`min`, `max`]; empty is `fallback`. */
export function number(doc: Doc, fallback: number, min: number, max: number, message: string) {
  return v.pipe(
    head({ ...doc, default: String(fallback) }),
    v.transform((s) => (s === "" ? fallback : Number(s))),
    v.check((n) => Number.isFinite(n) && n > min && n <= max, message),
  );
}

/** Seconds in (0, 86400]; empty is `fallback`. */
export function seconds(doc: Doc, fallback: number) {
  return number(doc, fallback, 0, 86_400, "must be a number of seconds between 0 and 86400");
}

/** A whole number in [`min`, `max`]; empty is `fallback`. */
export function wholeNumber(doc: Doc, fallback: number, min: number, max: number, message = `must be a whole number from ${min} to ${max}`) {
  return v.pipe(
    head({ ...doc, default: String(fallback) }),
    v.check((s) => s === "" || (/^\d+$/.test(s) && Number(s) >= min && Number(s) <= max), message),
    v.transform((s) => (s === "" ? fallback : Number(s))),
  );
}

/** One of `values`; empty is `fallback`. */
export function oneOf<const T extends readonly [string, ...string[]]>(doc: Doc, values: T, fallback: T[number], message: string) {
  return v.pipe(
    head({ ...doc, default: fallback }),
    v.transform((s) => s || fallback),
    v.picklist(values, message),
  );
}

/** `true` or `false`; empty is `false`. */
export function flag(doc: Doc) {
  return v.pipe(
    oneOf(doc, ["false", "true"], "false", "must be true or false"),
    v.transform((s) => s === "true"),
  );
}

/** Items separated by `separator` (commas and newlines by default), trimmed, empty ones dropped. */
export function splitList(value: string, separator: RegExp = /[,\n]/): string[] {
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** A list of items; empty is an empty list. */
export function list(doc: Doc, separator?: RegExp) {
  return v.pipe(
    head(doc),
    v.transform((s) => splitList(s, separator)),
  );
}

/** Reports one problem of a variable (a message without its name). */
export type Problem = (message: string) => void;

/**
 * A value read by `parse`, which reports every problem it finds (a list setting can have several
 * bad entries) and still returns its best reading.
 */
export function parsed<T>(doc: Doc, parse: (text: string, problem: Problem) => T) {
  return v.pipe(
    head(doc),
    v.rawTransform(({ dataset, addIssue }) => parse(dataset.value, (message) => addIssue({ message }))),
  );
}
