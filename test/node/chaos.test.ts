/**
 * A 20-run chaos campaign, exactly as `npm run chaos` runs (bench/chaos.mjs, docs/reliability.md),
 * on its own stack: faults at the full campaign's rates, lost StartRun/CancelRun answers, two API
 * kills, evictions and cron sweeps. It passes only if every invariant held. No timing is asserted;
 * the deadlines are guards against a hang on a loaded machine. Polling only (events off): a final
 * event lost while the API is down would otherwise leave a run to the 15-minute safety-net poll
 * (scaled: about 4 minutes), which only makes the test longer.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "wes-chaos-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the campaign CLI; resolves to its exit code and output. */
function campaign(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "bench", "chaos.mjs"), ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("npm run chaos, 20 runs", () => {
  it("keeps every invariant through faults, lost answers, API kills, evictions and sweeps", { timeout: 30 * 60_000 }, async () => {
    const out = join(dir, "chaos.json");
    const { code, output } = await campaign([
      "--seed",
      "16",
      "--runs",
      "20",
      "--submit-window",
      "30",
      "--duration-scale",
      "2",
      "--restarts",
      "2",
      "--evict-every",
      "3",
      // A sweep every 10 s: at the default (75 s at scale 0.25) a quick campaign could end, or be
      // down, before the first one, and the test asserts that sweeps happened.
      "--sweep-every",
      "10",
      "--no-events",
      "--no-baseline",
      "--drain-minutes",
      "15",
      "--out",
      out,
    ]);
    expect(code, output.slice(-6000)).toBe(0);
    const result = JSON.parse(readFileSync(out, "utf8"));
    const [pass] = result.passes;
    expect(pass.failures).toEqual([]);
    const f = pass.figures;
    // The chaos really happened: otherwise "all invariants held" would mean nothing.
    expect(f.accepted).toBe(20);
    expect(f.lost + f.stranded).toBe(0);
    expect(f.recovery.restarts).toBe(2);
    expect(f.evictions.done).toBeGreaterThan(0);
    expect(f.sweeps.triggered).toBeGreaterThan(0);
    expect(f.injected.all.error + f.injected.all.throttle + f.injected.all.drop).toBeGreaterThan(0.15);
    expect(f.cancels.requested).toBeGreaterThan(0);
    expect(f.healthOmicsRuns).toBeLessThanOrEqual(20);
  });
});
