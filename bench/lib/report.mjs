/** The readable summary printed at the end of `npm run bench` (plain-text tables, real units). */

/** A padded plain-text table. */
export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map((c) => (c === undefined || c === null ? "–" : String(c))));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join("  ");
  return [line(all[0]), widths.map((w) => "-".repeat(w)).join("  "), ...all.slice(1).map(line)].join("\n");
}

const st = (s) => (s?.n ? `${s.p50} / ${s.p95} / ${s.max}` : "–");
const slots = (b) =>
  Object.entries(b ?? {})
    .map(([op, x]) => `${op} ${x.booked}/${x.made}`)
    .join(", ");
const byKind = (b) => ["STARTING", "RUNNING", "final"].map((k) => (b[k] ? `${b[k].p50}/${b[k].p95}` : "–")).join(", ");
const calls = (c) => `${c.StartRun} / ${c.GetRun} / ${c.ListRunTasks ?? 0} / ${c.GetRunTask ?? 0}`;

/** Rows comparing the service with the seed plan for one fleet result. */
function serviceVsSeed(a) {
  const s = a.service;
  const seed = a.seed;
  return table(
    ["per run (real units)", "service", "seed plan (30 s loop)"],
    [
      [
        "HealthOmics calls: Start / GetRun / ListRunTasks / GetRunTask",
        calls(s.callsPerRun),
        `${seed.callsPerRun.StartRun} / ${seed.callsPerRun.GetRun} / 0 / 0`,
      ],
      ["HealthOmics calls, total per run", s.callsPerRun.total, seed.callsPerRun.StartRun + seed.callsPerRun.GetRun],
      ["D1 writes: statements / rows", `${s.d1PerRun.statements} / ${s.d1PerRun.rows}`, `${seed.d1PerRun.statements} / ${seed.d1PerRun.rows}`],
      [
        `staleness s p50/p95/max, sampled (±${s.stalenessRealSeconds.samplingErrorRealSeconds} s)`,
        st(s.stalenessRealSeconds.sampled),
        st(seed.stalenessRealSeconds),
      ],
      ["staleness s p50/p95/max, exact (D1 write times)", st(s.stalenessRealSeconds.exactFromD1Writes), "uniform 0–30"],
      ["staleness s p50/p95 by transition: STARTING, RUNNING, final", byKind(s.stalenessRealSeconds.byTransition), "15 / 28.5 each"],
      ["throttled calls (429)", s.calls.throttled, "–"],
    ],
  );
}

function rateRows(rates) {
  return Object.entries(rates.operations)
    .filter(([, r]) => r.calls > 0)
    .map(([op, r]) => [
      op,
      r.calls,
      r.maxPer1sWindow,
      r.maxPer60sWindowPerSecond,
      r.meanPerSecond,
      r.budgetPerSecond,
      r.quotaPerSecond,
      r.meanFractionOfQuota,
      r.throttled,
    ]);
}
const RATE_HEADER = ["operation", "calls", "max/1 s", "max/s (60 s)", "mean/s", "budget/s", "quota/s", "mean ÷ quota", "429s"];

