/**
 * What the two log routes share: `?tail=N` and `?limit=N`, and turning the executor's answer into
 * the HTTP answer — `text/plain; charset=utf-8` streamed as it is read, 503 with `Retry-After`
 * when the log source's call budget is busy (never a partial log presented as whole).
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { badRequest, WesError } from "../errors";
import type { LogAnswer, LogRequest } from "../executors/executor";

/** Largest `?tail` (one CloudWatch Logs page). */
export const MAX_TAIL = 10_000;
/** Largest `?limit`. */
export const MAX_LIMIT = 1_000_000;

function count(c: Context<AppEnv>, name: string, max: number): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw badRequest(`${name} must be a whole number from 1 to ${max}.`);
  return Number(raw);
}

/** The log request of `c` for `stream` (and `taskId`). */
export function logRequest(c: Context<AppEnv>, stream: string, admin: boolean, taskId?: string): LogRequest {
  if (stream !== "stdout" && stream !== "stderr") throw new WesError(404, `No log '${stream.slice(0, 40)}': the logs are stdout and stderr.`);
  const tail = count(c, "tail", MAX_TAIL);
  const limit = count(c, "limit", MAX_LIMIT);
  if (tail !== undefined && limit !== undefined) throw badRequest("Use tail or limit, not both.");
  return { stream, tail, limit, admin, taskId };
}

/** The HTTP answer for a log. */
export function logResponse(c: Context<AppEnv>, answer: LogAnswer): Response {
  if (answer.kind === "busy") {
    throw new WesError(503, `The log source is busy (its API budget has no call free now); retry in ${answer.retryAfterSeconds} s.`, {
      "Retry-After": String(answer.retryAfterSeconds),
    });
  }
  if (answer.kind === "unavailable") throw new WesError(502, answer.message);
  return new Response(answer.body, {
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" },
  });
}
