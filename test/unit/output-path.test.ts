/** The download route's path check on raw request paths: plain relative paths pass, every traversal form is refused. */
import { describe, expect, it } from "vitest";
import { parseOutputPath } from "../../src/wes/output-path";

describe("parseOutputPath", () => {
  it.each([
    ["out/vcf/vcf.txt", "out/vcf/vcf.txt"],
    ["out/a%20b/c.txt", "out/a b/c.txt"],
    ["0123abcd-0000-4000-8000-00000000abcd/out/r.txt", "0123abcd-0000-4000-8000-00000000abcd/out/r.txt"],
    ["out/%C3%A9t%C3%A9.txt", "out/été.txt"],
    ["out/..a/b..", "out/..a/b.."],
  ])("accepts %s", (raw, path) => {
    expect(parseOutputPath(raw)).toEqual({ ok: true, path });
  });

  it.each([
    ["", "names no file"],
    ["..", "'..'"],
    ["out/../../r2/x", "'..'"],
    ["out/%2e%2e/x", "'..'"],
    ["out/%2E%2E/x", "'..'"],
    ["out/%252e%252e/x", "'..'"],
    ["out/./x", "'.'"],
    ["out//x", "empty"],
    ["out/", "empty"],
    ["/out/x", "empty"],
    ["out%2F..%2Fx", "'/'"],
    ["out/..%5Cx", "'\\'"],
    ["out/a%00b", "control"],
    ["out/%zz", "percent-encoding"],
    ["s3://bucket/key", "not a URI"],
    ["s3:%2F%2Fbucket%2Fkey", "not a URI"],
    [`out/${"a".repeat(1100)}`, "longer than an S3 key"],
  ])("refuses %s", (raw, problem) => {
    const parsed = parseOutputPath(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(problem);
  });
});
