/**
 * One Durable Object per WES run (named by run id). It owns the run's execution once POST /runs
 * hands it over: each alarm performs one step — start, poll, task sync, cancel or finish — and
 * schedules the next, so there is no sleep loop and exactly one alarm is pending while the run is
 * live (none once it is final). State lives in the object's storage (see run-state.ts); D1 gets
 * facts only when something changed. See docs/architecture.md for the state machine.
 */
import { DurableObject } from "cloudflare:workers";
import { database } from "../db/client";
import { applyRunChange, loadRun } from "../db/run-updates";
import { BUDGET_OPERATIONS, type BudgetOperation } from "../budget/budget-config";
import { eventsSettings } from "../events/events-config";
import { budgetGate, budgetStub, holdSlot, NOW_TOLERANCE_MS } from "./budget-gate";
import { executorSettings } from "../executor-config";
import type { CancelOutcome } from "../executors/executor";
import { omicsClient } from "../executors/healthomics/factory";
import { describeError, log } from "../log";
import { isFinal } from "../wes/states";
import { initialState, upgradeState, type RunState } from "./run-state";
import { iso, type NextStep, type StepContext } from "./step-context";
import { stepCancel } from "./step-cancel";
import { stepFinish } from "./step-finish";
import { stepPoll } from "./step-poll";
import { stepStart } from "./step-start";
import { stepSync } from "./step-sync";

const STATE = "state";

/** What the scheduled sweep found when it checked a run's object. */
export type SweepResult = "scheduled" | "rearmed" | "handed-over" | "finished";

/** The HealthOmics call each step books a slot for. */
const CALL_OF: Record<ReturnType<typeof stepFor>, BudgetOperation | undefined> = {
  start: "StartRun",
  cancel: "CancelRun",
  sync: "ListRunTasks",
  poll: "GetRun",
  finish: undefined,
};

/** The step the next alarm performs for this state at `now`. */
function stepFor(state: RunState, now: number): "start" | "cancel" | "sync" | "finish" | "poll" {
  return state.phase !== "started"
    ? "start"
    : state.cancelRequested && !state.cancelSent && !state.terminal
      ? "cancel"
      : state.syncDue && !pollSlotFirst(state, now)
        ? "sync"
        : state.terminal
          ? "finish"
          : "poll";
}

/**
 * A task sync normally goes before the next poll; but when the poll's booked GetRun slot has come
 * and the sync's own ListRunTasks slot is later (or not booked yet), the poll goes first: its slot
 * would otherwise pass unused while still having held back every later GetRun booking.
 */
function pollSlotFirst(state: RunState, now: number): boolean {
  const poll = state.reservations?.GetRun;
  if (state.terminal || !poll || poll.at > now + NOW_TOLERANCE_MS) return false;
  const sync = state.reservations?.ListRunTasks;
  return !sync || sync.at > poll.at;
}

