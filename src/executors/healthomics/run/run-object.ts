/**
 * One Durable Object per WES run (named by run id), the HealthOmics executor's owner of the run
 * once POST /runs hands it over. A thin shell: the alarm runs shell.ts's loop (load, decide, run
 * the step, replay news, save, set the one alarm) over the object's storage; the RPCs record news
 * (news.ts). State layout: run-state.ts; D1 gets facts only when they change.
 */
import { runPackages } from "../packages/run-packages";
import { DurableObject } from "cloudflare:workers";
import { isBudgetOperation } from "../../../budget/budget-config";
import { budgetStub } from "../../../budget/stub";
import { database } from "../../../db/client";
import { applyRunChange, loadRun } from "../../../db/run-updates";
import { eventsSettings } from "../../../events/events-config";
import { executorSettings } from "../../../executor-config";
import { describeError, log } from "../../../log";
import { isFinal } from "../../../wes/states";
import type { CancelOutcome } from "../../executor";
import { omicsClient } from "../client/factory";
import { budgetGate } from "./budget-gate";
import { d1Store } from "./d1-store";
import { wantsStartGrant } from "./news";
import type { RemovalRequest } from "./removal-request";
import { initialState, type Removal, type RunState } from "./run-state";
import { RunShell, type RunHost } from "./shell";
import { upgradeState } from "./state-upgrade";
import { iso, type StepContext } from "./step-context";
import { s3Client } from "../aws/s3-factory";
import { readRunOutputs } from "../outputs/read-outputs";

const STATE = "state";
/** The minimum poll interval when execution settings are broken (a cancel must still work). */
const FALLBACK_POLL_MIN_MS = 10_000;

/** What the scheduled sweep found when it checked a run's object. */
export type SweepResult = "scheduled" | "rearmed" | "handed-over" | "finished";

/** The run's Durable Object. Public surface: start, cancel, nudge, grantStart, ensureScheduled, forget, describe. */
export class RunObject extends DurableObject<Env> {
  // The host is private: none of its methods may become callable over RPC.
  readonly #host: RunHost = {
    load: () => this.#load(),
    save: (state) => this.#save(state),
    getAlarm: () => this.ctx.storage.getAlarm(),
    setAlarm: async (at) => {
      if (this.#wiped) return;
      await (at === undefined ? this.ctx.storage.deleteAlarm() : this.ctx.storage.setAlarm(at));
    },
    wipe: (runId) => this.#wipe(runId),
    now: () => Date.now(),
    pollMinMs: () => this.#pollMinMs(),
    context: (state, load) => this.#context(state, load),
  };
  readonly #shell = new RunShell(this.#host);
  /** Set once the object wiped itself: nothing still in flight in this instance writes back. */
  #wiped = false;

  async #load(): Promise<RunState | undefined> {
    return upgradeState(await this.ctx.storage.get(STATE), Date.now(), this.#pollMinMs());
  }

  async #save(state: RunState): Promise<void> {
    if (this.#wiped) return;
    await this.ctx.storage.put(STATE, state);
  }

