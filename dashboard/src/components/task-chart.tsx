import { formatClock, formatDuration } from "../lib/format";
import { taskChart } from "../lib/tasks";
import type { TaskLog } from "../lib/types";

/**
 * The run's tasks on a time axis (a Gantt chart): one row per task attempt, its bar from start to
 * end, failed attempts marked, retries numbered. A table underneath, so it reads as well with a
 * screen reader or on a phone as it looks on a wide screen.
 */
export function TaskChart({ tasks, runStart, runEnd, now }: { tasks: TaskLog[]; runStart?: string; runEnd?: string; now: number }) {
  if (tasks.length === 0) return <p class="muted">No tasks yet: HealthOmics lists them once the run is running.</p>;
  const parse = (iso?: string) => {
    const ms = Date.parse(iso ?? "");
    return Number.isNaN(ms) ? undefined : ms;
  };
  const chart = taskChart(tasks, parse(runStart), parse(runEnd), now);
  const ticks = [0, 0.5, 1].map((f) => ({ f, at: chart.axisStart + f * (chart.axisEnd - chart.axisStart) }));
  const failed = chart.bars.filter((b) => b.failed).length;
  return (
    <div class="gantt">
      <p class="muted small">
        {chart.bars.length} task attempt{chart.bars.length === 1 ? "" : "s"}
        {failed > 0 ? `, ${failed} failed` : ""} · axis {formatDuration(chart.axisEnd - chart.axisStart)} from{" "}
        {formatClock(new Date(chart.axisStart).toISOString())}
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the chart scrolls sideways on narrow screens; keyboard users must reach it (WCAG 2.1.1) */}
      <section class="gantt-scroll" tabIndex={0} aria-label="Tasks on a time axis (scrolls sideways on narrow screens)">
        <table class="gantt-table">
          <caption class="visually-hidden">Tasks on a time axis</caption>
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Status</th>
              <th scope="col" class="hide-narrow">
                Started
              </th>
              <th scope="col">Duration</th>
              <th scope="col" class="gantt-axis-head">
                <span class="visually-hidden">Time axis</span>
                <span class="gantt-ticks" aria-hidden="true">
                  {ticks.map((t) => (
                    <span key={t.f} class="gantt-tick" style={{ left: `${t.f * 100}%` }}>
                      {formatClock(new Date(t.at).toISOString())}
                    </span>
                  ))}
                </span>
              </th>
            </tr>
          </thead>
          <tbody>
            {chart.bars.map((bar) => (
              <tr key={bar.id} class={bar.failed ? "failed" : ""} data-task-id={bar.id}>
                <th scope="row" class="gantt-name">
                  {bar.name}
                  {bar.attempts > 1 && (
                    <span class="attempt">{bar.attempt === 1 ? `attempt 1 of ${bar.attempts}` : `retry ${bar.attempt - 1} of ${bar.attempts - 1}`}</span>
                  )}
                  {bar.failureReason && <span class="failure">{bar.failureReason}</span>}
                </th>
                <td>
                  <span class={`task-status ${bar.failed ? "is-failed" : bar.running ? "is-running" : ""}`}>
                    {bar.failed ? "✕ " : ""}
                    {bar.status.toLowerCase()}
                  </span>
                </td>
                <td class="hide-narrow">{bar.start !== undefined ? formatClock(new Date(bar.start).toISOString()) : "—"}</td>
                <td>{bar.start !== undefined ? formatDuration((bar.end ?? now) - bar.start) : "—"}</td>
                <td class="gantt-track" aria-hidden="true">
                  <span
                    class={`gantt-bar ${bar.failed ? "is-failed" : bar.running ? "is-running" : bar.status === "COMPLETED" ? "is-done" : "is-other"}`}
                    style={{ left: `${bar.left * 100}%`, width: `max(3px, ${bar.width * 100}%)` }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
