/**
 * Watching the system while a scenario runs, without disturbing it much:
 *  - a WES sampler: `GET /runs?page_size=500` as admin every `intervalMs`, keeping for every run
 *    the first time each state rank was seen (QUEUED < INITIALIZING < RUNNING < final);
 *  - the emulator's request log, drained every few seconds (it keeps only the newest 50,000).
 */
import { sleep } from "./clients.mjs";

/** WES state → rank; a later rank implies the earlier ones have passed. */
export const RANK = {
  QUEUED: 0,
  INITIALIZING: 1,
  RUNNING: 2,
  CANCELING: 2,
  PAUSED: 2,
  COMPLETE: 3,
  EXECUTOR_ERROR: 3,
  SYSTEM_ERROR: 3,
  CANCELED: 3,
  PREEMPTED: 3,
};
/** Final WES states. */
export const FINAL = new Set(["COMPLETE", "EXECUTOR_ERROR", "SYSTEM_ERROR", "CANCELED", "PREEMPTED"]);

/**
 * Samples WES states of the tracked runs until stopped.
 * @param {import("./clients.mjs").WesClient} wes
 * @param {number} intervalMs  wall-clock sampling interval
 * @param {(msg: string) => void} say
 */
export function startSampler(wes, intervalMs, say) {
  /** @type {Map<string, number[]>} run id → first time (epoch ms, response arrival) each rank was seen */
  const firstSeen = new Map();
  /** @type {Map<string, string>} latest state */
  const latest = new Map();
  const gaps = [];
  let running = true;
  let samples = 0;
  let failures = 0;
  let lastAt = 0;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      try {
        const states = await wes.listAll();
        const at = Date.now();
        if (lastAt) gaps.push(at - lastAt);
        lastAt = at;
        samples += 1;
        for (const [runId, state] of states) {
          latest.set(runId, state);
          const rank = RANK[state] ?? 0;
          let seen = firstSeen.get(runId);
          if (!seen) firstSeen.set(runId, (seen = [at, undefined, undefined, undefined]));
          for (let r = 0; r <= rank; r++) if (seen[r] === undefined) seen[r] = at;
        }
      } catch (error) {
        failures += 1;
        if (failures <= 3) say(`sampler: ${String(error).slice(0, 200)}`);
      }
      const wait = intervalMs - (Date.now() - started);
      if (wait > 0) await sleep(wait);
    }
  })();
  return {
    firstSeen,
    latest,
    /** Stops sampling; resolves to {samples, failures, gaps (ms between consecutive samples)}. */
    async stop() {
      running = false;
      await loop;
      return { samples, failures, gaps };
    },
  };
}

/**
 * Drains the emulator's request log every `everyMs` until stopped.
 * @param {import("./clients.mjs").EmulatorClient} emulator
 */
export function startLogDrain(emulator, everyMs, say) {
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        await emulator.drainLog();
      } catch (error) {
        say(`request log: ${String(error).slice(0, 200)}`);
        if (String(error).includes("trimmed")) throw error;
      }
      for (let waited = 0; running && waited < everyMs; waited += 250) await sleep(250);
    }
    await emulator.drainLog();
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

/**
 * Waits until every run in `runIds` is final in the sampler's view, or the deadline passes.
 * Prints progress every `progressMs`. Resolves to the run ids still not final.
 */
export async function waitAllFinal(sampler, runIds, deadlineAt, say, progressMs = 30_000, dead = () => undefined) {
  let lastProgress = Date.now();
  for (;;) {
    const pending = runIds.filter((id) => !FINAL.has(sampler.latest.get(id) ?? ""));
    if (pending.length === 0) return [];
    if (Date.now() > deadlineAt || dead()) return pending;
    if (Date.now() - lastProgress >= progressMs) {
      lastProgress = Date.now();
      const counts = {};
      for (const id of runIds) {
        const s = sampler.latest.get(id) ?? "?";
        counts[s] = (counts[s] ?? 0) + 1;
      }
      say(
        `  ${Object.entries(counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")}`,
      );
    }
    await sleep(500);
  }
}

/**
 * Machine CPU use (all cores, from /proc/stat) every `everyMs` until stopped: the benchmark shares
 * two cores with both Workers and their proxies, so a saturated machine would distort staleness.
 * Resolves to {meanBusy, maxBusy} (fractions 0..1) and the 1-minute load average (mean, max),
 * or nulls where /proc/stat is unavailable.
 */
export function startCpuMonitor(everyMs = 5000) {
  const read = async () => {
    try {
      const { readFile } = await import("node:fs/promises");
      const [cpu] = (await readFile("/proc/stat", "utf8")).split("\n");
      const v = cpu.trim().split(/\s+/).slice(1).map(Number);
      const idle = v[3] + (v[4] ?? 0);
      return { idle, total: v.reduce((a, b) => a + b, 0) };
    } catch {
      return null;
    }
  };
  const busy = [];
  const load = [];
  let running = true;
  const loop = (async () => {
    const { loadavg } = await import("node:os");
    let prev = await read();
    while (running && prev) {
      for (let waited = 0; running && waited < everyMs; waited += 250) await sleep(250);
      load.push(loadavg()[0]);
      const cur = await read();
      if (!cur) break;
      const dt = cur.total - prev.total;
      if (dt > 0) busy.push(1 - (cur.idle - prev.idle) / dt);
      prev = cur;
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      if (busy.length === 0) return { meanBusy: null, maxBusy: null, meanLoad1: null };
      const mean = (xs) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
      return { meanBusy: mean(busy), maxBusy: Math.round(Math.max(...busy) * 100) / 100, meanLoad1: mean(load), maxLoad1: Math.max(...load) };
    },
  };
}
