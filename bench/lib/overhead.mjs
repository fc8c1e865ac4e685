/**
 * The `overhead` scenario: what a WES read costs beyond the framework. One stack, a few runs
 * submitted (and left to finish, so that no alarm competes with the reads) so that a listing has a
 * page of 20, then for each
 * target — GET /runs/{id}/status, GET /runs/{id}, GET /runs?page_size=20 — alternating rounds of
 * the bare route (GET /__bench/status, src/bench-route.ts: same workerd, same isolate, the same
 * JSON as the status route, nothing else) and the target, `clients` concurrent keep-alive clients,
 * each round a fixed wall time. Alternating cancels drift in the machine's load: the ratio of each
 * target is the median, over the rounds, of its req/s divided by that of the bare round beside it.
 *
 * On a shared machine req/s moves with everyone else's load, so each round also reads the CPU time
 * the API's processes (wrangler dev and its workerd, one process group; not wrangler's esbuild file
 * watcher, whose CPU follows the clock, not the requests) spent (Linux /proc): CPU
 * per request does not depend on what else runs, and bare CPU ÷ target CPU is the ratio a CPU-bound
 * server would reach.
 */
import { readdirSync, readFileSync } from "node:fs";
import { Agent, get } from "node:http";
import { sleep } from "./clients.mjs";
import { USERS } from "./fleet.mjs";
import { startStack } from "./stack.mjs";
import { round, summary } from "./stats.mjs";

const USER = "alice";
/** Runs submitted first: more than one page of 20 (the listing target). */
const RUNS = 25;
/** Time scale of the stack: the runs only need to finish quickly; reads do not depend on it. */
const SCALE = 0.25;
const FINAL = new Set(["COMPLETE", "EXECUTOR_ERROR", "SYSTEM_ERROR", "CANCELED", "PREEMPTED"]);

