/**
 * One error type and one envelope for the whole API: every failure leaves as a WES
 * `ErrorResponse {msg, status_code}` whose HTTP status equals `status_code`.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** WES ErrorResponse body (official schema: `msg` string, `status_code` int32). */
export interface ErrorResponse {
  msg: string;
  status_code: number;
}

/** An error the API answers on purpose, with a message that tells the caller what to fix. */
export class WesError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "WesError";
  }
}

/** 400: bad input; the message names the field and what is wrong. */
export const badRequest = (msg: string): WesError => new WesError(400, msg);
/** An id from a request, clipped before it is quoted in a message (ids are UUIDs or digits; anything longer is not one). */
export function clipId(id: string): string {
  return id.length > 64 ? `${id.slice(0, 61)}...` : id;
}

/** 404: unknown run (also another user's run, so ids cannot be probed). */
export const runNotFound = (runId: string): WesError => new WesError(404, `Run '${clipId(runId)}' was not found.`);
/** 409: the request conflicts with the run's current state. */
export const conflict = (msg: string): WesError => new WesError(409, msg);

/** Builds the ErrorResponse body for a status and message. */
export function errorResponse(status: number, msg: string): ErrorResponse {
  return { msg, status_code: status };
}
