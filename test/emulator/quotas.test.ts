/** Token-bucket quotas and fault rules (pure logic). */
import { describe, expect, it } from "vitest";
import { decideFaults, parseFaultRule, rulesFromVars } from "../../emulator/src/faults";
import { DEFAULT_QUOTAS, QuotaLimiter, parseQuotas } from "../../emulator/src/quotas";

const T0 = 1_000_000;

describe("quotas", () => {
  it("has AWS's documented defaults", () => {
    expect(DEFAULT_QUOTAS.StartRun).toBe(1);
    for (const op of ["GetRun", "GetRunTask", "ListRunTasks", "ListRuns", "CancelRun", "DeleteRun", "GetWorkflow"] as const)
      expect(DEFAULT_QUOTAS[op]).toBe(10);
  });

  it("allows a burst of one second's worth, then the configured rate", () => {
    const limiter = new QuotaLimiter(parseQuotas("on"), 1);
    const allowed = Array.from({ length: 15 }, () => limiter.take("GetRun", T0)).filter(Boolean).length;
    expect(allowed).toBe(10);
    expect(limiter.take("GetRun", T0 + 50)).toBe(false);
    expect(limiter.take("GetRun", T0 + 100)).toBe(true);
    expect(limiter.take("StartRun", T0)).toBe(true);
    expect(limiter.take("StartRun", T0 + 500)).toBe(false);
    expect(limiter.take("StartRun", T0 + 1000)).toBe(true);
  });

  it("divides rates by the time scale", () => {
    const limiter = new QuotaLimiter(parseQuotas("on"), 0.05);
    expect(limiter.effectiveRate("StartRun")).toBe(20);
    const allowed = Array.from({ length: 30 }, () => limiter.take("StartRun", T0)).filter(Boolean).length;
    expect(allowed).toBe(20);
  });

  it("parses off, JSON overrides and null for no limit", () => {
    expect(parseQuotas("off").enabled).toBe(false);
    const q = parseQuotas('{"StartRun": 2, "GetRun": null}');
    expect(q.rates.StartRun).toBe(2);
    expect(q.rates.GetRun).toBeNull();
    expect(q.rates.ListRuns).toBe(10);
    expect(() => parseQuotas('{"Nope": 1}')).toThrow();
    expect(() => parseQuotas('{"StartRun": 0}')).toThrow();
    const limiter = new QuotaLimiter(q, 1);
    expect(Array.from({ length: 100 }, () => limiter.take("GetRun", T0)).every(Boolean)).toBe(true);
  });
});

describe("fault rules", () => {
  const ops = ["StartRun", "GetRun"];

  it("applies a counted rule to the next N matching calls only", () => {
    let rules = [parseFaultRule({ operation: "StartRun", kind: "error", count: 2 }, ops, "a")];
    const seen: (string | undefined)[] = [];
    for (const op of ["GetRun", "StartRun", "StartRun", "StartRun"] as const) {
      const r = decideFaults(rules, op);
      rules = r.rules;
      seen.push(r.decision.before);
    }
    expect(seen).toEqual([undefined, "error", "error", undefined]);
    expect(rules).toEqual([]);
  });

  it("replaces the answer after processing when afterProcessing is set", () => {
    const rules = [parseFaultRule({ kind: "drop", afterProcessing: true, count: 1 }, ops, "a")];
    const r = decideFaults(rules, "StartRun");
    expect(r.decision).toEqual({ latencyMs: 0, after: "drop" });
  });

  it("fires by rate, adds latency, and validates its input", () => {
    const rules = [parseFaultRule({ kind: "throttle", rate: 0.5 }, ops, "a"), parseFaultRule({ kind: "latency", latencyMs: 40 }, ops, "b")];
    expect(decideFaults(rules, "GetRun", () => 0.1).decision).toEqual({ latencyMs: 40, before: "throttle" });
    expect(decideFaults(rules, "GetRun", () => 0.9).decision).toEqual({ latencyMs: 40 });
    expect(() => parseFaultRule({ kind: "boom" }, ops, "c")).toThrow();
    expect(() => parseFaultRule({ kind: "error", rate: 2 }, ops, "c")).toThrow();
    expect(() => parseFaultRule({ kind: "latency" }, ops, "c")).toThrow();
    expect(() => parseFaultRule({ kind: "error", operation: "Nope" }, ops, "c")).toThrow();
  });

  it("builds rules from the EMULATOR_FAULT_* vars", () => {
    expect(rulesFromVars({ throttleRate: "0", errorRate: "0.1", dropRate: "", latencyMs: "25" }).map((r) => r.kind)).toEqual(["error", "latency"]);
    expect(() => rulesFromVars({ throttleRate: "2" })).toThrow();
  });
});
