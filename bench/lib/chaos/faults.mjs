/**
 * The faults the emulator injects during the chaos pass, at steady rates, on every HealthOmics
 * call the service makes — and what the request log shows was injected.
 *
 * The emulator checks "before" rules in order and the first that fires wins (docs/emulator.md),
 * so each rule's own rate is conditional on the earlier ones not firing: that makes the shares of
 * all calls come out as asked (20 % 5xx, 10 % throttled, 5 % dropped). `afterProcessing` rules fire
 * only on calls no "before" rule hit: HealthOmics performed the StartRun or CancelRun, and the
 * answer is replaced by a 500 or a dropped connection.
 */
import { RUN_OPERATIONS } from "../analyze.mjs";

/**
 * @typedef {object} FaultRates
 * @property {number} error      share of calls answered InternalServerException (500)
 * @property {number} throttle   share answered ThrottlingException (429)
 * @property {number} drop       share whose connection drops before the body
 * @property {number} latency    share delayed by latencyMs (on top of the others)
 * @property {number} latencyMs
 * @property {number} lostAnswer share of the StartRun and CancelRun calls that get through which are performed and then answered 500 or dropped (half each)
 */

/** The campaign's default rates (issue 16). */
export const DEFAULT_RATES = { error: 0.2, throttle: 0.1, drop: 0.05, latency: 0.05, latencyMs: 2000, lostAnswer: 0.2 };

const tidy = (x) => Number(x.toPrecision(6));

/** The emulator fault rules for `rates` (bodies of POST /__emulator/faults). */
export function faultRules(rates) {
  const rules = [];
  let left = 1;
  for (const kind of ["error", "throttle", "drop"]) {
    if (rates[kind] > 0) rules.push({ service: "omics", kind, rate: tidy(Math.min(1, rates[kind] / left)) });
    left -= rates[kind];
  }
  if (rates.latency > 0) rules.push({ service: "omics", kind: "latency", rate: rates.latency, latencyMs: rates.latencyMs });
  if (rates.lostAnswer > 0) {
    for (const operation of ["StartRun", "CancelRun"]) {
      rules.push({ operation, kind: "error", rate: tidy(rates.lostAnswer / 2), afterProcessing: true });
      rules.push({ operation, kind: "drop", rate: tidy(rates.lostAnswer / 2 / (1 - rates.lostAnswer / 2)), afterProcessing: true });
    }
  }
  return rules;
}

/** Checks the rates make sense; throws with the reason. */
export function checkRates(rates) {
  for (const [k, v] of Object.entries(rates)) if (!(v >= 0) || (k !== "latencyMs" && v > 1)) throw new Error(`fault rate ${k} must be between 0 and 1`);
  if (rates.error + rates.throttle + rates.drop >= 1) throw new Error("the 5xx, throttling and drop rates must add up to less than 1");
}

/**
 * What the request log shows was injected into the service's calls: per operation, calls and the
 * shares answered 500, 429 and 0 (dropped). Quota throttles from our own traffic would count as
 * 429 too; the benchmark shows there are none.
 * @param {{operation: string, status: number}[]} calls
 */
export function observedFaults(calls) {
  const out = {};
  for (const c of calls) {
    if (!RUN_OPERATIONS.includes(c.operation) && c.operation !== "GetWorkflow") continue;
    const o = (out[c.operation] ??= { calls: 0, error: 0, throttle: 0, drop: 0 });
    o.calls += 1;
    if (c.status >= 500) o.error += 1;
    else if (c.status === 429) o.throttle += 1;
    else if (c.status === 0) o.drop += 1;
  }
  const all = { calls: 0, error: 0, throttle: 0, drop: 0 };
  for (const o of Object.values(out)) for (const k of Object.keys(all)) all[k] += o[k];
  const share = (o) => ({ calls: o.calls, error: tidy(o.error / o.calls), throttle: tidy(o.throttle / o.calls), drop: tidy(o.drop / o.calls) });
  return { all: all.calls ? share(all) : all, byOperation: Object.fromEntries(Object.entries(out).map(([k, o]) => [k, share(o)])) };
}
