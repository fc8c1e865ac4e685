import { useState } from "preact/hooks";
import { api } from "../lib/api";
import { formatDuration } from "../lib/format";
import { usePoll } from "../lib/poll";
import { addSample, rates, type Sample } from "../lib/rates";
import { stateLabel } from "../lib/states";
import type { ServiceMetrics } from "../lib/types";
import { Meter, Sparkline } from "../components/charts";
import { ErrorNotice } from "../components/notice";

const REFRESH_MS = 5000;

/** The API budget at work (admins): per HealthOmics operation, use against budget and quota. */
export function Admin() {
  const [history, setHistory] = useState<Sample[]>([]);
  const metrics = usePoll(
    async () => {
      const m = await api<ServiceMetrics>("/admin/metrics");
      setHistory((h) => addSample(h, m));
      return m;
    },
    REFRESH_MS,
    "metrics",
  );
  const m = metrics.data;
  if (!m) return metrics.error !== undefined ? <ErrorNotice error={metrics.error} /> : <p class="muted">Loading the metrics…</p>;
  const states = Object.entries(m.runs_by_state).sort((a, b) => b[1] - a[1]);
  const most = Math.max(1, ...states.map(([, n]) => n));
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">HealthOmics API budget</h1>
      {metrics.error !== undefined && <ErrorNotice error={metrics.error} />}
      <p class="muted">
        Every HealthOmics call of every run is paced to the account's quotas: this service may use {Math.round(m.healthomics_budget.headroom * 100)}% of each (
        {m.healthomics_budget.mode === "shared" ? "one shared budget" : "a budget per operation"}). Updated every {REFRESH_MS / 1000} s; rates are measured
        between updates.
      </p>
      <div class="budget-grid">
        {m.healthomics_budget.operations.map((op) => {
          const series = rates(history, op.operation);
          const now = series[series.length - 1] ?? 0;
          return (
            <article class="card budget" key={op.operation} aria-labelledby={`op-${op.operation}`}>
              <h2 id={`op-${op.operation}`}>{op.operation}</h2>
              <p class="big">
                {now.toFixed(2)} <span class="muted small">calls/s now</span>
              </p>
              <Meter label={`${op.operation} use`} value={now} max={op.quota_per_second} mark={op.budget_per_second} unit="calls/s" />
              {series.length > 1 ? (
                <Sparkline values={series} max={op.budget_per_second} label={`${op.operation} calls per second over the last ${series.length} intervals`} />
              ) : (
                <p class="muted small spark-wait">Measuring the rate…</p>
              )}
              <dl class="mini">
                <dt>Quota</dt>
                <dd>{op.quota_per_second}/s</dd>
                <dt>Budget</dt>
                <dd>
                  {op.budget_per_second}/s ({Math.round(op.share_of_quota * 100)}%)
                </dd>
                <dt>Booked</dt>
                <dd>{op.calls_booked.toLocaleString()}</dd>
                <dt>Backlog</dt>
                <dd>{op.backlog_seconds > 0 ? formatDuration(op.backlog_seconds * 1000) : "none"}</dd>
                <dt>Throttles</dt>
                <dd class={op.throttles > 0 ? "warn" : ""}>{op.throttles}</dd>
              </dl>
            </article>
          );
        })}
      </div>
      <div class="two-col">
        <section class="card" aria-labelledby="queue-title">
          <h2 id="queue-title">Waiting to start</h2>
          <dl class="mini">
            <dt>Runs in the start queue</dt>
            <dd>{m.start_queue.length}</dd>
            <dt>Users waiting</dt>
            <dd>{m.start_queue.users}</dd>
            <dt>Longest wait</dt>
            <dd>{formatDuration(m.start_queue.oldest_wait_seconds * 1000)}</dd>
            <dt>Oldest queued run</dt>
            <dd>
              {m.oldest_queued_run ? <a href={`/runs/${m.oldest_queued_run.run_id}`}>{formatDuration(m.oldest_queued_run.queued_seconds * 1000)}</a> : "none"}
            </dd>
            <dt>Runs polled</dt>
            <dd>{m.polling.runs_polled}</dd>
            <dt>Longest since a poll</dt>
            <dd>{formatDuration(m.polling.longest_since_last_poll_seconds * 1000)}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="states-title">
          <h2 id="states-title">Runs by state</h2>
          {states.length === 0 ? (
            <p class="muted">No runs yet.</p>
          ) : (
            <ul class="state-bars">
              {states.map(([state, n]) => (
                <li key={state}>
                  <span>{stateLabel(state)}</span>
                  <Meter label={stateLabel(state)} value={n} max={most} unit="runs" />
                  <span class="num">{n}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}