/** The whole summary. */
export function summarize(results) {
  const out = [];
  for (const r of results) {
    if (r.scenario === "runs") {
      const a = r.analysis;
      out.push(
        `\n### runs: ${a.runs} runs (${JSON.stringify(a.outcomes)}), run length p50 ${a.runLengthRealSeconds.p50} s real, scale ${r.scale}, ${r.wallSeconds} s wall`,
      );
      out.push(serviceVsSeed(a));
      out.push(
        `totals: service ${a.service.calls.total} calls, ${a.service.d1.statements} D1 statements / ${a.service.d1.rows} rows; seed ${a.seed.calls.StartRun + a.seed.calls.GetRun} calls, ${a.seed.d1.statements} / ${a.seed.d1.rows}`,
      );
      out.push(
        `wall time (first submission → last final state seen): service ${a.service.wallRealSeconds} s real; seed ${a.seed.wallRealSeconds} s real (no start pacing, as if StartRun were never throttled)`,
      );
      out.push(table(RATE_HEADER, rateRows(r.rates)));
      out.push(`budget slots booked / calls made: ${slots(r.budgetSlots)}`);
      out.push(
        `seed plan on the same load: ${r.seedLoad.getRunPerSecondAtPeak} GetRun/s once all runs are live (${r.seedLoad.getRunFractionOfQuota} × quota), ${r.seedLoad.startRunAtOnce} StartRuns at submission (quota 1/s)`,
      );
      out.push(`machine: CPU busy ${r.cpu?.meanBusy} (mean), load ${r.cpu?.meanLoad1}`);
    } else if (r.scenario === "scale") {
      for (const p of r.passes) {
        const a = p.analysis;
        out.push(
          `\n### scale, ${p.events ? "with events" : "polling only"}: ${a.runs} runs, ${a.maxConcurrentLive} live at once, run length p50 ${a.runLengthRealSeconds.p50} s real, scale ${p.scale}, ${p.wallSeconds} s wall`,
        );
        out.push(table(RATE_HEADER, rateRows(p.rates)));
        const s = a.service;
        out.push(
          `calls per run ${calls(s.callsPerRun)} (total ${s.callsPerRun.total}); D1 per run ${s.d1PerRun.statements} statements / ${s.d1PerRun.rows} rows`,
        );
        out.push(
          `staleness s p50/p95/max: sampled ${st(s.stalenessRealSeconds.sampled)} (±${s.stalenessRealSeconds.samplingErrorRealSeconds}), exact ${st(s.stalenessRealSeconds.exactFromD1Writes)}; p50/p95 by transition (STARTING, RUNNING, final) ${byKind(s.stalenessRealSeconds.byTransition)}; outcomes ${JSON.stringify(a.outcomes)}`,
        );
        out.push(`budget slots booked / calls made: ${slots(p.budgetSlots)}`);
        if (p.events)
          out.push(
            `events: ${p.events.received} received by the API; run events reached it ${p.events.deliveryLagRealSeconds.p50} s (p50) / ${p.events.deliveryLagRealSeconds.p95} s (p95) after the transition`,
          );
        out.push(`machine: CPU busy ${p.cpu?.meanBusy} (mean), load ${p.cpu?.meanLoad1}`);
      }
      out.push(
        `seed loop on ${r.runs} runs: ${r.seed.getRunPerSecond} GetRun/s = ${r.seed.fractionOfQuota} × quota; ${r.seed.throttledPerSecond}/s (${Math.round(r.seed.throttledShare * 100)} %) would be throttled`,
      );
    } else if (r.scenario === "burst") {
      const b = r.burst;
      out.push(
        `\n### burst: ${b.submissions} submissions in ${b.submitWindowWallSeconds} s wall (${b.submitWindowRealSeconds} s real; target ${b.targetWindowWallSeconds} s), scale ${r.scale}`,
      );
      out.push(
        table(
          ["figure", "value"],
          [
            ["submit latency p50 / p99 / max (ms, wall)", `${b.submitLatencyMs.p50} / ${b.submitLatencyMs.p99} / ${b.submitLatencyMs.max}`],
            ["StartRun 201s / distinct requestIds", `${b.startRun201} / ${b.distinctRequestIds}`],
            ["first / last start after the first submission (s real)", `${b.firstStartRealSeconds} / ${b.lastStartRealSeconds}`],
            ["start rate (real /s; budget 0.8)", b.startRateRealPerSecond],
            ["longest run of starts by one user while others waited", b.fairness.longestStreakWhileOthersWait],
            ["seed plan: StartRun/s at submission", `${r.seed.startRunPerSecond} (${r.seed.fractionOfQuota} × quota)`],
          ],
        ),
      );
    } else if (r.scenario === "scanner") {
      out.push(`\n### scanner: ${r.inputBytes} characters per input, best of ${r.repeats}; ratios to one regex pass over the same input`);
      out.push(
        table(
          ["shape", "regex pass ms", "scan ms", "scan ÷ regex", "check ms", "check ÷ regex", "chars examined per char"],
          (r.rows ?? []).map((row) => [row.shape, row.baselineMs, row.scanMs, row.scanRatio, row.checkMs, row.checkRatio, row.examinedPerChar]),
        ),
      );
    } else if (r.scenario === "unscaled") {
      const [one, scaled] = r.passes;
      const row = (label, f) => [label, f(one), f(scaled)];
      out.push(`\n### scaling check: ${r.runs} runs, duration scale ${r.durationScale}`);
      out.push(
        table(
          ["per run (real units)", `scale ${one.scale}`, `scale ${scaled.scale}`],
          [
            row("HealthOmics calls: Start / GetRun / ListRunTasks / GetRunTask", (p) => calls(p.analysis.service.callsPerRun)),
            row("D1 statements / rows", (p) => `${p.analysis.service.d1PerRun.statements} / ${p.analysis.service.d1PerRun.rows}`),
            row("staleness s p50/p95/max, exact", (p) => st(p.analysis.service.stalenessRealSeconds.exactFromD1Writes)),
            row("staleness s p50/p95/max, sampled", (p) => st(p.analysis.service.stalenessRealSeconds.sampled)),
            row("wall time (s real)", (p) => p.analysis.service.wallRealSeconds),
          ],
        ),
      );
    } else if (r.scenario === "overhead") {
      out.push(`\n### overhead: ${r.clients} clients, ${r.rounds} alternating rounds of ${r.roundSeconds} s, code ${r.codeHash}`);
      out.push(
        table(
          [
            "target",
            "req/s (median)",
            "bare route req/s",
            "ratio (median of pairs)",
            "pair range",
            "CPU ms/request (target / bare)",
            "CPU ratio (median of pairs)",
            "pair range",
          ],
          (r.results ?? []).map((x) => [
            x.target,
            x.targetRps,
            x.bareRps,
            `${x.ratio}×`,
            `${x.ratioRange[0]}–${x.ratioRange[1]}`,
            `${x.cpuMsPerRequest.target} / ${x.cpuMsPerRequest.bare}`,
            `${x.cpuRatio}×`,
            `${x.cpuRatioRange[0]}–${x.cpuRatioRange[1]}`,
          ]),
        ),
      );
    }
    for (const p of r.passes ?? [r]) {
      if (p.throttles?.length) {
        const worst = Math.max(...p.throttles.map((t) => t.callsInPrecedingWallSecond));
        out.push(
          `429s${p.events ? " (events pass)" : ""}: ${p.throttles.map((t) => `${t.operation}@${t.atRealSeconds}s`).join(", ")}; busiest wall second before one: ${worst} calls`,
        );
      }
    }
    for (const f of r.failures) out.push(`FAILED: ${f}`);
  }
  return out.join("\n");
}
