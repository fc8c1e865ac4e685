/**
 * A log stream as the paging code sees it: a short list of fixed events in time order plus,
 * optionally, a long run of generated lines (the `emulator:log-lines` tag) spread evenly over a
 * time window, never materialised: any event is found by index in O(log n). Events are ordered by
 * timestamp, fixed before generated on equal timestamps, so the events visible at any moment are
 * a prefix of those visible later (a live stream only grows). Pure.
 */

/** One log event. */
export interface LogEvent {
  timestamp: number;
  message: string;
}

/** Evenly spaced generated lines: line i (0-based) is at from + floor((i + 1) · (to − from) / (count + 1)). */
export interface GeneratedLines {
  count: number;
  from: number;
  to: number;
  text: (index: number) => string;
}

/** A stream's content (all of it, past and future; visibility is decided by the clock). */
export interface StreamContent {
  fixed: LogEvent[];
  generated?: GeneratedLines;
}

function generatedAt(g: GeneratedLines, i: number): number {
  return g.from + Math.floor(((i + 1) * (g.to - g.from)) / (g.count + 1));
}

/** Generated lines with a timestamp before `t`. */
function generatedBefore(g: GeneratedLines | undefined, t: number): number {
  if (!g) return 0;
  let lo = 0;
  let hi = g.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (generatedAt(g, mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Events (fixed and generated) with a timestamp before `t`: the index of the first one at or after t. */
export function countBefore(stream: StreamContent, t: number): number {
  let fixed = 0;
  while (fixed < stream.fixed.length && stream.fixed[fixed]!.timestamp < t) fixed += 1;
  return fixed + generatedBefore(stream.generated, t);
}

/** Events [from, to) in stream order. */
export function eventsBetween(stream: StreamContent, from: number, to: number): LogEvent[] {
  const g = stream.generated;
  // fixed[j] sits at position j + (generated lines strictly before it): count those before `from`.
  let j = 0;
  while (j < stream.fixed.length && j + generatedBefore(g, stream.fixed[j]!.timestamp) < from) j += 1;
  let s = from - j;
  const out: LogEvent[] = [];
  for (let index = from; index < to; index++) {
    const f = stream.fixed[j];
    const nextGenerated = g && s < g.count ? generatedAt(g, s) : undefined;
    if (f && (nextGenerated === undefined || f.timestamp <= nextGenerated)) {
      out.push(f);
      j += 1;
    } else if (g && nextGenerated !== undefined) {
      out.push({ timestamp: nextGenerated, message: g.text(s) });
      s += 1;
    } else break;
  }
  return out;
}
