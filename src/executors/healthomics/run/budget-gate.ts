/**
 * A run's side of the shared API budget (src/budget/). Before each HealthOmics call a step asks
 * `take`: call now, or a due time for its work — a booked slot, or (for a quiet run while the
 * line is busy) when to ask again. The booked slot is kept as the work's due time (work.ts), so
 * the alarm for it calls without asking again. No busy waiting anywhere.
 */
import type { BudgetOperation } from "../../../budget/budget-config";
import type { Booking, CallPriority } from "../../../budget/booking";
import { isDue, type Due } from "./work";

/**
 * A run that wakes more than this after its slot books a new one instead of calling: when an
 * isolate stalls, every alarm it owes fires together, and those calls would reach HealthOmics as
 * one bunch however well their slots were spaced. Each re-booked slot tolerates 4× more lateness
 * (LATE_SLOT_MS × 4^rebooks), and after MAX_REBOOKS the run calls anyway, so a service under
 * sustained overload still makes progress.
 */
export const LATE_SLOT_MS = 1000;
/** Growth of the lateness tolerance with each re-booking. */
export const LATE_TOLERANCE_GROWTH = 4;
/** Most times one call's slot is re-booked for lateness. */
export const MAX_REBOOKS = 3;

/** How late a run may wake for a slot that was re-booked `rebooks` times and still call. */
export function lateTolerance(rebooks: number): number {
  return LATE_SLOT_MS * LATE_TOLERANCE_GROWTH ** rebooks;
}

/** What a held slot means at `now`: not yet (`wait`), woken too late for it (`rebook`), or `call`. */
export function heldSlotVerdict(held: Due, now: number): "wait" | "rebook" | "call" {
  if (!isDue(held, now)) return "wait";
  const rebooks = held.rebooks ?? 0;
  return rebooks < MAX_REBOOKS && now - held.at > lateTolerance(rebooks) ? "rebook" : "call";
}

/** The budget's answer as a due time: a booked slot, or (not booked) when to ask again. */
export function dueOf(booking: Booking, rebooks?: number): Due {
  if (!booking.booked) return { at: booking.at };
  return rebooks === undefined ? { at: booking.at, booked: true } : { at: booking.at, booked: true, rebooks };
}

/** What the budget object offers a run (its RPC stub, or the simulator's in-memory budget). */
export interface BudgetPort {
  book(operation: BudgetOperation, priority: CallPriority, count: number, runId?: string): Promise<Booking>;
  enqueueStart(runId: string, user: string, submittedAt: number, priority: number): Promise<void>;
  dequeueStart(runId: string): Promise<void>;
}

/** Call now, or the due time of the work that wanted the call. */
export type SlotAnswer = { call: true } | { call: false; due: Due };

/** The budget as a step sees it. */
export interface BudgetGate {
  /**
   * A slot for `count` calls of `operation`. `held` is the work's entry: when it is a booked slot,
   * that slot is used (or re-booked if the run woke too late for it) instead of booking another.
   */
  take(operation: BudgetOperation, priority: CallPriority, count: number, held: Due | undefined): Promise<SlotAnswer>;
  /** A spare call (optional extra): true when a slot is free now; nothing is booked otherwise. */
  spare(operation: BudgetOperation): Promise<boolean>;
  /** Queues the run for a fair StartRun slot (`priority`: its HealthOmics priority option). */
  enqueueStart(user: string, submittedAt: number, priority: number): Promise<void>;
  /** The run has finished: drop what the budget keeps about it. */
  forget(): Promise<void>;
}

/** The BudgetGate of one run over `port`. */
export function budgetGate(port: BudgetPort, runId: string, now: () => number): BudgetGate {
  const answer = (booking: Booking, rebooks?: number): SlotAnswer =>
    isDue({ at: booking.at }, now()) ? { call: true } : { call: false, due: dueOf(booking, rebooks) };
  return {
    async take(operation, priority, count, held) {
      if (held?.booked) {
        const verdict = heldSlotVerdict(held, now());
        if (verdict === "wait") return { call: false, due: held };
        if (verdict === "call") return { call: true };
        return answer(await port.book(operation, priority, count, runId), (held.rebooks ?? 0) + 1);
      }
      return answer(await port.book(operation, priority, count, runId));
    },
    async spare(operation) {
      return isDue({ at: (await port.book(operation, "spare", 1, runId)).at }, now());
    },
    async enqueueStart(user, submittedAt, priority) {
      await port.enqueueStart(runId, user, submittedAt, priority);
    },
    async forget() {
      await port.dequeueStart(runId);
    },
  };
}