  /** The end of a removal: the run's budget rows, then the alarm and all storage. */
  async #wipe(runId: string): Promise<void> {
    // The budget first: should it fail, the alarm is retried with the removal still stored.
    await budgetStub(this.env).dequeueStart(runId);
    this.#wiped = true;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  /** The minimum poll interval, or a safe default when execution is misconfigured (cancel still works). */
  #pollMinMs(): number {
    try {
      return executorSettings(this.env).pollMinMs;
    } catch {
      return FALLBACK_POLL_MIN_MS;
    }
  }

  #context(state: RunState, load: () => Promise<RunState | undefined>): StepContext {
    const settings = executorSettings(this.env);
    const budget = budgetStub(this.env);
    const client = omicsClient(settings, (operation) => {
      // Throttled despite the budget (another tool shares the account): shrink the budget.
      if (isBudgetOperation(operation)) this.ctx.waitUntil(budget.throttled(operation));
    });
    return {
      runId: state.runId,
      store: d1Store(database(this.env.DB)),
      client,
      packages: runPackages(this.env, settings, client),
      settings,
      events: eventsSettings(this.env),
      budget: budgetGate(budget, state.runId, () => Date.now()),
      tasks: { get: (key) => this.ctx.storage.get(key), put: (entries) => this.ctx.storage.put(entries) },
      // The step books its S3 calls on the budget's S3Read line before it reads.
      outputs: (location, type) => readRunOutputs(s3Client(settings), location, type, async () => {}),
      // The remove step books its S3 calls (S3Read, S3Write) before it calls.
      s3: s3Client(settings),
      now: () => Date.now(),
      random: () => Math.random(),
      load,
      save: (s) => this.#save(s),
    };
  }

  /** Takes over a newly stored run (idempotent: a repeated hand-over changes nothing). */
  async start(runId: string): Promise<void> {
    const state = await this.#load();
    if (!state) {
      // An empty object of a run that finished (and was forgotten) or was deleted stays empty.
      const row = await loadRun(database(this.env.DB), runId);
      if (!row || isFinal(row.state)) return;
      const created = initialState(runId, Date.now(), this.#pollMinMs());
      await this.#save(created);
      await this.#shell.schedule(created);
      return;
    }
    if (state.phase !== "finished" && (await this.ctx.storage.getAlarm()) === null) await this.#shell.schedule(state);
  }

  /**
   * Cancels the run. Before any StartRun could reach HealthOmics the run becomes CANCELED at once
   * and StartRun is never sent; afterwards it becomes CANCELING and the next alarm sends
   * CancelRun (or, if StartRun is in flight, as soon as it answers).
   */
  async cancel(runId: string, by: string): Promise<CancelOutcome> {
    const db = database(this.env.DB);
    const now = Date.now();
    const stored = await this.#load();
    if (stored?.phase === "finished" || stored?.phase === "removing") {
      const row = await loadRun(db, runId);
      return { kind: "final", state: row?.state ?? (stored.phase === "removing" ? "deleted" : stored.reportedState) };
    }
    if (stored?.cancelRequested) return { kind: "canceling" };
    if (!stored) {
      // Never handed over (the sweep has not caught up yet): the run row says whether it exists.
      const row = await loadRun(db, runId);
      if (!row) return { kind: "final", state: "deleted" };
      if (isFinal(row.state)) return { kind: "final", state: row.state };
      await this.#save(initialState(runId, now, this.#pollMinMs()));
    }
    // Recorded before anything leaves the object: from now on a start step sees the cancel and
    // cannot send StartRun.
    const state = (await this.#shell.hear({ kind: "cancel", at: now, by }))!;
    if (state.phase === "queued") {
      const result = await applyRunChange(db, runId, {
        state: "CANCELED",
        endTime: iso(now),
        exitCode: 1,
        canceledBy: by,
        cancelRequestedAt: now,
        logLines: [`${iso(now)} Canceled by ${by} before it was submitted to HealthOmics.`],
      });
      const latest = await this.#load();
      if (latest?.phase === "queued") {
        await this.#save({ ...latest, phase: "finished", reportedState: result.state ?? "CANCELED", work: {} });
        await this.ctx.storage.deleteAlarm();
        await budgetStub(this.env).dequeueStart(runId);
      }
      // Otherwise the start step saw the cancel first and ended the run itself.
      const final = result.applied ? "CANCELED" : (result.state ?? "UNKNOWN");
      return final === "CANCELED" ? { kind: "canceled" } : { kind: "final", state: final };
    }
    const result = await applyRunChange(db, runId, {
      state: "CANCELING",
      canceledBy: by,
      cancelRequestedAt: now,
      logLines: [`${iso(now)} Cancel requested by ${by}.`],
    });
    if (!result.applied && result.state && isFinal(result.state)) return { kind: "final", state: result.state };
    return { kind: "canceling" };
  }

  /**
   * A HealthOmics event said the run's status (`run`, with the status it announces) or one of its
   * tasks (`task`) changed. The next step reads the truth from HealthOmics, so a stale event does
   * no harm.
   */
  async nudge(kind: "run" | "task" = "run", status?: string): Promise<void> {
    const at = Date.now();
    await this.#shell.hear(kind === "run" ? { kind: "run-event", at, status } : { kind: "task-event", at });
  }

  /**
   * The budget's start queue says it is this run's turn to call StartRun (its slot is `slotAt`).
   * Returns false when the run no longer wants to start (finished, started, or already granted),
   * so the slot goes to the next run.
   */
  async grantStart(slotAt = Date.now()): Promise<boolean> {
    const state = await this.#load();
    if (!state || !wantsStartGrant(state)) return false;
    await this.#shell.hear({ kind: "start-grant", at: Date.now(), slotAt });
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
    await this.#shell.schedule(state);
    return "rearmed";
  }

  /**
   * Drops this instance, as the platform may at any time: the next call or alarm starts a fresh
   * one from storage, and a step in progress is cut off (its alarm is retried). The call itself
   * ends with the abort error. Only the development hook calls it (src/dev/hooks.ts, through the
   * executor's `evict`); an RPC method is not reachable from outside the Worker.
   */
  async evict(): Promise<void> {
    this.ctx.abort("evicted by the development hook");
  }

  /**
   * Deletion of a final run: from now on the object only removes what is left of the run — the
   * HealthOmics run when asked, the S3 folders named — as its `remove` work (step-remove.ts, on
   * the budget), then wipes its storage, alarm and budget rows. Durable when this returns (the
   * caller goes on to delete the D1 rows); a failing step is retried by the alarm. Idempotent: a
   * removal already under way carries on as it was asked first. News, hand-overs, grants and the
   * sweep find nothing to do in a removing object, and nothing at all once it is wiped.
   */
  async forget(request: RemovalRequest): Promise<void> {
    this.#wiped = false;
    const stored = await this.#load();
    if (stored?.phase === "removing") {
      if ((await this.ctx.storage.getAlarm()) === null) await this.#shell.schedule(stored);
      return;
    }
    const now = Date.now();
    const removal: Removal = { since: now, folders: [...request.folders], deleted: 0, gaveUp: [] };
    const omicsRunId = request.deleteOmicsRun ? (request.omicsRunId ?? stored?.omicsRunId) : undefined;
    if (omicsRunId) removal.omicsRunId = omicsRunId;
    const base = stored ?? initialState(request.runId, now, this.#pollMinMs());
    const state: RunState = { ...base, phase: "removing", removal, attempt: 0, work: { remove: { at: now } } };
    await this.#save(state);
    await this.#shell.schedule(state);
  }

  /** The stored state, for operators and tests. */
  async describe(): Promise<RunState | null> {
    return (await this.#load()) ?? null;
  }

  /** One step (see RunShell.alarm). */
  override async alarm(): Promise<void> {
    try {
      await this.#shell.alarm();
    } catch (error) {
      log("error", "run.step_failed", { runId: (await this.#load())?.runId, error: describeError(error) });
      throw error; // the platform retries the alarm; the scheduled sweep re-arms it if that gives up
    }
  }
}
