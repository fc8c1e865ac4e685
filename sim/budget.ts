/**
 * The deployment's API budget in memory, for the simulator and the step tests: the same booking
 * rules (src/budget/booking.ts), AIMD (gcra.ts) and start order (start-order.ts) as the budget
 * Durable Object, on an injected clock. The start dispatcher works as the object's alarm does.
 */
import { bucketOf, quotaOf, type BudgetOperation, type BudgetSettings } from "../src/budget/budget-config";
import { bookCalls, grantSlot, idleLine, lineRate, throttleLine, type Booking, type CallPriority, type RateLine } from "../src/budget/booking";
import { StartQueue } from "../src/budget/start-order";
import type { BudgetPort } from "../src/executors/healthomics/run/budget-gate";

/** Most starts granted per dispatcher turn (as the budget object's alarm). */
const GRANTS_PER_TURN = 50;

/** A budget in memory. */
export class MemoryBudget implements BudgetPort {
  readonly lines = new Map<string, RateLine>();
  readonly queue = new StartQueue();
  #servedSeq = 0;
  /** When the dispatcher wants to run next (undefined: nobody waits). */
  dispatchAt: number | undefined;

  constructor(
    readonly settings: BudgetSettings,
    readonly now: () => number,
  ) {}

  line(bucket: string): RateLine {
    const line = this.lines.get(bucket) ?? idleLine();
    this.lines.set(bucket, line);
    return line;
  }

  #rate(bucket: string, line: RateLine): number {
    return lineRate(line, quotaOf(this.settings, bucket), this.settings.headroom, this.now());
  }

  async book(operation: BudgetOperation, priority: CallPriority, count: number): Promise<Booking> {
    const bucket = bucketOf(this.settings, operation);
    const line = this.line(bucket);
    return bookCalls(line, this.#rate(bucket, line), priority, count, this.now());
  }

  /** A ThrottlingException met despite the budget. */
  throttled(operation: BudgetOperation): void {
    throttleLine(this.line(bucketOf(this.settings, operation)), this.now());
  }

  async enqueueStart(runId: string, user: string, submittedAt: number, priority: number): Promise<void> {
    this.queue.add({ runId, user, submittedAt, priority });
    this.dispatchAt ??= this.now();
  }

  async dequeueStart(runId: string): Promise<void> {
    this.queue.remove(runId);
  }

  /**
   * One dispatcher turn: grants StartRun slots in fair order while the line has one free, waking
   * each run with `grant` (false: it no longer wants one, the slot goes unused). Sets `dispatchAt`.
   */
  async dispatch(grant: (runId: string, slotAt: number) => Promise<boolean>): Promise<void> {
    this.dispatchAt = undefined;
    for (let granted = 0; granted < GRANTS_PER_TURN; ) {
      const next = this.queue.next();
      if (!next) return;
      const now = this.now();
      const bucket = bucketOf(this.settings, "StartRun");
      const line = this.line(bucket);
      const slot = grantSlot(line, this.#rate(bucket, line), now);
      if ("wait" in slot) {
        this.dispatchAt = now + slot.wait;
        return;
      }
      this.queue.grant(next, ++this.#servedSeq);
      if (await grant(next.runId, now)) granted += 1;
    }
    this.dispatchAt = this.now();
  }
}
