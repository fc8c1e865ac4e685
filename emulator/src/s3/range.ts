/**
 * GetObject's `Range` header as S3 reads it: one `bytes=` range (first-last, first-, or -suffix),
 * clipped to the object; a range starting past the end is unsatisfiable (416 InvalidRange);
 * anything S3 does not support (several ranges, other units, malformed) is ignored and the whole
 * object is sent. Pure.
 */

/** The bytes to send: offset and length within the object. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** The range to serve; undefined = the whole object; "unsatisfiable" = answer 416. */
export function parseRange(header: string | null, size: number): ByteRange | "unsatisfiable" | undefined {
  if (header === null) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    const length = Math.min(suffix, size);
    return size === 0 ? "unsatisfiable" : { offset: size - length, length };
  }
  const first = Number(m[1]);
  const last = m[2] === "" ? size - 1 : Number(m[2]);
  if (last < first) return undefined;
  if (first >= size) return "unsatisfiable";
  return { offset: first, length: Math.min(last, size - 1) - first + 1 };
}
