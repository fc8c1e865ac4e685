/**
 * What the outside world tells a run between its steps — a cancel, a HealthOmics event, a start
 * grant — and what that does to its state. News only ever records facts and makes work due
 * earlier (work.ts `wantBy`; a booked slot counts as earliest and is never replaced); it never
 * puts work off. The loop (shell.ts) applies news to the stored state at once, and replays the
 * news that came in while a step waited on HealthOmics or D1 onto that step's result: because
 * applying news only lowers due times and applying it twice is the same as once, the replay is
 * the per-kind minimum of the step's schedule and the news (test/unit/run-news.test.ts).
 */
import type { RunState } from "./run-state";
import { wantBy } from "./work";

/** One piece of news, stamped with when it arrived (`at`, epoch ms). */
export type News =
  /** A user asked to cancel the run. */
  | { kind: "cancel"; at: number; by: string }
  /** A Run Status Change event, with the status it announces. */
  | { kind: "run-event"; at: number; status?: string }
  /** A Task Status Change event. */
  | { kind: "task-event"; at: number }
  /** The budget's start queue granted a StartRun slot at `slotAt`. */
  | { kind: "start-grant"; at: number; slotAt: number };

/** Whether the run still wants a start grant (it is not started, not finished, and holds none). */
export function wantsStartGrant(state: RunState): boolean {
  return (state.phase === "queued" || state.phase === "starting") && !state.work.start?.booked;
}

/**
 * The state after `news`, as a new object (the argument is left as it was). `pollMinMs` is the
 * shortest poll interval: a run event makes the run watched that closely until a poll shows what
 * it announced.
 */
export function applyNews(state: RunState, news: News, pollMinMs: number): RunState {
  // A finished run hears nothing, and neither does one being deleted.
  if (state.phase === "finished" || state.phase === "removing") return state;
  const next: RunState = { ...state, work: { ...state.work } };
  const live = next.phase === "started" && !next.terminal;
  switch (news.kind) {
    case "cancel":
      if (!next.cancelRequested) {
        next.cancelRequested = true;
        next.cancelRequestedBy = news.by;
      }
      if (next.phase !== "queued" && !next.terminal) next.reportedState = "CANCELING";
      if (!next.cancelSent && !next.terminal) next.work.cancel = wantBy(next.work.cancel, news.at, { woken: true });
      return next;
    case "start-grant":
      if (!wantsStartGrant(next)) return next;
      // The grant is a booked StartRun slot; lateness counts from when it arrived, not from the dispatcher's clock.
      next.work.start = { at: Math.max(news.slotAt, news.at), booked: true };
      return next;
    case "task-event":
      next.lastEventAt = news.at;
      next.lastTaskEventAt = news.at;
      if (live) next.work.sync = wantBy(next.work.sync, news.at, { woken: true });
      // A task event also says the run itself is RUNNING: news while no poll has shown that yet.
      return next.terminal || next.omicsStatus === "RUNNING" ? next : announce(next, news.at, "RUNNING", pollMinMs);
    case "run-event":
      next.lastEventAt = news.at;
      // Announcing what a poll already showed (a duplicate or late event) wakes nothing.
      return news.status !== undefined && news.status === next.omicsStatus ? next : announce(next, news.at, news.status, pollMinMs);
  }
}

/** The run announced `status` (undefined: some change): poll it at once, and closely until a poll shows it. */
function announce(state: RunState, at: number, status: string | undefined, pollMinMs: number): RunState {
  state.lastRunEventAt = at;
  state.announcedStatus = status;
  if (state.phase === "started" && !state.terminal) {
    state.work.poll = wantBy(state.work.poll, at, { woken: true });
    state.pollIntervalMs = Math.min(state.pollIntervalMs, pollMinMs);
  }
  return state;
}

/** `news` applied in order (the replay of what arrived during a step). */
export function replayNews(state: RunState, news: readonly News[], pollMinMs: number): RunState {
  return news.reduce((s, n) => applyNews(s, n, pollMinMs), state);
}
