/**
 * The chaos the campaign does to the service itself, on the plan's schedule: kills the API's
 * `wrangler dev` process (SIGKILL) and starts it again with its state folder kept, evicts live
 * run objects through the development hook, and triggers the cron sweep through
 * `wrangler dev --test-scheduled`'s `/__scheduled` route. Records when the API was down.
 */
import { sleep } from "../clients.mjs";

/**
 * @typedef {object} DownWindow
 * @property {number} killAt    epoch ms of the SIGKILL
 * @property {number} startAt   when the new process was spawned
 * @property {number} readyAt   when it first answered service-info with 200
 */

function basic(user, password) {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/**
 * Starts the actions; they run until `stop()`.
 * @param {object} o
 * @param {import("../stack.mjs").Stack} o.stack
 * @param {import("./plan.mjs").Plan} o.plan
 * @param {boolean} o.chaos           false: only the sweeps (the fault-free pass)
 * @param {number} o.t0               campaign start (epoch ms)
 * @param {string} o.adminPassword
 * @param {() => string[]} o.liveRuns  run ids the clients know and have not seen final, in submission order
 * @param {(m: string) => void} o.say
 */
export function startActions({ stack, plan, chaos, t0, adminPassword, liveRuns, say }) {
  /** @type {DownWindow[]} */
  const downs = [];
  const evictions = { done: 0, failed: 0, skipped: 0, statuses: {} };
  const sweeps = { triggered: 0, failed: 0, skipped: 0 };
  let down = false;
  let running = true;
  const until = async (atMs) => {
    while (running && Date.now() < t0 + atMs) await sleep(Math.min(250, t0 + atMs - Date.now()));
    return running;
  };

  /** Why the restarts stopped early, if they did (the API did not come back). */
  let broken;
  const restarts = (async () => {
    if (!chaos) return;
    for (const r of plan.restarts) {
      if (!(await until(r.atMs))) return;
      down = true;
      try {
        const killAt = await stack.killApi();
        say(`killed the API (SIGKILL); down for ${(r.downMs / 1000).toFixed(1)} s`);
        await sleep(r.downMs);
        const startAt = Date.now();
        const readyAt = await stack.startApi();
        downs.push({ killAt, startAt, readyAt });
        say(`API back after ${((readyAt - killAt) / 1000).toFixed(1)} s (${((readyAt - startAt) / 1000).toFixed(1)} s to start)`);
      } catch (error) {
        broken = `restart failed: ${error instanceof Error ? error.message : String(error)}`;
        say(`!! ${broken}`);
        return;
      }
      down = false;
    }
  })();

  const evict = (async () => {
    if (!chaos) return;
    for (const e of plan.evictions) {
      if (!(await until(e.atMs))) return;
      const live = liveRuns();
      if (down || live.length === 0) {
        evictions.skipped += 1;
        continue;
      }
      const runId = live[Math.floor(e.pick * live.length)];
      try {
        const res = await fetch(`${stack.apiUrl}/__dev/runs/${encodeURIComponent(runId)}/evict`, {
          method: "POST",
          headers: { authorization: basic("admin", adminPassword) },
          signal: AbortSignal.timeout(30_000),
        });
        // The hook's own answer, not any 200 (an asset layer in front would answer index.html).
        const body = await res.text();
        evictions.statuses[res.status] = (evictions.statuses[res.status] ?? 0) + 1;
        if (res.status === 200 && /"evicted":\s*true/.test(body)) evictions.done += 1;
        else evictions.failed += 1;
      } catch {
        evictions.failed += 1; // the API was killed meanwhile
      }
    }
  })();

  const sweep = (async () => {
    for (let at = plan.sweepEveryMs; ; at += plan.sweepEveryMs) {
      if (!(await until(at))) return;
      if (down) {
        sweeps.skipped += 1;
        continue;
      }
      try {
        const res = await fetch(`${stack.apiUrl}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`, { signal: AbortSignal.timeout(60_000) });
        // wrangler's own answer, not any 200 (an asset layer in front would answer index.html).
        const body = await res.text();
        if (res.status === 200 && body.includes("Ran scheduled event")) sweeps.triggered += 1;
        else sweeps.failed += 1;
      } catch {
        sweeps.failed += 1;
      }
    }
  })();

  return {
    downs,
    isDown: () => down,
    /** Resolves once every planned restart is over (the API is up). */
    restartsDone: () => restarts,
    /** Stops evictions and sweeps, waits for a restart in progress; resolves to what was done. */
    async stop() {
      running = false;
      await Promise.all([restarts, evict, sweep]);
      return { downs, evictions, sweeps, broken };
    },
  };
}
