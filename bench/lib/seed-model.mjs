/**
 * The seed plan's executor (../shared/seed/healthomics-integration-plan.md), computed analytically
 * on the same emulator timelines the service just lived through: StartRun at once, then
 * `while True: GetRun; append a log line and commit; re-insert every task; sleep(30)` until a final
 * status, then one more GetRun for the outputs of a COMPLETED run.
 *
 * D1 writes counted as the seed code issues them: 1 insert at submission, 2 commits when it starts
 * (state RUNNING + a log line), per poll 1 log-line commit (1 row) plus 1 commit re-inserting every
 * task that exists by then (with a real ORM the second insert of the same primary key would
 * fail), and 1 final commit. Staleness: a transition is seen at the first poll at or after it,
 * which for transitions at random times is uniform on 0–30 s (generously assuming the seed mapped
 * every status; its code actually shows RUNNING from the start and only ever writes the final
 * state). The emulator's plans are deterministic, so on its timelines the 30 s lattice would give
 * a few fixed values instead: the uniform figures below are what a real workload gets.
 */

/** The seed's fixed poll interval, real seconds. */
export const SEED_POLL_SECONDS = 30;

/** Staleness of a 30 s loop for transitions at random times: uniform on [0, 30] s. */
export const SEED_STALENESS = { p50: 15, p95: 28.5, p99: 29.7, max: 30, mean: 15 };

/** Transition statuses whose WES state rank the benchmark measures. */
export const MEASURED = { STARTING: 1, RUNNING: 2, COMPLETED: 3, FAILED: 3, CANCELLED: 3 };

/**
 * The seed loop on one run's timeline.
 * @param {{transitions: {status: string, at: string}[], tasks: {transitions: {status: string, at: string}[]}[]}} timeline
 * @param {number} scale
 */
export function seedOnTimeline(timeline, scale) {
  const period = SEED_POLL_SECONDS * 1000 * scale;
  const created = Date.parse(timeline.transitions[0].at);
  const last = timeline.transitions.at(-1);
  const finalAt = Date.parse(last.at);
  const taskCreated = timeline.tasks.map((t) => Date.parse(t.transitions[0].at));
  let polls = 0;
  let rows = 0;
  let statements = 0;
  let pollAt = created;
  for (;;) {
    polls += 1;
    statements += 1; // the status log line
    rows += 1;
    const visible = taskCreated.filter((t) => t <= pollAt).length;
    if (visible > 0) {
      statements += 1;
      rows += visible;
    }
    if (pollAt >= finalAt) break;
    pollAt += period;
  }
  const finalSeenAt = pollAt;
  const staleness = [];
  for (const step of timeline.transitions) {
    if (!(step.status in MEASURED)) continue;
    const at = Date.parse(step.at);
    const seen = created + Math.ceil((at - created) / period) * period;
    staleness.push({ status: step.status, wallMs: seen - at });
  }
  const outputsGetRun = last.status === "COMPLETED" ? 1 : 0;
  return {
    calls: { StartRun: 1, GetRun: polls + outputsGetRun },
    // insert + 2 start commits + polls + the final commit
    d1: { statements: 1 + 2 + statements + 1, rows: 1 + 2 + rows + 1 },
    staleness,
    finalSeenAt,
  };
}