function basic(user, password) {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (ms, user + system) of every process in process group `group` so far; undefined without /proc. */
function groupCpuMs(group) {
  if (group === undefined) return undefined;
  let ticks = 0;
  try {
    for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
      let stat;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue; // ended meanwhile
      }
      // Fields after the parenthesised command name: state ppid pgrp … utime(14) stime(15).
      const command = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === group && command !== "esbuild") ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return undefined;
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** One GET over a keep-alive connection of `agent`; resolves to the status (0 on a network error). */
function getStatus(url, headers, agent) {
  return new Promise((resolve) => {
    const req = get(url, { headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", () => resolve(0));
    });
    req.on("error", () => resolve(0));
  });
}

/** `clients` loops GETting `url` for `ms`; resolves to {requests, errors, rps, cpuMsPerRequest}. */
async function round_(url, headers, clients, ms, agent, group) {
  const until = performance.now() + ms;
  let requests = 0;
  let errors = 0;
  const loop = async () => {
    while (performance.now() < until) {
      if ((await getStatus(url, headers, agent)) === 200) requests++;
      else errors++;
    }
  };
  const t0 = performance.now();
  const cpu0 = groupCpuMs(group);
  await Promise.all(Array.from({ length: clients }, loop));
  const cpu1 = groupCpuMs(group);
  const cpuMsPerRequest = cpu0 === undefined || cpu1 === undefined || requests === 0 ? undefined : (cpu1 - cpu0) / requests;
  return { requests, errors, rps: requests / ((performance.now() - t0) / 1000), cpuMsPerRequest };
}

/** npm run bench -- --scenarios overhead */
export async function overheadScenario(opts, say) {
  say(`\n== overhead: ${opts.overheadClients} clients, ${opts.overheadRounds} rounds of ${opts.overheadSeconds} s per route and target ==`);
  const stack = await startStack({ root: opts.root, scale: SCALE, events: false, users: USERS, label: "overhead", say });
  // Node's http client, not fetch: one keep-alive connection per client and as little client work as possible.
  const dispatcher = new Agent({ keepAlive: true, maxSockets: opts.overheadClients });
  const auth = { authorization: basic(USER, USERS[USER]) };
  const failures = [];
  try {
    const runIds = [];
    for (let i = 0; i < RUNS; i++) {
      const res = await fetch(`${stack.wesUrl}/runs`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({
          workflow_type: "WDL",
          workflow_type_version: "1.0",
          workflow_url: "healthomics:1000001",
          workflow_params: { input_file: "s3://bench-inputs/x.fastq" },
        }),
      });
      if (res.status !== 200) throw new Error(`POST /runs answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      runIds.push((await res.json()).run_id);
    }
    for (let waited = 0; ; waited += 2) {
      const res = await fetch(`${stack.wesUrl}/runs?page_size=100`, { headers: auth });
      const { runs } = await res.json();
      const live = runs.filter((r) => !FINAL.has(r.state)).length;
      if (live === 0) break;
      if (waited > 300) throw new Error(`${live} runs still live after 300 s`);
      await sleep(2000);
    }
    say(`${RUNS} runs submitted and finished`);
    const runId = runIds[0];
    const bareUrl = `${stack.apiUrl}/__bench/status?run_id=${runId}`;
    const bareCheck = await fetch(bareUrl);
    if (bareCheck.status !== 200) throw new Error(`the bare route answered ${bareCheck.status}; is WES_ENVIRONMENT=development?`);
    const targets = [
      { name: "GET /runs/{id}/status", url: `${stack.wesUrl}/runs/${runId}/status` },
      { name: "GET /runs/{id}", url: `${stack.wesUrl}/runs/${runId}` },
      { name: "GET /runs?page_size=20", url: `${stack.wesUrl}/runs?page_size=20` },
    ];
    // Warm-up: the first requests compile code paths and fill per-isolate caches.
    const group = stack.apiProcessGroup;
    for (const t of [{ url: bareUrl }, ...targets]) await round_(t.url, auth, opts.overheadClients, 1500, dispatcher, group);
    const results = [];
    for (const target of targets) {
      const bare = [];
      const real = [];
      for (let r = 0; r < opts.overheadRounds; r++) {
        // Alternate which goes first, so neither always follows the other.
        const order = r % 2 === 0 ? ["bare", "real"] : ["real", "bare"];
        for (const which of order) {
          const res = await round_(
            which === "bare" ? bareUrl : target.url,
            which === "bare" ? {} : auth,
            opts.overheadClients,
            opts.overheadSeconds * 1000,
            dispatcher,
            group,
          );
          (which === "bare" ? bare : real).push(res);
          if (res.errors > 0) failures.push(`${which === "bare" ? "bare route" : target.name}: ${res.errors} requests failed or were not 200`);
          await sleep(200);
        }
      }
      const bareRps = summary(bare.map((b) => b.rps));
      const realRps = summary(real.map((b) => b.rps));
      const pairs = summary(real.map((b, i) => b.rps / bare[i].rps));
      const cpu = (list) => summary(list.map((b) => b.cpuMsPerRequest).filter((x) => x !== undefined));
      const bareCpu = cpu(bare);
      const realCpu = cpu(real);
      // Like req/s, CPU is compared within each pair of adjacent rounds, which share the machine's conditions.
      const cpuPairs = summary(real.map((b, i) => bare[i].cpuMsPerRequest / b.cpuMsPerRequest).filter((x) => Number.isFinite(x)));
      results.push({
        target: target.name,
        bareRps: round(bareRps.p50, 1),
        targetRps: round(realRps.p50, 1),
        ratio: round(pairs.p50, 2),
        ratioRange: [round(Math.min(...real.map((b, i) => b.rps / bare[i].rps)), 2), round(pairs.max, 2)],
        cpuMsPerRequest: { bare: round(bareCpu.p50, 2), target: round(realCpu.p50, 2) },
        cpuRatio: round(cpuPairs.p50, 2),
        cpuRatioRange: [round(Math.min(...real.map((b, i) => bare[i].cpuMsPerRequest / b.cpuMsPerRequest)), 2), round(cpuPairs.max, 2)],
        rounds: {
          bare: bare.map((b) => ({ rps: round(b.rps, 1), cpuMs: round(b.cpuMsPerRequest, 2) })),
          target: real.map((b) => ({ rps: round(b.rps, 1), cpuMs: round(b.cpuMsPerRequest, 2) })),
        },
      });
      say(
        `${target.name}: ${round(realRps.p50, 1)} req/s vs bare ${round(bareRps.p50, 1)} req/s; ratio ${round(pairs.p50, 2)}× (median of ${real.length} pairs); CPU ${round(realCpu.p50, 2)} vs ${round(bareCpu.p50, 2)} ms/request, ratio ${round(cpuPairs.p50, 2)}× (median of pairs)`,
      );
    }
    return {
      scenario: "overhead",
      clients: opts.overheadClients,
      roundSeconds: opts.overheadSeconds,
      rounds: opts.overheadRounds,
      codeHash: stack.codeHash,
      results,
      failures,
    };
  } finally {
    dispatcher.destroy();
    await stack.stop();
  }
}
