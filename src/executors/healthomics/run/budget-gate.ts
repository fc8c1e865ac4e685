/**
 * A run's side of the shared API budget (src/budget/budget-object.ts). Before each HealthOmics
 * call a step asks `reserve`: `null` means call now; a time means the slot is booked (or, for a
 * quiet run, the line is busy) and the step returns that time as its next alarm — no busy wait.
 * A booked slot is remembered in the run's state (one per operation) so the alarm for it calls
 * without asking again.
 */
import type { CallPriority } from "../../../budget/budget-object";
import { budgetSettings, type BudgetOperation } from "../../../budget/budget-config";
import type { HeldSlot, RunState } from "./run-state";

/** Slots this close to now count as "now". */
export const NOW_TOLERANCE_MS = 50;

/**
 * A run that wakes more than this after its slot books a new one instead of calling: when an
 * isolate stalls, every alarm it owes fires together, and those calls would reach HealthOmics as
 * one bunch however well their slots were spaced. Each re-booked slot tolerates 4× more lateness
 * (1 s, 4 s, 16 s), and after MAX_REBOOKS the run calls anyway, so a service under sustained
 * overload still makes progress. One second of lateness is a bunch the quota's token bucket
 * absorbs at 0.8 of the rate; a stricter 250 ms re-booked (and sent to the back of a saturated
 * line) 40 % of the polls in the 1,000-run events benchmark, where the isolate was merely busy.
 */
export const LATE_SLOT_MS = 1000;
/** Most times one call's slot is re-booked for lateness. */
export const MAX_REBOOKS = 3;

/** How late a run may wake for a slot that was re-booked `rebooks` times and still call. */
export function lateTolerance(rebooks: number): number {
  return LATE_SLOT_MS * 4 ** rebooks;
}

/**
 * Records (or, with `undefined`, drops) the slot the run holds for `operation`. Slots of other
 * operations stay: a run may hold a poll's slot while a task sync waits for its own.
 */
export function holdSlot(state: RunState, operation: BudgetOperation, slot: HeldSlot | undefined): void {
  const reservations = { ...state.reservations };
  if (slot) reservations[operation] = slot;
  else delete reservations[operation];
  if (Object.keys(reservations).length > 0) state.reservations = reservations;
  else delete state.reservations;
}

/** The budget as a step sees it. */
export interface BudgetGate {
  /** `null`: call `operation` now (`count` calls); a number: come back at that time. */
  reserve(operation: BudgetOperation, priority: CallPriority, count?: number): Promise<number | null>;
  /** Queues the run for a fair StartRun slot (`priority`: its HealthOmics priority option). */
  enqueueStart(user: string, submittedAt: number, priority?: number): Promise<void>;
  /** The run has finished: drop what the budget keeps about it. */
  forget(): Promise<void>;
}

/** The budget object's stub (one per deployment). */
export function budgetStub(env: Env) {
  budgetSettings(env); // a bad HEALTHOMICS_QUOTAS is a ConfigError here, not a lost error inside the object
  return env.BUDGET_OBJECT.get(env.BUDGET_OBJECT.idFromName("global"));
}

/**
 * A BudgetGate for one run, reading and writing its held slots through `load`/`save`. `stub` is
 * the deployment's budget object unless another is given (tests use one of their own).
 */
export function budgetGate(
  env: Env,
  runId: string,
  now: () => number,
  load: () => Promise<RunState | undefined>,
  save: (state: RunState) => Promise<void>,
  stub: ReturnType<typeof budgetStub> = budgetStub(env),
): BudgetGate {
  return {
    async reserve(operation, priority, count = 1) {
      let state = await load();
      const held = state?.reservations?.[operation];
      if (state && held) {
        if (held.at > now() + NOW_TOLERANCE_MS) return held.at;
        const rebooks = held.rebooks ?? 0;
        if (rebooks < MAX_REBOOKS && now() - held.at > lateTolerance(rebooks)) {
          const booking = await stub.book(operation, priority, count, runId);
          state = await load();
          if (!state) return null;
          if (booking.at > now() + NOW_TOLERANCE_MS) {
            // A quiet run told to come back later (not booked) holds nothing until then.
            holdSlot(state, operation, booking.booked ? { at: booking.at, rebooks: rebooks + 1 } : undefined);
            await save(state);
            return booking.at;
          }
        }
        holdSlot(state, operation, undefined);
        await save(state);
        return null;
      }
      const booking = await stub.book(operation, priority, count, runId);
      if (booking.at <= now() + NOW_TOLERANCE_MS) return null;
      if (booking.booked) {
        state = await load(); // a cancel may have come in while we asked
        if (!state) return null;
        holdSlot(state, operation, { at: booking.at });
        await save(state);
      }
      return booking.at;
    },
    async enqueueStart(user, submittedAt, priority) {
      await stub.enqueueStart(runId, user, submittedAt, priority ?? 0);
    },
    async forget() {
      await stub.dequeueStart(runId);
    },
  };
}
