/**
 * The run's scheduler loop around the pure parts, independent of where the run lives: the
 * Durable Object (run-object.ts), the simulator (sim/) and the step tests each give it a host
 * (storage, alarm, clock, step context). One alarm = load, decide(), run the step, replay the
 * news that arrived while it waited, save, set the one alarm for the earliest due work.
 */
import { decide } from "./decide";
import { applyNews, replayNews, type News } from "./news";
import type { RunState } from "./run-state";
import type { Step, StepContext } from "./step-context";
import { stepCancel } from "./step-cancel";
import { stepFinish } from "./step-finish";
import { stepOutputs } from "./step-outputs";
import { stepPoll } from "./step-poll";
import { stepPrepare } from "./step-prepare";
import { stepRemove } from "./step-remove";
import { stepStart } from "./step-start";
import { stepSync } from "./step-sync";
import type { WorkKind } from "./work";

/** The step that does each kind of work. A new kind of work adds its step here. */
export const STEPS: Record<WorkKind, Step> = {
  remove: stepRemove,
  prepare: stepPrepare,
  start: stepStart,
  cancel: stepCancel,
  sync: stepSync,
  outputs: stepOutputs,
  finish: stepFinish,
  poll: stepPoll,
};

/** Where a run lives. */
export interface RunHost {
  load(): Promise<RunState | undefined>;
  save(state: RunState): Promise<void>;
  getAlarm(): Promise<number | null>;
  /** Sets the alarm, or deletes it (`undefined`). */
  setAlarm(at: number | undefined): Promise<void>;
  /** Deletes everything the run's object keeps (storage, alarm, budget rows): its removal is done. */
  wipe(runId: string): Promise<void>;
  now(): number;
  /** The shortest poll interval (news about the run makes it watched that closely). */
  pollMinMs(): number;
  /** The dependencies of a step; `load` is the state read the step may use (see StepContext). */
  context(state: RunState, load: () => Promise<RunState | undefined>): StepContext;
}

/** News that arrived while one step was in flight; `seen`: how much of it the step already read. */
interface InFlight {
  news: News[];
  seen: number;
}

/** One run's loop. Keep one per run object: it remembers which steps are in flight. */
export class RunShell {
  readonly #inFlight = new Set<InFlight>();

  constructor(readonly host: RunHost) {}

  /** Sets the alarm for `state`'s earliest due work, or deletes it when there is none. */
  async schedule(state: RunState): Promise<void> {
    await this.host.setAlarm(decide(state, this.host.now()).alarmAt);
  }

  /**
   * Records news: applied to the stored state at once, and remembered for a step in flight (if
   * any), which replays it onto its result. Outside a step the alarm is brought forward when the
   * news made work due earlier (never put off).
   */
  async hear(news: News): Promise<RunState | undefined> {
    const state = await this.host.load();
    if (!state) return undefined;
    const next = applyNews(state, news, this.host.pollMinMs());
    if (next === state) return state; // a finished run hears nothing
    await this.host.save(next);
    for (const flight of this.#inFlight) flight.news.push(news);
    if (this.#inFlight.size === 0) {
      const { alarmAt } = decide(next, this.host.now());
      const pending = await this.host.getAlarm();
      if (alarmAt !== undefined && (pending === null || alarmAt < pending)) await this.host.setAlarm(alarmAt);
    }
    return next;
  }

  /**
   * The alarm: runs the step that is due, if any, and sets the next alarm. Idempotent: a
   * duplicated or late alarm re-reads the state and does what is due then. Returns the step run.
   * A step that throws leaves the stored state (with any news) as it was; the caller decides
   * about retries. A removing run whose removal is done is wiped instead of saved.
   */
  async alarm(): Promise<WorkKind | undefined> {
    const state = await this.host.load();
    if (!state || state.phase === "finished") return undefined;
    const { step } = decide(state, this.host.now());
    if (!step) {
      await this.schedule(state); // early (or duplicated): nothing is due yet
      return undefined;
    }
    const flight: InFlight = { news: [], seen: 0 };
    this.#inFlight.add(flight);
    let result: RunState;
    try {
      const load = async () => {
        flight.seen = flight.news.length;
        return await this.host.load();
      };
      result = await STEPS[step](this.host.context(state, load), structuredClone(state));
    } finally {
      this.#inFlight.delete(flight);
    }
    const latest = await this.host.load();
    // A run that finished (a cancel before the start) or began its removal (a deletion) while the
    // step waited keeps that: the step's result is moot.
    const overtaken = latest?.phase === "finished" || (latest?.phase === "removing" && state.phase !== "removing");
    const next = overtaken ? latest : replayNews(result, flight.news.slice(flight.seen), this.host.pollMinMs());
    if (next.phase === "removing" && next.work.remove === undefined) {
      await this.host.wipe(next.runId);
      return step;
    }
    await this.host.save(next);
    await this.schedule(next);
    return step;
  }
}
