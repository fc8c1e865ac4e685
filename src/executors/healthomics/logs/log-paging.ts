/**
 * Reading a CloudWatch Logs stream page by page, as pure logic over a page source: forward from
 * the head (the whole log, one page in memory at a time) or the last N lines. GetLogEvents'
 * rules (CloudWatch Logs API Reference): a page holds at most 10,000 events or 1 MB, may be
 * partly full or even empty while more follow, and the end is reached when the
 * `nextForwardToken` returned equals the token sent (going backward: the `nextBackwardToken`).
 * On a live stream that end is "the lines so far".
 */

/** One page as the source returns it. */
export interface Page {
  messages: string[];
  nextForwardToken: string;
  nextBackwardToken: string;
}

/** A page request: from the head (`startFromHead`) or the tail, or from a token. */
export interface PageRequest {
  token?: string | undefined;
  startFromHead: boolean;
  /** Events wanted (1–10,000). */
  limit: number;
}

/** Fetches one page; `null` when the stream does not exist (yet). Throws on any other failure. */
export type PageSource = (request: PageRequest) => Promise<Page | null>;

/** GetLogEvents' largest page. */
export const MAX_PAGE_EVENTS = 10_000;

/** Why a forward read stopped. */
export type StopReason = "end" | "missing" | "limit" | "pages";

/** Bounds of one read. */
export interface ReadBounds {
  /** Most lines returned. */
  maxLines: number;
  /** Most GetLogEvents calls (a Worker's subrequests are limited; empty pages count too). */
  maxPages: number;
}

/**
 * The log from its head, yielded one page of lines at a time (never the whole log at once);
 * returns why it stopped: `end` (the stream's end, or its lines so far), `missing` (no such
 * stream), `limit` (maxLines reached with lines left or not known to be none) or `pages`
 * (maxPages used while more may follow).
 */
export async function* readForward(source: PageSource, bounds: ReadBounds): AsyncGenerator<string[], StopReason> {
  let token: string | undefined;
  let left = bounds.maxLines;
  for (let pages = 0; pages < bounds.maxPages; pages++) {
    const page = await source({ token, startFromHead: true, limit: Math.max(1, Math.min(MAX_PAGE_EVENTS, left)) });
    if (!page) return pages === 0 ? "missing" : "end";
    const lines = page.messages.length > left ? page.messages.slice(0, left) : page.messages;
    left -= lines.length;
    if (lines.length > 0) yield lines;
    const atEnd = page.nextForwardToken === token;
    if (atEnd) return "end";
    if (left === 0) return "limit";
    token = page.nextForwardToken;
  }
  return "pages";
}

/** The last lines of a log, oldest first, and whether older lines were left out. */
export interface Tail {
  lines: string[];
  /** `missing` when the stream does not exist. */
  missing: boolean;
  /** The read stopped at maxPages while older pages might still hold lines. */
  incomplete: boolean;
}

/**
 * The last `count` lines (count ≤ MAX_PAGE_EVENTS, so at most that many lines are held): the
 * newest page, then earlier pages backward until enough lines, the stream's head (the backward
 * token comes back unchanged) or maxPages.
 */
export async function readTail(source: PageSource, count: number, maxPages: number): Promise<Tail> {
  const want = Math.max(0, Math.min(MAX_PAGE_EVENTS, Math.floor(count)));
  if (want === 0) return { lines: [], missing: false, incomplete: false };
  const chunks: string[][] = [];
  let have = 0;
  let token: string | undefined;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await source({ token, startFromHead: false, limit: want - have });
    if (!page) return { lines: [], missing: pages === 0, incomplete: false };
    if (page.messages.length > 0) {
      chunks.unshift(page.messages);
      have += page.messages.length;
    }
    if (have >= want || page.nextBackwardToken === token) return { lines: chunks.flat().slice(-want), missing: false, incomplete: false };
    token = page.nextBackwardToken;
  }
  return { lines: chunks.flat().slice(-want), missing: false, incomplete: true };
}

/** One log event's message as one line of text (a trailing newline is not doubled). */
export function asLine(message: string): string {
  return message.endsWith("\n") ? message : `${message}\n`;
}
