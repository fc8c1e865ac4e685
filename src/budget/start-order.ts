/**
 * The fair start queue's order, in memory: the next run to start is the head of the queue of the
 * user served least recently (never served counts as 0; ties by the head's submission, then run
 * id), and a user's own queue is ordered by the HealthOmics `priority` option (higher first), then
 * submission, then run id. The budget object keeps its queue in SQLite (start-queue.ts); this is
 * the same order for the simulator, and a test checks that the two agree.
 */

/** A run waiting for its StartRun slot. */
export interface WaitingStart {
  runId: string;
  user: string;
  submittedAt: number;
  priority: number;
}

/** Order within one user's queue. */
function before(a: WaitingStart, b: WaitingStart): number {
  return b.priority - a.priority || a.submittedAt - b.submittedAt || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0);
}

/** A fair start queue (one per budget). Adding and removing cost O(log n + a user's queue length). */
export class StartQueue {
  readonly #byUser = new Map<string, WaitingStart[]>();
  readonly #served = new Map<string, number>();
  readonly #queued = new Map<string, WaitingStart>();

  /** Runs waiting. */
  get size(): number {
    return this.#queued.size;
  }

  /** Queues a run; a run already queued keeps its place. */
  add(start: WaitingStart): void {
    if (this.#queued.has(start.runId)) return;
    this.#queued.set(start.runId, start);
    const queue = this.#byUser.get(start.user) ?? [];
    queue.splice(this.#place(queue, start), 0, start);
    this.#byUser.set(start.user, queue);
  }

  /** Takes a run off the queue (cancelled or finished); no-op when it is not queued. */
  remove(runId: string): void {
    const start = this.#queued.get(runId);
    if (!start) return;
    this.#queued.delete(runId);
    const queue = this.#byUser.get(start.user)!;
    queue.splice(this.#place(queue, start), 1);
    if (queue.length === 0) this.#byUser.delete(start.user);
  }

  /** The run to grant next, if any. */
  next(): WaitingStart | undefined {
    let best: WaitingStart | undefined;
    for (const [user, queue] of this.#byUser) {
      const head = queue[0]!;
      if (!best) {
        best = head;
        continue;
      }
      const served = (this.#served.get(user) ?? 0) - (this.#served.get(best.user) ?? 0);
      if (served < 0 || (served === 0 && (head.submittedAt < best.submittedAt || (head.submittedAt === best.submittedAt && head.runId < best.runId))))
        best = head;
    }
    return best;
  }

  /** Takes `start` off the queue and records its user as served at `servedSeq` (the back of the round). */
  grant(start: WaitingStart, servedSeq: number): void {
    this.remove(start.runId);
    this.#served.set(start.user, servedSeq);
  }

  /** Where `start` goes in (or is in) its user's sorted queue. */
  #place(queue: WaitingStart[], start: WaitingStart): number {
    let lo = 0;
    let hi = queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(queue[mid]!, start) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
