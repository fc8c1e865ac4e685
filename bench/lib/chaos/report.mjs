/** The chaos campaign's printed summary: one block per pass, then calls per run against the fault-free pass. */

const pct = (x) => (typeof x === "number" ? `${(x * 100).toFixed(1)} %` : "—");
const dist = (d) => (d && d.n > 0 ? `p50 ${d.p50} s, p95 ${d.p95} s, max ${d.max} s (n=${d.n})` : "—");
const kv = (o) =>
  Object.entries(o ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");

/** Text summary of the campaign's passes. */
export function summarize({ seed, opts, passes, comparison, fairUse }) {
  const out = [
    `\n== chaos campaign, seed ${seed}: ${opts.runs} runs${opts.greedy ? ` + ${opts.greedy} greedy` : ""}, scale ${opts.scale}, duration scale ${opts.durationScale} ==`,
  ];
  for (const p of passes) {
    const f = p.figures;
    const load = p.loadavg1 ? `; load average (1 min) ${p.loadavg1.min}–${p.loadavg1.max}, mean ${p.loadavg1.mean}` : "";
    out.push(`\n-- ${p.pass} pass (${p.wallSeconds} s wall${load}) --`);
    out.push(`runs: ${f.accepted}/${f.planned} accepted (${f.submitAttempts} POST /runs); final: ${kv(f.finalStates)}; lost ${f.lost}, stranded ${f.stranded}`);
    out.push(
      `HealthOmics runs: ${f.healthOmicsRuns}; StartRun calls ${f.startRun.calls}, answers lost after HealthOmics acted ${f.startRun.lostAnswers}, StartRuns repeated after a lost answer ${f.startRun.repeatsAfterLostAnswer} (same requestId; replays answered 201: ${f.startRun.replaysAnswered201})`,
    );
    out.push(`cancels: ${kv(f.cancels)}`);
    out.push(`final state written after HealthOmics ended the run: ${dist(f.finalStateLag)}`);
    out.push(
      `starts: ${f.starts.started} at ${f.starts.realPerSecond ?? "—"} real/s (budget 0.8); StartRun budget share of quota min ${f.budget.operations.StartRun?.minShare ?? "—"}, mean ${f.budget.operations.StartRun?.meanShare ?? "—"}; longest start queue ${f.budget.longestStartQueue}`,
    );
    if (p.chaos) {
      const i = f.injected.all;
      out.push(`faults seen in HealthOmics answers: ${i.calls} calls, 500 ${pct(i.error)}, 429 ${pct(i.throttle)}, dropped ${pct(i.drop)}`);
      out.push(
        `restarts: ${f.recovery.restarts}; kill → answering ${dist(f.recovery.killToAnswering)}; start → answering ${dist(f.recovery.startToAnswering)}`,
      );
      out.push(
        `  answering → first HealthOmics call ${dist(f.recovery.answeringToFirstRunCall)}; → each live run's next call ${dist(f.recovery.answeringToEachLiveRunsNextCall)}`,
      );
      out.push(`evictions: ${f.evictions.done} (skipped ${f.evictions.skipped}, failed ${f.evictions.failed})`);
    }
    out.push(`sweeps: ${f.sweeps.triggered} triggered (skipped while down ${f.sweeps.skipped}, failed ${f.sweeps.failed}); found: ${kv(f.sweeps.found)}`);
    out.push(`client answers: ${kv(f.clients)}`);
    if (f.greedy) out.push(`greedy user: ${kv(f.greedy)}`);
    const g = f.greedyRefusals;
    if (g)
      out.push(
        `  its 429s: ${g.answers429} (${kv(g.byLimit)}); Retry-After ${g.retryAfterSeconds ? `${g.retryAfterSeconds.min}–${g.retryAfterSeconds.max} s, p50 ${g.retryAfterSeconds.p50} s` : "—"}`,
      );
    out.push(`API error log lines: ${f.apiErrorLines}; workerd alarm warnings: ${f.workerdAlarmWarnings}`);
    out.push(p.failures.length === 0 ? "invariants: all held" : `invariants broken:\n${p.failures.map((x) => `  - ${x}`).join("\n")}`);
  }
  if (comparison) {
    out.push("\n-- HealthOmics calls per run the plan never cancels: chaos / fault-free (ratio) --");
    for (const [op, c] of Object.entries(comparison))
      out.push(`${op.padEnd(13)} ${String(c.chaos).padStart(7)} / ${String(c.faultFree ?? "—").padStart(7)}  (${c.ratio ?? "—"})`);
  }
  for (const [name, c] of Object.entries(fairUse ?? {})) {
    out.push(`\n-- fair use, ${name}: the other users' never-cancelled runs, with / without the greedy user (ratio) --`);
    for (const [figure, label] of [
      ["toStart", "accepted → HealthOmics run created"],
      ["toFinal", "accepted → final state written"],
    ])
      for (const q of ["p50", "p95"]) {
        const r = c.ratios[figure][q];
        out.push(`${label} ${q}: ${r.withGreedy} s / ${r.withoutGreedy} s  (${r.ratio ?? "—"}; n ${c.withGreedy[figure].n} / ${c.withoutGreedy[figure].n})`);
      }
  }
  return out.join("\n");
}
