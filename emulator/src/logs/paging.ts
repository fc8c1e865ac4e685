/**
 * GetLogEvents' paging, as CloudWatch Logs documents it: without a token, the newest events
 * (or the oldest with `startFromHead`); `nextForwardToken` / `nextBackwardToken` continue after
 * the page / before it, are never null, and reading forward has reached the end when the
 * forward token returned equals the one sent. A page holds at most `limit` events (default and
 * maximum 10,000) and 1,048,576 bytes (each event counting its UTF-8 message plus 26 bytes, the
 * CloudWatch Logs event overhead). `startTime` is inclusive, `endTime` exclusive. Tokens are
 * positions in the stream (`f/<n>`, `b/<n>`), stable because a stream only grows. Pure.
 */
import { countBefore, eventsBetween, type LogEvent, type StreamContent } from "./stream";

/** Events per page, default and maximum. */
export const MAX_EVENTS = 10_000;
/** Bytes per page. */
export const MAX_PAGE_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;

/** The request members paging reads. */
export interface PageRequest {
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  limit?: number;
  startFromHead?: boolean;
}

/** GetLogEvents' answer body. */
export interface PageResponse {
  events: { timestamp: number; message: string; ingestionTime: number }[];
  nextForwardToken: string;
  nextBackwardToken: string;
}

const encoder = new TextEncoder();
const token = (direction: "f" | "b", position: number) => `${direction}/${String(position).padStart(20, "0")}`;

/** A token's direction and position, or undefined when it is not one of ours. */
export function parseToken(text: string): { direction: "f" | "b"; position: number } | undefined {
  const m = /^([fb])\/(\d{1,20})$/.exec(text);
  return m ? { direction: m[1] as "f" | "b", position: Number(m[2]) } : undefined;
}

function size(e: LogEvent): number {
  return encoder.encode(e.message).length + EVENT_OVERHEAD;
}

/** How many events from the head (or the tail) of `page` fit in a page's bytes. */
function fitting(page: LogEvent[], from: "head" | "tail"): number {
  let bytes = 0;
  for (let n = 0; n < page.length; n++) {
    bytes += size(page[from === "head" ? n : page.length - 1 - n]!);
    if (bytes > MAX_PAGE_BYTES) return n;
  }
  return page.length;
}

/** One page of the stream as it is at `now`. The caller has validated `nextToken` and `limit`. */
export function getLogEventsPage(stream: StreamContent, request: PageRequest, now: number): PageResponse {
  const limit = request.limit ?? MAX_EVENTS;
  const lo = request.startTime !== undefined ? countBefore(stream, request.startTime) : 0;
  const end = request.endTime !== undefined ? Math.min(request.endTime, now + 1) : now + 1;
  const hi = Math.max(lo, countBefore(stream, end));
  const parsed = request.nextToken !== undefined ? parseToken(request.nextToken) : undefined;
  const direction = parsed?.direction ?? (request.startFromHead ? "f" : "b");
  const position = Math.min(hi, Math.max(lo, parsed?.position ?? (direction === "f" ? lo : hi)));
  let page: LogEvent[];
  let first: number;
  if (direction === "f") {
    page = eventsBetween(stream, position, Math.min(hi, position + limit));
    page = page.slice(0, fitting(page, "head"));
    first = position;
  } else {
    page = eventsBetween(stream, Math.max(lo, position - limit), position);
    page = page.slice(page.length - fitting(page, "tail"));
    first = position - page.length;
  }
  const last = first + page.length;
  return {
    events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.timestamp })),
    // A token sent comes back unchanged when the page is empty in its direction (the end of the stream).
    nextForwardToken: direction === "f" && page.length === 0 && request.nextToken !== undefined ? request.nextToken : token("f", last),
    nextBackwardToken: direction === "b" && page.length === 0 && request.nextToken !== undefined ? request.nextToken : token("b", first),
  };
}
