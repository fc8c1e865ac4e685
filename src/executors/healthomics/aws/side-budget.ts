/**
 * Booking CloudWatch Logs and S3 calls that a request makes (log pages, output links) on their
 * own budget lines (src/settings/side-quotas.ts), which never share HealthOmics' bucket. A
 * request never queues behind a busy line: it is told how long to wait (→ 503 Retry-After).
 */
import { budgetStub } from "../../../budget/stub";
import type { SideOperation } from "../../../settings/side-quotas";

/** May the call go now, or how long until the line has room. */
export type SideBooking = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Books one call on `line`. The first call of a request books quietly (no slot taken while the
 * line is busy); later calls of the same answer (`maxWaitMs` larger) take a slot and wait for it,
 * since the answer has already begun.
 */
export async function bookSideCall(env: Env, line: SideOperation, maxWaitMs = 1000): Promise<SideBooking> {
  const booking = await budgetStub(env).book(line, maxWaitMs > 1000 ? "normal" : "quiet");
  const wait = booking.at - Date.now();
  if (!booking.booked || wait > maxWaitMs) return { ok: false, retryAfterMs: Math.max(1000, wait) };
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return { ok: true };
}

/** The service met a throttling error on `line` anyway (another tool shares the account): the line shrinks. */
export async function sideThrottled(env: Env, line: SideOperation): Promise<void> {
  await budgetStub(env).throttled(line);
}
