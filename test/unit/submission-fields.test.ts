/** Validation of the individual POST /runs fields: JSON depth, objects, strings, tags, attachment names. */
import { describe, expect, it } from "vitest";
import { WesError } from "../../src/errors";
import { attachmentPath, clip, jsonDepth, MAX_JSON_DEPTH, parseJsonField, requireObject, stringField, validateTags } from "../../src/wes/submission-fields";

function error400(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WesError);
    expect((error as WesError).status).toBe(400);
    return (error as WesError).message;
  }
  throw new Error("expected a 400 WesError");
}

const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

describe("jsonDepth", () => {
  it.each([
    [1, 0],
    ["x", 0],
    [null, 0],
    [{}, 1],
    [[], 1],
    [{ a: { b: [1, { c: null }] } }, 4],
    [[[], [[[]]]], 4],
  ])("%j → %d", (value, depth) => {
    expect(jsonDepth(value)).toBe(depth);
  });

  it("stops counting shortly after the limit on very deep values", () => {
    const deep = JSON.parse(nested(5000)) as unknown;
    expect(jsonDepth(deep)).toBe(MAX_JSON_DEPTH + 1);
  });
});

describe("parseJsonField", () => {
  it("parses valid JSON", () => {
    expect(parseJsonField("workflow_params", '{"a":[1,2]}')).toEqual({ a: [1, 2] });
  });

  it("rejects invalid JSON naming the field", () => {
    expect(error400(() => parseJsonField("tags", "{nope"))).toBe("tags is not valid JSON.");
  });

  it("accepts nesting up to the limit", () => {
    expect(() => parseJsonField("workflow_params", nested(MAX_JSON_DEPTH))).not.toThrow();
  });

  it("rejects nesting one level deeper", () => {
    expect(error400(() => parseJsonField("workflow_params", nested(MAX_JSON_DEPTH + 1)))).toContain(`nested more than ${MAX_JSON_DEPTH} levels`);
  });

  it("answers 10,000 levels of nesting with a 400, not a crash", () => {
    const text = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    expect(error400(() => parseJsonField("workflow_params", text))).toContain("nested more than");
    expect(error400(() => parseJsonField("workflow_params", nested(10_000)))).toContain("nested more than");
  });
});

describe("requireObject", () => {
  it("returns objects", () => {
    expect(requireObject("tags", { a: "b" })).toEqual({ a: "b" });
  });

  it.each([
    [null, "null"],
    [[1], "an array"],
    ["text", "string"],
    [3, "number"],
    [true, "boolean"],
  ])("rejects %j (%s)", (value, kind) => {
    expect(error400(() => requireObject("workflow_params", value))).toBe(`workflow_params must be a JSON object, got ${kind}.`);
  });

  it("rejects objects that are too deep", () => {
    const deep = JSON.parse(`{"a":${nested(MAX_JSON_DEPTH)}}`) as unknown;
    expect(error400(() => requireObject("workflow_params", deep))).toContain("nested more than");
  });
});

describe("stringField", () => {
  const required = { required: true, max: 10 };
  const optional = { required: false, max: 10 };

  it("trims and returns strings", () => {
    expect(stringField("f", "  abc ", required)).toBe("abc");
  });

  it.each([undefined, null, "", "   "])("treats %j as missing", (value) => {
    expect(stringField("f", value, optional)).toBeUndefined();
    expect(error400(() => stringField("f", value, required))).toBe("f is required.");
  });

  it("rejects non-strings", () => {
    expect(error400(() => stringField("workflow_type", 3, required))).toBe("workflow_type must be a string.");
    expect(error400(() => stringField("workflow_type", ["WDL"], optional))).toBe("workflow_type must be a string.");
  });

  it("rejects values over the length limit (after trimming)", () => {
    expect(stringField("f", ` ${"a".repeat(10)} `, required)).toBe("a".repeat(10));
    expect(error400(() => stringField("f", "a".repeat(11), required))).toBe("f is longer than 10 characters.");
  });

  it.each(["a\u0000b", "a\nb", "a\tb", "a\u001bb", "a\u007fb"])("rejects control characters in %j", (value) => {
    expect(error400(() => stringField("f", value, required))).toBe("f contains control characters.");
  });
});

describe("validateTags", () => {
  it("accepts string tags", () => {
    expect(validateTags({ project: "genomes", Client: "Dockstore" })).toEqual({ project: "genomes", Client: "Dockstore" });
  });

  it("accepts 48 tags and rejects 49 (the service adds two of its own)", () => {
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
    expect(Object.keys(validateTags(tags(48)))).toHaveLength(48);
    expect(error400(() => validateTags(tags(49)))).toBe("tags has 49 entries; at most 48 are allowed.");
  });

  it.each([
    [{ n: 1 }, "tags.n must be a string, got number"],
    [{ n: null }, "tags.n must be a string, got null"],
    [{ n: ["x"] }, "tags.n must be a string, got an array"],
    [{ "": "v" }, "tags keys must be 1-128 characters long"],
    [{ ["k".repeat(129)]: "v" }, "tags keys must be 1-128 characters long"],
    [{ "aws:createdBy": "me" }, "reserved 'aws:' prefix"],
    [{ "AWS:x": "me" }, "reserved 'aws:' prefix"],
    [{ k: "v".repeat(257) }, "tags.k is longer than 256 characters"],
  ])("rejects %j", (tags, msg) => {
    expect(error400(() => validateTags(tags))).toContain(msg);
  });

  // A tag named "__proto__" (valid JSON, a valid HealthOmics tag key) must be kept, never silently lost.
  it("keeps a tag named __proto__ rather than silently dropping it", () => {
    const tags = JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, unknown>;
    expect(Object.keys(validateTags(tags))).toEqual(["__proto__", "a"]);
  });

  it("accepts the limits exactly", () => {
    expect(validateTags({ ["k".repeat(128)]: "v".repeat(256), "awsx:": "ok" })).toHaveProperty("awsx:", "ok");
  });
});

describe("attachmentPath", () => {
  it.each([
    ["main.wdl", "main.wdl"],
    ["dir/sub/main.cwl", "dir/sub/main.cwl"],
    ["./a/./b", "a/b"],
    ["a//b/", "a/b"],
    ["dir\\main.wdl", "dir/main.wdl"],
    ["a..b/c", "a..b/c"],
  ])("%s → %s", (name, expected) => {
    expect(attachmentPath(name)).toBe(expected);
  });

  it.each([
    ["", "has no file name"],
    [".", "without a file"],
    ["./", "without a file"],
    ["./.", "without a file"],
    ["../etc/passwd", "'..'"],
    ["a/../../b", "'..'"],
    ["a\\..\\b", "'..'"],
    ["..", "'..'"],
    ["/etc/passwd", "absolute file name"],
    ["\\\\server\\share", "absolute file name"],
    ["C:/Windows/x", "absolute file name"],
    ["c:\\x", "absolute file name"],
    ["a\u0000b", "control characters"],
    ["a\nb", "control characters"],
    ["x".repeat(513), "longer than 512"],
  ])("rejects %j", (name, why) => {
    const msg = error400(() => attachmentPath(name));
    expect(msg).toContain("workflow_attachment");
    expect(msg).toContain(why);
  });
});

describe("clip", () => {
  it("leaves short text and shortens long text to the limit", () => {
    expect(clip("short")).toBe("short");
    expect(clip("x".repeat(200))).toHaveLength(80);
    expect(clip("x".repeat(200), 10)).toBe("xxxxxxx...");
  });
});
