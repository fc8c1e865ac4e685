/**
 * The command-line options of `npm run bench` and `npm run chaos`, parsed by one shared reader
 * (bench/lib/cli.mjs) with each command's own values.
 */
import { describe, expect, it } from "vitest";
import { parseOptions as chaosOptions, usage as chaosUsage } from "../../bench/lib/chaos/options.mjs";
import { parseOptions as benchOptions, usage as benchUsage } from "../../bench/lib/options.mjs";

describe("npm run chaos options", () => {
  it("reads the fair-use scenario's command, both value forms and the switches", () => {
    const o = chaosOptions(["--greedy", "60", "--limits", "WES_USER_MAX_ACTIVE_RUNS=10,WES_USER_SUBMISSIONS_PER_MINUTE=30", "--runs=60", "--no-baseline"]);
    expect(o).toMatchObject({ greedy: 60, runs: 60, baseline: false, events: true, help: false, scale: 0.25, sweepEvery: 75 });
    expect(o.limits).toEqual({ WES_USER_MAX_ACTIVE_RUNS: "10", WES_USER_SUBMISSIONS_PER_MINUTE: "30" });
    expect(o.rates).toMatchObject({ error: 0.2, throttle: 0.1 });
    expect(chaosOptions(["--events", "off", "--error-rate", "0"])).toMatchObject({ events: false, error: 0 });
    expect(chaosOptions(["-h"]).help).toBe(true);
  });

  it("refuses what it cannot read, naming the option", () => {
    expect(() => chaosOptions(["--greedy", "1.5"])).toThrow("--greedy must be an integer");
    expect(() => chaosOptions(["--error-rate", "2"])).toThrow("--error-rate must be at most 1");
    expect(() => chaosOptions(["--scale", "0"])).toThrow("--scale must be a positive number");
    expect(() => chaosOptions(["--limits", "lots"])).toThrow("--limits: 'lots' is not NAME=value");
    expect(() => chaosOptions(["--runs"])).toThrow("--runs needs a value");
    expect(() => chaosOptions(["--nope", "1"])).toThrow("unknown option --nope");
    expect(() => chaosOptions(["--no-greedy"])).toThrow("unknown option --no-greedy");
    expect(() => chaosOptions(["stray"])).toThrow("unexpected argument stray");
  });

  it("lists every option with its default", () => {
    expect(chaosUsage()).toContain("--greedy");
    expect(chaosUsage()).toContain("(default 300)");
  });
});

describe("npm run bench options", () => {
  it("reads scenarios, numbers and the events switch", () => {
    expect(benchOptions(["--scenarios", "runs,burst", "--runs=20", "--events", "only"])).toMatchObject({
      scenarios: ["runs", "burst"],
      runs: 20,
      events: "only",
    });
    expect(benchOptions(["--no-events"]).events).toBe(false);
    expect(benchOptions([]).scenarios).toEqual(["runs", "scale", "burst", "unscaled", "scanner", "overhead"]);
    expect(() => benchOptions(["--scenarios", "runs,nope"])).toThrow("--scenarios: unknown nope");
    expect(() => benchOptions(["--runs", "0"])).toThrow("--runs must be a positive number");
    expect(() => benchOptions(["--scale", "2"])).toThrow("--scale must be at most 1");
    expect(benchUsage()).toContain("--burst-runs");
  });
});
