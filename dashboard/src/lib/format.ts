/** Times and durations as people read them (pure). */

const dateTime = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** A time in the reader's time zone, or "—". */
export function formatTime(iso: string | undefined): string {
  if (!iso) return "—";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? "—" : dateTime.format(ms);
}

/** The time of day only (for timelines within one run). */
export function formatClock(iso: string | undefined): string {
  if (!iso) return "—";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? "—" : timeOnly.format(ms);
}

/** A duration in milliseconds: "850 ms", "42 s", "3 min 05 s", "2 h 07 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, "0")} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** How long a run has taken: start (or submission) to end, or to `now` while it runs. */
export function runDuration(run: { start_time?: string; end_time?: string; submitted_at?: string }, now: number): string {
  const from = Date.parse(run.start_time ?? "");
  if (Number.isNaN(from)) return "—";
  const to = run.end_time ? Date.parse(run.end_time) : now;
  return formatDuration(to - from);
}

/** "3 min ago" style, for "updated" notes. */
export function formatAgo(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 5) return "just now";
  if (s < 60) return `${s} s ago`;
  return `${Math.round(s / 60)} min ago`;
}
