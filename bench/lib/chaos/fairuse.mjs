/**
 * Figures of the fair-use scenario (`--greedy` with `--limits`): what the greedy user was told
 * (its 429s, which limit, how long Retry-After asked it to wait), and whether the other users'
 * runs progressed as fast as in the same pass of the same plan without the greedy user. Pure
 * functions of what the campaign recorded.
 */
import { round, summary } from "../stats.mjs";
import { GREEDY_USER } from "./plan.mjs";

/** The settings a 429's message names, in the order they are looked for. */
const LIMIT_NAMES = ["WES_USER_MAX_ACTIVE_RUNS", "WES_USER_SUBMISSIONS_PER_MINUTE"];

const secs = (ms) => round(ms / 1000, 1);
const dist = (list) => {
  const s = summary(list);
  return { n: s.n, p50: secs(s.p50), p95: secs(s.p95), max: secs(s.max) };
};

/**
 * The greedy user's 429 answers to POST /runs: how many, by the limit their message names, and the
 * Retry-After they carried (seconds).
 * @param {{kind: string, user: string, status: number, retryAfter?: string, error?: string}[]} responses
 */
export function greedyRefusals(responses) {
  const refused = responses.filter((r) => r.user === GREEDY_USER && r.status === 429);
  const byLimit = {};
  for (const r of refused) {
    const name = LIMIT_NAMES.find((n) => (r.error ?? "").includes(n)) ?? "unnamed";
    byLimit[name] = (byLimit[name] ?? 0) + 1;
  }
  const waits = refused.map((r) => Number(r.retryAfter)).filter((n) => Number.isFinite(n));
  return {
    answers429: refused.length,
    byLimit,
    retryAfterSeconds: waits.length > 0 ? { min: Math.min(...waits), p50: summary(waits).p50, max: Math.max(...waits) } : undefined,
  };
}

/**
 * How fast the ordinary users' runs that the plan never cancels went (wall seconds): from the
 * 200 of POST /runs to HealthOmics creating the run (the start queue), and to the final state
 * being written.
 * @param {{index: number, user: string, acceptedAt?: number, finalWrittenAt?: number, omics?: {createdAt: number}}[]} records  perRunRecords
 * @param {Set<number>} cancelled  plan indexes of the runs the plan cancels
 */
export function progressOfOthers(records, cancelled) {
  const mine = records.filter((r) => r.user !== GREEDY_USER && !cancelled.has(r.index) && r.acceptedAt !== undefined);
  return {
    toStart: dist(mine.flatMap((r) => (r.omics ? [r.omics.createdAt - r.acceptedAt] : []))),
    toFinal: dist(mine.flatMap((r) => (r.finalWrittenAt ? [r.finalWrittenAt - r.acceptedAt] : []))),
  };
}

/**
 * `with / without` per figure and percentile (2 decimals); the ratio is undefined where a side has no value.
 * @typedef {{withGreedy: number, withoutGreedy: number, ratio: number | undefined}} Ratio
 * @returns {{toStart: {p50: Ratio, p95: Ratio}, toFinal: {p50: Ratio, p95: Ratio}}}
 */
export function compareProgress(withGreedy, without) {
  /** @param {"toStart" | "toFinal"} figure @param {"p50" | "p95"} q */
  const ratio = (figure, q) => {
    const a = withGreedy[figure][q];
    const b = without[figure][q];
    return { withGreedy: a, withoutGreedy: b, ratio: Number.isFinite(a) && Number.isFinite(b) && b > 0 ? round(a / b, 2) : undefined };
  };
  return {
    toStart: { p50: ratio("toStart", "p50"), p95: ratio("toStart", "p95") },
    toFinal: { p50: ratio("toFinal", "p50"), p95: ratio("toFinal", "p95") },
  };
}