/** The earliest booked slot of a call the run makes next: its next step's, and its poll's while a task sync comes first. */
function heldSlotAhead(state: RunState, upcoming: ReturnType<typeof stepFor>): number | undefined {
  const calls: Array<BudgetOperation | undefined> = [CALL_OF[upcoming], upcoming === "sync" && !state.terminal ? "GetRun" : undefined];
  const times = calls.flatMap((call) => {
    const slot = call ? state.reservations?.[call] : undefined;
    return slot ? [slot.at] : [];
  });
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** The run's Durable Object. Public surface: start, cancel, nudge, ensureScheduled, describe. */
export class RunObject extends DurableObject<Env> {
  async #load(): Promise<RunState | undefined> {
    return upgradeState(await this.ctx.storage.get(STATE), Date.now(), this.#pollMinMs());
  }

  /** The minimum poll interval, or a safe default when execution is misconfigured (cancel still works). */
  #pollMinMs(): number {
    try {
      return executorSettings(this.env).pollMinMs;
    } catch {
      return 10_000;
    }
  }

  async #save(state: RunState): Promise<void> {
    await this.ctx.storage.put(STATE, state);
  }

  async #arm(at: number): Promise<void> {
    await this.ctx.storage.setAlarm(at);
  }

  /** Takes over a newly stored run (idempotent: a repeated hand-over changes nothing). */
  async start(runId: string): Promise<void> {
    const state = await this.#load();
    if (!state) {
      // An empty object of a run that finished (and was forgotten) or was deleted stays empty.
      const row = await loadRun(database(this.env.DB), runId);
      if (!row || isFinal(row.state)) return;
      await this.#save(initialState(runId, Date.now(), this.#pollMinMs()));
      await this.#arm(Date.now());
      return;
    }
    if (state.phase !== "finished" && (await this.ctx.storage.getAlarm()) === null) await this.#arm(Date.now());
  }

  /**
   * Cancels the run. Before any StartRun could reach HealthOmics the run becomes CANCELED at once
   * and StartRun is never sent; afterwards it becomes CANCELING and the next alarm sends
   * CancelRun (or, if StartRun is in flight, as soon as it answers).
   */
  async cancel(runId: string, by: string): Promise<CancelOutcome> {
    const db = database(this.env.DB);
    const now = Date.now();
    const state = (await this.#load()) ?? initialState(runId, now, this.#pollMinMs());
    if (state.phase === "finished") {
      const row = await loadRun(db, runId);
      return { kind: "final", state: row?.state ?? state.reportedState };
    }
    if (state.phase === "queued") {
      const result = await applyRunChange(db, runId, {
        state: "CANCELED",
        endTime: iso(now),
        exitCode: 1,
        canceledBy: by,
        cancelRequestedAt: now,
        logLines: [`${iso(now)} Canceled by ${by} before it was submitted to HealthOmics.`],
      });
      if (!result.applied) return { kind: "final", state: result.state ?? "UNKNOWN" };
      // Re-read: storage is consistent, but keep the freshest copy of any concurrent change.
      const latest = (await this.#load()) ?? state;
      if (latest.phase === "queued") {
        latest.phase = "finished";
        latest.cancelRequested = true;
        latest.cancelRequestedBy = by;
        latest.reportedState = "CANCELED";
        await this.#save(latest);
        await this.ctx.storage.deleteAlarm();
        await budgetStub(this.env).dequeueStart(runId);
        return { kind: "canceled" };
      }
    }
    if (state.cancelRequested) return { kind: "canceling" };
    const result = await applyRunChange(db, runId, {
      state: "CANCELING",
      canceledBy: by,
      cancelRequestedAt: now,
      logLines: [`${iso(now)} Cancel requested by ${by}.`],
    });
    if (!result.applied && result.state && isFinal(result.state)) return { kind: "final", state: result.state };
    const latest = (await this.#load()) ?? state;
    latest.cancelRequested = true;
    latest.cancelRequestedBy = by;
    latest.reportedState = "CANCELING";
    await this.#save(latest);
    await this.#arm(now);
    return { kind: "canceling" };
  }

  /**
   * Wakes the run now: a HealthOmics event said its status (`run`, with the status it announces)
   * or one of its tasks (`task`) changed. The next step reads the truth from HealthOmics, so a
   * stale event does no harm.
   */
  async nudge(kind: "run" | "task" = "run", status?: string): Promise<void> {
    const state = await this.#load();
    if (!state || state.phase === "finished") return;
    const now = Date.now();
    state.lastEventAt = now;
    const live = state.phase === "started" && !state.terminal;
    if (kind === "task") {
      state.lastTaskEventAt = now;
      if (live) state.syncDue = true;
    }
    // What the event says about the run itself: a run event its status (nothing new when a poll
    // already showed it: a duplicate or late event); a task event that the run is RUNNING, which
    // is news only while we have not seen it so.
    const announced = kind === "run" ? status : "RUNNING";
    const runNews = announced === undefined || announced !== state.omicsStatus;
    if (runNews && (kind === "run" || !state.terminal)) {
      state.lastRunEventAt = now;
      state.announcedStatus = announced;
      if (live) state.pollDue = true;
      // Watch closely until a poll shows what the event announced (GetRun may lag the event).
      state.pollIntervalMs = Math.min(state.pollIntervalMs, this.#pollMinMs());
    }
    await this.#save(state);
    if (runNews || kind === "task") await this.#arm(now);
  }

  /**
   * The budget's start queue says it is this run's turn to call StartRun (its slot is `slotAt`). Returns false when the
   * run no longer wants to start (cancelled, finished, already started), so the slot goes to the next run.
   */
  async grantStart(slotAt = Date.now()): Promise<boolean> {
    const state = await this.#load();
    if (!state || (state.phase !== "queued" && state.phase !== "starting") || state.startGranted) return false;
    state.startGranted = true;
    // The grant is a booked StartRun slot: a run that wakes too late for it books a new one (budget-gate.ts).
    // Lateness counts from when the grant arrived, not from the dispatcher's clock.
    holdSlot(state, "StartRun", { at: Math.max(slotAt, Date.now()) });
    await this.#save(state);
    await this.#arm(Date.now());
    return true;
  }

  /** Used by the scheduled sweep: makes sure a live run has a pending alarm. */
  async ensureScheduled(runId: string): Promise<SweepResult> {
    const state = await this.#load();
    if (!state) {
      const row = await loadRun(database(this.env.DB), runId);
      if (!row || isFinal(row.state)) return "finished";
      await this.start(runId);
      return "handed-over";
    }
    if (state.phase === "finished") return "finished";
    if ((await this.ctx.storage.getAlarm()) !== null) return "scheduled";
    await this.#arm(Date.now());
    return "rearmed";
  }

  /** Deletion of a final run: wipes the object's storage and alarm and the run's budget rows, so nothing of it is left. */
  async forget(runId: string): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    await budgetStub(this.env).dequeueStart(runId);
  }

  /** The stored state, for operators and tests. */
  async describe(): Promise<RunState | null> {
    return (await this.#load()) ?? null;
  }

  /** One lifecycle step. Idempotent: a duplicated or late alarm re-reads the state and does the right next thing. */
  override async alarm(): Promise<void> {
    const state = await this.#load();
    if (!state || state.phase === "finished") return;
    const settings = executorSettings(this.env);
    const ctx: StepContext = {
      runId: state.runId,
      db: database(this.env.DB),
      client: omicsClient(settings, (operation) => {
        // Throttled despite the budget (another tool shares the account): shrink the budget.
        if ((BUDGET_OPERATIONS as readonly string[]).includes(operation)) this.ctx.waitUntil(budgetStub(this.env).throttled(operation as BudgetOperation));
      }),
      settings,
      events: eventsSettings(this.env),
      budget: budgetGate(
        this.env,
        state.runId,
        () => Date.now(),
        () => this.#load(),
        (s) => this.#save(s),
      ),
      storage: this.ctx.storage,
      now: () => Date.now(),
      random: () => Math.random(),
      load: () => this.#load(),
      save: (s) => this.#save(s),
    };
    let next: NextStep;
    const step = stepFor(state, Date.now());
    try {
      next =
        step === "start"
          ? await stepStart(ctx, state)
          : step === "cancel"
            ? await stepCancel(ctx, state)
            : step === "sync"
              ? await stepSync(ctx, state)
              : step === "finish"
                ? await stepFinish(ctx, state)
                : await stepPoll(ctx, state);
    } catch (error) {
      log("error", "run.step_failed", { runId: state.runId, step, error: describeError(error) });
      throw error; // the platform retries the alarm; the scheduled sweep re-arms it if that gives up
    }
    const latest = await this.#load();
    if (next === null || !latest || latest.phase === "finished") {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    // A cancel, event or start grant that arrived during the step must not wait for the step's own
    // schedule (unless the call it needs already holds a booked slot: then that slot is the time).
    // Only news from during the step counts: a step that failed keeps its own backoff.
    const upcoming = stepFor(latest, Date.now());
    const held = heldSlotAhead(latest, upcoming);
    if (held !== undefined) {
      // A call the run makes next already has a booked slot (e.g. a poll's, kept while a task sync waits): use it.
      next = Math.min(next, held);
    } else {
      const runEventDuring = latest.lastRunEventAt !== state.lastRunEventAt;
      const taskEventDuring = latest.lastTaskEventAt !== state.lastTaskEventAt;
      const news = upcoming !== step || runEventDuring || taskEventDuring || latest.cancelRequested !== state.cancelRequested;
      if (news && (upcoming === "cancel" || upcoming === "sync")) next = Math.min(next, Date.now());
      // A run event during a poll: that GetRun may have answered just before the change it announces.
      if (runEventDuring && upcoming === "poll") next = Math.min(next, Date.now());
      if (upcoming === "start" && latest.startGranted && !state.startGranted) next = Math.min(next, Date.now());
    }
    latest.nextAt = next;
    await this.#save(latest);
    await this.#arm(next);
  }
}
