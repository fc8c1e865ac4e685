/**
 * A HealthOmics call a request (not a run) wants to make now, on the shared API budget: a quiet
 * booking takes no slot when the line is busy, and a slot at most a second away is waited for.
 * Runs keep priority; a request that gets no slot skips the call or answers 503.
 */
import type { BudgetOperation } from "./budget-config";
import { budgetStub } from "./stub";

/** Longest wait for a booked slot before the call is given up. */
const MAX_WAIT_MS = 1000;

/** Books one call of `operation`; resolves true when the call may go ahead (after any short wait). */
export async function bookRequestCall(env: Env, operation: BudgetOperation): Promise<boolean> {
  const booking = await budgetStub(env).book(operation, "quiet");
  const wait = booking.at - Date.now();
  if (!booking.booked || wait > MAX_WAIT_MS) return false;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return true;
}
