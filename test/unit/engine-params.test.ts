/** workflow_engine_parameters: normalisation to strings and parsing into HealthOmics run options. */
import { describe, expect, it } from "vitest";
import { WesError } from "../../src/errors";
import { ENGINE_PARAMETERS, parseRunOptions } from "../../src/executors/healthomics/submit/engine-params";
import { normaliseEngineParameters } from "../../src/wes/submission-fields";

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

describe("normaliseEngineParameters", () => {
  it("keeps strings and turns numbers and booleans into strings", () => {
    expect(normaliseEngineParameters({ name: "x", priority: 5, storageCapacity: 1.5, cacheId: 0, flag: true, off: false })).toEqual({
      name: "x",
      priority: "5",
      storageCapacity: "1.5",
      cacheId: "0",
      flag: "true",
      off: "false",
    });
  });

  // A key named "__proto__" must stay a key (not set a prototype), so it is reported as unknown.
  it("keeps a key named __proto__ so it can be reported as unknown", () => {
    const params = JSON.parse('{"__proto__":"5"}') as Record<string, unknown>;
    expect(Object.keys(normaliseEngineParameters(params))).toEqual(["__proto__"]);
  });

  it("accepts an empty object", () => {
    expect(normaliseEngineParameters({})).toEqual({});
  });

  it.each([
    ["null", null],
    ["object", { a: 1 }],
    ["object", ["a"]],
    ["number", Number.NaN],
    ["number", Number.POSITIVE_INFINITY],
  ])("rejects %s values with a 400 naming the key", (kind, value) => {
    const msg = error400(() => normaliseEngineParameters({ priority: value }));
    expect(msg).toContain("workflow_engine_parameters.priority");
    expect(msg).toContain(`got ${kind}`);
  });
});

describe("parseRunOptions", () => {
  it("defaults retentionMode to REMOVE and sets nothing else", () => {
    expect(parseRunOptions({})).toEqual({ retentionMode: "REMOVE" });
  });

  it("parses every parameter", () => {
    expect(
      parseRunOptions({
        name: "my run",
        storageType: "STATIC",
        storageCapacity: "1200",
        priority: "100000",
        runGroupId: "1234567",
        cacheId: "7654321",
        cacheBehavior: "CACHE_ALWAYS",
        logLevel: "ALL",
        retentionMode: "RETAIN",
        workflowVersionName: "v1.0",
        workflowOwnerId: "123456789012",
      }),
    ).toEqual({
      name: "my run",
      storageType: "STATIC",
      storageCapacity: 1200,
      priority: 100000,
      runGroupId: "1234567",
      cacheId: "7654321",
      cacheBehavior: "CACHE_ALWAYS",
      logLevel: "ALL",
      retentionMode: "RETAIN",
      workflowVersionName: "v1.0",
      workflowOwnerId: "123456789012",
    });
  });

  it("accepts enum values and parameter names in any case", () => {
    expect(parseRunOptions({ storagetype: "dynamic", LOGLEVEL: "Error", retentionmode: "retain", cacheId: "1", cacheBehavior: "cache_on_failure" })).toEqual({
      storageType: "DYNAMIC",
      logLevel: "ERROR",
      retentionMode: "RETAIN",
      cacheId: "1",
      cacheBehavior: "CACHE_ON_FAILURE",
    });
  });

  it("accepts run names HealthOmics accepts (letters, marks, spaces, symbols, digits, punctuation)", () => {
    expect(parseRunOptions({ name: "Sample #1 – ünïcode (v2.0) ✓" }).name).toBe("Sample #1 – ünïcode (v2.0) ✓");
  });

  it("trims values and accepts the range ends", () => {
    expect(parseRunOptions({ priority: " 0 ", storageCapacity: "100000" })).toMatchObject({ priority: 0, storageCapacity: 100000 });
  });

  it.each([
    ["name", ""],
    ["name", "n".repeat(129)],
    ["name", "bad\u0001name"],
    ["name", "tab\tinside"],
    ["storageType", "FAST"],
    ["storageCapacity", "-1"],
    ["storageCapacity", "100001"],
    ["storageCapacity", "1.5"],
    ["storageCapacity", "lots"],
    ["priority", "1e3"],
    ["priority", "100001"],
    ["runGroupId", "rg-1"],
    ["runGroupId", "1".repeat(19)],
    ["cacheId", "abc"],
    ["cacheBehavior", "SOMETIMES"],
    ["logLevel", "DEBUG"],
    ["retentionMode", "KEEP"],
    ["workflowVersionName", "-bad"],
    ["workflowOwnerId", "12345"],
  ])("rejects %s = '%s' naming the parameter and its expected type", (key, value) => {
    const msg = error400(() => parseRunOptions({ [key]: value }));
    const spec = ENGINE_PARAMETERS.find((p) => p.name === key)!;
    expect(msg).toContain(`workflow_engine_parameters.${key} has an invalid value`);
    expect(msg).toContain(`expected ${spec.type}`);
  });

  it("rejects an unknown key and lists the accepted ones", () => {
    const msg = error400(() => parseRunOptions({ roleArn: "arn:aws:iam::123456789012:role/Evil" }));
    expect(msg).toContain("unknown parameter 'roleArn'");
    for (const p of ENGINE_PARAMETERS) expect(msg).toContain(p.name);
  });

  it("never lets the caller choose the output location", () => {
    expect(error400(() => parseRunOptions({ outputUri: "s3://elsewhere/" }))).toContain("unknown parameter 'outputUri'");
  });

  it("rejects cacheBehavior without cacheId", () => {
    expect(error400(() => parseRunOptions({ cacheBehavior: "CACHE_ALWAYS" }))).toBe("workflow_engine_parameters.cacheBehavior needs a cacheId.");
  });

  it("accepts storageCapacity with any storage type: with DYNAMIC, HealthOmics ignores it (API model), it does not refuse it", () => {
    expect(parseRunOptions({ storageType: "DYNAMIC", storageCapacity: "100" })).toMatchObject({ storageType: "DYNAMIC", storageCapacity: 100 });
    expect(parseRunOptions({ storageType: "STATIC", storageCapacity: "100" }).storageCapacity).toBe(100);
    expect(parseRunOptions({ storageCapacity: "100" }).storageCapacity).toBe(100);
  });

  it("clips a very long value in the message", () => {
    const msg = error400(() => parseRunOptions({ logLevel: "x".repeat(10_000) }));
    expect(msg.length).toBeLessThan(400);
  });
});
