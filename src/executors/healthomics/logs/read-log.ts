/**
 * A run's or task's log as a streamed text answer: GetLogEvents pages (log-paging.ts) booked on
 * the CloudWatch Logs budget line and sent on as they arrive, so memory holds one page whatever
 * the log's size. Mapping (HealthOmics has no stdout/stderr): a run's stdout is its engine stream
 * `run/<id>/engine`, its stderr the run stream `run/<id>` followed by HealthOmics' failure reason
 * and message; a task's stdout and stderr are both its stream `run/<id>/task/<taskId>`.
 */
import type { RunRow } from "../../../db/schema";
import { executorSettings } from "../../../executor-config";
import { redactText } from "../../../wes/redact";
import type { LogAnswer, LogRequest } from "../../executor";
import { logsClient } from "../aws/logs-factory";
import { WORKFLOW_LOG_GROUP } from "../aws/logs";
import { bookSideCall, sideThrottled } from "../aws/side-budget";
import { asLine, MAX_PAGE_EVENTS, type PageSource, readForward, readTail, type StopReason } from "./log-paging";

/** Lines of a log answer without `?limit`. */
export const DEFAULT_LOG_LINES = 100_000;
/** Largest `?limit`. */
export const MAX_LOG_LINES = 1_000_000;
/** Largest `?tail` (one GetLogEvents page). */
export const MAX_TAIL_LINES = MAX_PAGE_EVENTS;
/** Most GetLogEvents calls one answer makes (a Worker's subrequests per request are limited). */
const MAX_PAGES = 500;
/** Most backward pages a tail reads (each at most 1 MB). */
const MAX_TAIL_PAGES = 8;
/** How long a page after the first waits for its budget slot before the answer is broken off. */
const LATER_PAGE_WAIT_MS = 15_000;

/** The line budget was busy for the first page. */
class Busy extends Error {
  constructor(readonly retryAfterMs: number) {
    super("busy");
  }
}

/** The CloudWatch Logs stream of a run's or task's log. */
export function streamName(omicsRunId: string, request: Pick<LogRequest, "taskId" | "stream">): string {
  if (request.taskId) return `run/${omicsRunId}/task/${request.taskId}`;
  return request.stream === "stdout" ? `run/${omicsRunId}/engine` : `run/${omicsRunId}`;
}

/** What follows a failed run's stderr: HealthOmics' failure reason and message (masked for non-admins). */
export function failureLines(run: Pick<RunRow, "omicsFailureReason" | "omicsStatusMessage" | "omicsStatus">, admin: boolean): string[] {
  const lines: string[] = [];
  if (run.omicsFailureReason) lines.push(`HealthOmics failure reason: ${run.omicsFailureReason}`);
  if (run.omicsStatusMessage) lines.push(`HealthOmics status message: ${run.omicsStatusMessage}`);
  if (lines.length > 0 && run.omicsStatus) lines.unshift(`HealthOmics run status: ${run.omicsStatus}`);
  return lines.map((line) => `${admin ? line : redactText(line)}\n`);
}

/** The marker ending an answer that was cut short (never presented as the whole log). */
export function truncationLine(reason: StopReason, lines: number): string | undefined {
  if (reason === "limit") return `[wes] log truncated after ${lines} lines: ask for a larger ?limit= (at most ${MAX_LOG_LINES}) or the end with ?tail=N\n`;
  if (reason === "pages") return `[wes] log truncated after ${lines} lines (${MAX_PAGES} CloudWatch Logs pages): read the end with ?tail=N\n`;
  return undefined;
}

/** GetLogEvents on `stream`, each call booked on the GetLogEvents line. */
function pageSource(env: Env, stream: string): PageSource {
  const client = logsClient(executorSettings(env));
  let calls = 0;
  return async (request) => {
    const booking = await bookSideCall(env, "GetLogEvents", calls === 0 ? 1000 : LATER_PAGE_WAIT_MS);
    if (!booking.ok) throw new Busy(booking.retryAfterMs);
    calls += 1;
    const result = await client.getLogEvents({
      logGroupName: WORKFLOW_LOG_GROUP,
      logStreamName: stream,
      startFromHead: request.startFromHead,
      limit: request.limit,
      ...(request.token ? { nextToken: request.token } : {}),
    });
    if (result.ok)
      return {
        messages: result.value.events.map((e) => e.message),
        nextForwardToken: result.value.nextForwardToken,
        nextBackwardToken: result.value.nextBackwardToken,
      };
    if (result.error.type === "ResourceNotFoundException") return null;
    if (result.error.type === "ThrottlingException") {
      await sideThrottled(env, "GetLogEvents");
      throw new Busy(1000);
    }
    throw new Error(result.error.message);
  };
}

const encoder = new TextEncoder();

function text(lines: string[]): Uint8Array {
  return encoder.encode(lines.map(asLine).join(""));
}

/** The first page or a busy/unavailable answer: nothing is sent before the first page is in hand. */
async function firstStep<T>(step: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; answer: LogAnswer }> {
  try {
    return { ok: true, value: await step() };
  } catch (error) {
    if (error instanceof Busy) return { ok: false, answer: { kind: "busy", retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) } };
    return {
      ok: false,
      answer: { kind: "unavailable", message: `The log could not be read from CloudWatch Logs: ${error instanceof Error ? error.message : String(error)}` },
    };
  }
}

/** The log answer for `run` (`source` replaces CloudWatch Logs in tests). */
export async function readLog(env: Env, run: RunRow, request: LogRequest, source?: PageSource): Promise<LogAnswer> {
  const suffix = !request.taskId && request.stream === "stderr" ? failureLines(run, request.admin) : [];
  const tail = encoder.encode(suffix.join(""));
  if (!run.omicsRunId) return { kind: "text", body: new Blob([tail]).stream() };
  const pages = source ?? pageSource(env, streamName(run.omicsRunId, request));

  if (request.tail !== undefined) {
    const read = await firstStep(() => readTail(pages, Math.min(request.tail!, MAX_TAIL_LINES), MAX_TAIL_PAGES));
    if (!read.ok) return read.answer;
    const head = read.value.incomplete
      ? encoder.encode(`[wes] older lines were not searched (${MAX_TAIL_PAGES} pages read); fewer than ${request.tail} lines shown\n`)
      : new Uint8Array();
    return { kind: "text", body: new Blob([head, text(read.value.lines), tail]).stream() };
  }

  const maxLines = Math.min(request.limit ?? DEFAULT_LOG_LINES, MAX_LOG_LINES);
  const lines = readForward(pages, { maxLines, maxPages: MAX_PAGES });
  const first = await firstStep(() => lines.next());
  if (!first.ok) return first.answer;
  let sent = 0;
  let pending: IteratorResult<string[], StopReason> | undefined = first.value;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const step = pending ?? (await lines.next());
        pending = undefined;
        if (!step.done) {
          sent += step.value.length;
          controller.enqueue(text(step.value));
          return;
        }
        const marker = truncationLine(step.value, sent);
        if (marker) controller.enqueue(encoder.encode(marker));
        if (suffix.length > 0) controller.enqueue(tail);
        controller.close();
      } catch (error) {
        // Headers are sent: breaking the connection is the only honest way to say "incomplete".
        controller.error(error instanceof Error ? error : new Error(String(error)));
      }
    },
    async cancel() {
      await lines.return("end");
    },
  });
  return { kind: "text", body };
}
