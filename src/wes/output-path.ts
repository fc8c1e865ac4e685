/**
 * The `{path}` of GET /runs/{run_id}/outputs/{path}: a file relative to the run's own output
 * prefix, never a full S3 URI. Checked on the raw request path, segment by segment, so encoded
 * traversal (`%2e%2e`, `%2F`, `%5C`, double encoding) is refused like a literal `..`. Pure.
 */

/** S3's longest key, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;

/** The decoded relative path, or the reason it is refused. */
export type OutputPath = { ok: true; path: string } | { ok: false; problem: string };

function decodeOnce(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Checks the raw (still percent-encoded) path after `/outputs/`. */
export function parseOutputPath(raw: string): OutputPath {
  if (raw === "") return { ok: false, problem: "names no file: give a path relative to the run's output location, e.g. out/vcf/sample.vcf" };
  if (/^[a-z][a-z0-9+.-]*:/i.test(decodeOnce(raw) ?? raw)) return { ok: false, problem: "must be relative to the run's output location, not a URI" };
  const segments: string[] = [];
  for (const rawSegment of raw.split("/")) {
    const segment = decodeOnce(rawSegment);
    if (segment === undefined) return { ok: false, problem: "has invalid percent-encoding" };
    // Decoding again shows what a second decoder (a proxy, a client) would see.
    const twice = decodeOnce(segment) ?? segment;
    for (const form of [segment, twice]) {
      if (form === "" || form === "." || form === "..") return { ok: false, problem: "must not have empty, '.' or '..' segments" };
      if (/[/\\]/.test(form)) return { ok: false, problem: "must not hide '/' or '\\' in an encoded segment" };
      if (/[\u0000-\u001f\u007f]/.test(form)) return { ok: false, problem: "must not contain control characters" };
    }
    segments.push(segment);
  }
  const path = segments.join("/");
  if (new TextEncoder().encode(path).length > MAX_KEY_BYTES) return { ok: false, problem: `is longer than an S3 key (${MAX_KEY_BYTES} bytes)` };
  return { ok: true, path };
}
