import { formatClock, formatDuration, formatTime } from "../lib/format";
import { isFinal } from "../lib/states";
import { StateBadge } from "./state-badge";

/** The run's states in order, each with when it began and how long it lasted. */
export function StateTimeline({ timeline, now }: { timeline: Array<{ state: string; time: string }>; now: number }) {
  return (
    <ol class="timeline">
      {timeline.map((entry, i) => {
        const start = Date.parse(entry.time);
        const next = timeline[i + 1];
        const end = next ? Date.parse(next.time) : isFinal(entry.state) ? undefined : now;
        return (
          <li key={`${entry.state}-${entry.time}`} class="timeline-step">
            <StateBadge state={entry.state} />
            <time dateTime={entry.time} title={formatTime(entry.time)}>
              {formatClock(entry.time)}
            </time>
            {end !== undefined && <span class="muted small">{formatDuration(end - start)}</span>}
          </li>
        );
      })}
    </ol>
  );
}
