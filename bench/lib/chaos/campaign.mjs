/**
 * One pass of the chaos campaign: a fresh stack (API with --test-scheduled and the development
 * hooks, emulator), the plan's submissions and cancels from the users, and — in the chaos pass —
 * the emulator's faults, API kills and evictions; the cron sweep in both passes. It waits until
 * every accepted run is final (or a generous deadline passes), reads the service's final view and
 * the emulator's truth, stops the stack, and checks the invariants.
 */
import { EmulatorClient, mapLimit, WesClient } from "../clients.mjs";
import { USERS } from "../fleet.mjs";
import { FINAL, startLogDrain, startSampler, waitAllFinal } from "../observe.mjs";
import { startStack } from "../stack.mjs";
import { drive } from "./driver.mjs";
import { greedyRefusals } from "./fairuse.mjs";
import { faultRules, observedFaults } from "./faults.mjs";
import { budgetFigures, callsPerRun, finalStateLag, perRunRecords, recoveryFigures, startRate } from "./figures.mjs";
import { checkInvariants } from "./invariants.mjs";
import { GREEDY_USER } from "./plan.mjs";
import { startActions } from "./process.mjs";

/** The campaign's users: the benchmark's three and its admin, plus the greedy one. */
export const CHAOS_USERS = { ...USERS, [GREEDY_USER]: "greedy-chaos-pw" };

/** Adds up what the sweeps found (sweep.done lines). */
function sweepTotals(sweeps) {
  const out = { withWork: sweeps.length };
  for (const s of sweeps) for (const [k, v] of Object.entries(s.counts)) if (typeof v === "number") out[k] = (out[k] ?? 0) + v;
  return out;
}

/**
 * @param {object} o
 * @param {object} o.opts     parsed options (options.mjs) plus `root`
 * @param {import("./plan.mjs").Plan} o.plan
 * @param {boolean} o.chaos   false: the fault-free pass of the same plan
 * @param {string} [o.name]   the pass's name (default `chaos` or `fault-free`)
 * @param {(m: string) => void} o.say
 */
export async function runPass({ opts, plan, chaos, name = chaos ? "chaos" : "fault-free", say }) {
  const responses = [];
  const stack = await startStack({
    root: opts.root,
    scale: opts.scale,
    events: opts.events,
    users: CHAOS_USERS,
    label: name.replace(/[^a-z0-9-]+/g, "-"),
    say,
    apiVars: opts.limits ?? {},
    testScheduled: true,
  });
  const failures = [];
  try {
    const wes = new WesClient(stack.wesUrl, CHAOS_USERS, (r) => responses.push(r));
    const emulator = new EmulatorClient(stack.emulatorUrl);
    const rules = chaos ? faultRules(opts.rates) : [];
    for (const rule of rules) await emulator.addFault(rule);
    const drain = startLogDrain(emulator, 5000, say);
    const sampler = startSampler(wes, Math.min(2000, Math.max(500, plan.runs.length * 4)), say);
    const t0 = Date.now();
    /** Accepted run ids in acceptance order. */
    const accepted = [];
    const actions = startActions({
      stack,
      plan,
      chaos,
      t0,
      adminPassword: CHAOS_USERS.admin,
      liveRuns: () => accepted.filter((id) => !FINAL.has(sampler.latest.get(id) ?? "")),
      say,
    });
    const giveUpAt = t0 + plan.activeMs + 5 * 60_000;
    const clients = drive({ wes, runs: plan.runs, t0, durationScale: opts.durationScale, giveUpAt, onAccepted: (s) => accepted.push(s.runId) });
    say(
      `${name} pass: ${plan.runs.length} submissions over ${opts.submitWindow} s${chaos ? `, ${plan.restarts.length} restarts, ${rules.length} fault rules` : ""}`,
    );
    // The API budget as the service sees it (AIMD shrinks it on throttles), every 15 s.
    const metrics = [];
    const metricsTimer = setInterval(async () => {
      const m = actions.isDown() ? null : await wes.metrics(stack.apiUrl);
      if (m) metrics.push(m);
    }, 15_000);
    const progress = setInterval(() => {
      const counts = {};
      for (const id of accepted) {
        const s = sampler.latest.get(id) ?? "?";
        counts[s] = (counts[s] ?? 0) + 1;
      }
      say(
        `  t+${Math.round((Date.now() - t0) / 1000)} s: accepted ${accepted.length}/${plan.runs.length}; ${Object.entries(counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")}${actions.isDown() ? " (API down)" : ""}`,
      );
    }, 30_000);
    await clients.done;
    await actions.restartsDone();
    const pending = await waitAllFinal(sampler, [...accepted], Date.now() + opts.drainMinutes * 60_000, () => {}, 30_000, stack.died);
    clearInterval(progress);
    clearInterval(metricsTimer);
    const { downs, evictions, sweeps, broken } = await actions.stop();
    if (broken) failures.push(broken);
    if (stack.died()) failures.push(stack.died());
    if (pending.length > 0) say(`!! ${pending.length} runs not final after the drain deadline`);
    const end = Date.now();

    // The service's final view (as an admin), then the emulator's truth.
    const listed = await wes.listAllSummaries();
    const final = new Map();
    await mapLimit(accepted, 8, async (id) => {
      const res = await wes.getRun("admin", id);
      if (res.status === 200) final.set(id, { state: res.body.state, systemLogs: res.body.run_log?.system_logs ?? [] });
    });
    await sampler.stop();
    await drain.stop();
    const timelines = await emulator.timelines(accepted);
    const checked = checkInvariants({
      submissions: clients.submissions,
      listed,
      final,
      calls: emulator.calls,
      timelines,
      downs,
      responses,
      limitsOn: opts.limits !== undefined,
    });
    failures.push(...checked.failures);
    if (stack.unparsedLines() > 0) failures.push(`${stack.unparsedLines()} API log lines could not be parsed`);
    const perRun = perRunRecords({ submissions: clients.submissions, final, timelines, d1Writes: stack.d1Writes, calls: emulator.calls });
    return {
      pass: name,
      chaos,
      codeHash: stack.codeHash,
      wallSeconds: Math.round((end - t0) / 1000),
      faultRules: rules,
      figures: {
        ...checked.figures,
        injected: observedFaults(emulator.calls),
        greedyRefusals: plan.runs.some((r) => r.user === GREEDY_USER) ? greedyRefusals(responses) : undefined,
        // Over the runs the plan never cancels: the same runs, doing the same work, in both passes
        // (under chaos more cancels land before StartRun, so all runs together would not compare).
        callsPerRun: callsPerRun(
          emulator.calls,
          clients.submissions.flatMap((s) => (s.runId && plan.runs[s.index].cancelAfterMs === undefined ? [s.runId] : [])),
        ),
        recovery: recoveryFigures(downs, emulator.calls, timelines, accepted),
        finalStateLag: finalStateLag(perRun),
        starts: startRate(emulator.calls, opts.scale),
        budget: budgetFigures(metrics),
        evictions,
        sweeps: { ...sweeps, found: sweepTotals(stack.sweeps) },
        apiErrorLines: stack.errorLines(),
        workerdAlarmWarnings: stack.alarmWarnings(),
      },
      downs,
      perRun,
      failures,
    };
  } finally {
    await stack.stop();
  }
}
