/**
 * The answers of POST /runs when a submission is not admitted (src/db/admission.ts): a 409 for
 * an Idempotency-Key whose run was deleted, a 429 with Retry-After for a per-user limit.
 */
import type { Refusal } from "../db/admission";
import { ACTIVE_RETRY_AFTER_SECONDS } from "../db/admission";
import { conflict, WesError } from "../errors";

/** The ErrorResponse a refusal is answered with; nothing was stored. */
export function refusalError(refusal: Refusal, key: string | undefined): WesError {
  switch (refusal.kind) {
    case "deleted":
      return conflict(
        `The Idempotency-Key '${key}' belongs to run ${refusal.runId}, which was deleted at ${new Date(refusal.deletedAt).toISOString()}; it is not started again. Use a new key to submit a new run.`,
      );
    case "active":
      return new WesError(
        429,
        `You have ${refusal.limit} runs queued or active, the most this service allows per user (WES_USER_MAX_ACTIVE_RUNS); submit again when one of them has finished.`,
        { "Retry-After": String(ACTIVE_RETRY_AFTER_SECONDS) },
      );
    case "per-minute":
      return new WesError(
        429,
        `You have submitted ${refusal.limit} runs within the last minute, the most this service allows per user (WES_USER_SUBMISSIONS_PER_MINUTE); try again in ${refusal.retryAfterSeconds} s.`,
        { "Retry-After": String(refusal.retryAfterSeconds) },
      );
  }
}
