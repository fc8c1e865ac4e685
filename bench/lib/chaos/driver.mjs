/**
 * The campaign's clients: each planned run is submitted at its time by its user with its own
 * Idempotency-Key, and retried with the same key after a network error, a 5xx or a 429 (after
 * Retry-After) — as a careful WES client does while the service restarts. Planned cancels follow
 * their run's acceptance, retried the same way. Every answer goes to the WES client's recorder.
 */
import { sleep } from "../clients.mjs";

/**
 * @typedef {object} Submission  what became of one planned run
 * @property {number} index
 * @property {string} user
 * @property {string} workflowId
 * @property {string} [runId]        once accepted
 * @property {number} [acceptedAt]   epoch ms of the 200
 * @property {number} attempts
 * @property {number} refused429     answers 429 (a per-user limit, once those exist)
 * @property {string} [gaveUp]       why it was never accepted
 * @property {{requestedAt: number, answeredAt?: number, status?: number, attempts: number}} [cancel]
 */

/** Backoff between retries of one request: 0.5 s doubling to 8 s. */
function backoff(attempt) {
  return Math.min(8000, 500 * 2 ** Math.min(attempt, 4));
}

/** Seconds of a Retry-After header (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(header) {
  if (header === undefined) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Runs every planned submission and cancel; resolves when all are settled.
 * @param {object} o
 * @param {import("../clients.mjs").WesClient} o.wes
 * @param {import("./plan.mjs").PlannedRun[]} o.runs
 * @param {number} o.t0
 * @param {number} o.durationScale
 * @param {number} o.giveUpAt     epoch ms after which a submission that was never accepted is given up
 * @param {(s: Submission) => void} o.onAccepted
 * @returns {{submissions: Submission[], done: Promise<void>}}
 */
export function drive({ wes, runs, t0, durationScale, giveUpAt, onAccepted }) {
  const submissions = runs.map((r) => ({ index: r.index, user: r.user, workflowId: r.workflowId, attempts: 0, refused429: 0 }));
  const one = async (r, s) => {
    const wait = t0 + r.atMs - Date.now();
    if (wait > 0) await sleep(wait);
    for (;;) {
      s.attempts += 1;
      const res = await wes.submit(r.user, r.workflowId, durationScale, { idempotencyKey: r.key, tags: { chaos: String(r.index) } });
      if (res.status === 200) {
        s.runId = res.runId;
        s.acceptedAt = Date.now();
        onAccepted(s);
        break;
      }
      if (res.status !== 0 && res.status !== 429 && res.status < 500) {
        s.gaveUp = `${res.status} ${res.error}`;
        return;
      }
      if (res.status === 429) s.refused429 += 1;
      if (Date.now() > giveUpAt) {
        s.gaveUp = `still ${res.status} at the give-up time`;
        return;
      }
      await sleep((res.status === 429 ? retryAfterMs(res.retryAfter) : undefined) ?? backoff(s.attempts));
    }
    if (r.cancelAfterMs === undefined) return;
    await sleep(r.cancelAfterMs);
    s.cancel = { requestedAt: Date.now(), attempts: 0 };
    for (;;) {
      s.cancel.attempts += 1;
      const res = await wes.cancel(r.user, s.runId);
      if (res.status !== 0 && res.status < 500) {
        s.cancel.status = res.status;
        s.cancel.answeredAt = Date.now();
        return;
      }
      if (Date.now() > giveUpAt) return;
      await sleep(backoff(s.cancel.attempts));
    }
  };
  const done = Promise.all(runs.map((r, i) => one(r, submissions[i]))).then(() => undefined);
  return { submissions, done };
}
