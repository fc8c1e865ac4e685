/**
 * Faults on demand: rules that make calls fail with ThrottlingException (429) or
 * InternalServerException (500), drop the connection, or answer slowly. A rule can target one
 * operation, fire with a probability (`rate`), a number of times (`count`), or both; with
 * `afterProcessing` the operation is performed and only its response is replaced, which is how a
 * client sees "StartRun succeeded at AWS but the answer was lost". A rule applies to one service:
 * the one it names, else its operation's, else HealthOmics (so rules written before the emulator
 * served S3 and CloudWatch Logs keep meaning what they meant); `service: "*"` hits every service.
 * Pure decision logic; the Durable Object keeps the rules.
 */
import { type AnyOperation, SERVICE_NAMES, type ServiceName, serviceOfOperation } from "./services";

/** What a rule does to a call. */
export type FaultKind = "throttle" | "error" | "drop" | "latency";

/** A fault rule (the body of POST /__emulator/faults, plus its id and where it came from). */
export interface FaultRule {
  id: string;
  kind: FaultKind;
  /** The service whose calls the rule hits ("*" = every service); absent = its operation's, else HealthOmics. */
  service?: ServiceName | "*";
  operation?: AnyOperation;
  /** Remaining number of times the rule fires; absent = unlimited. */
  count?: number;
  /** Probability (0..1) that the rule fires on a matching call; absent = 1. */
  rate?: number;
  /** Extra delay for `latency` rules. */
  latencyMs?: number;
  afterProcessing?: boolean;
  /**
   * Only calls for this StartRun `requestId`: the StartRun itself and every call addressing the
   * run it created. Lets concurrent tests each aim faults at their own run.
   */
  requestId?: string;
  /** `vars` for the rules built from EMULATOR_FAULT_* variables, `api` for runtime ones. */
  source: "vars" | "api";
}

/** What to do to one call. */
export interface FaultDecision {
  latencyMs: number;
  /** Fault answered instead of performing the operation. */
  before?: Exclude<FaultKind, "latency">;
  /** Fault answered after performing the operation. */
  after?: Exclude<FaultKind, "latency">;
}

const KINDS: FaultKind[] = ["throttle", "error", "drop", "latency"];

/** Validates a POST /__emulator/faults body; throws with a readable message. */
export function parseFaultRule(body: unknown, operations: readonly string[], id: string): FaultRule {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("body must be a JSON object");
  const b = body as Record<string, unknown>;
  if (typeof b.kind !== "string" || !KINDS.includes(b.kind as FaultKind)) throw new Error(`kind must be one of ${KINDS.join(", ")}`);
  const rule: FaultRule = { id, kind: b.kind as FaultKind, source: "api" };
  if (b.service !== undefined) {
    if (b.service !== "*" && !(SERVICE_NAMES as readonly unknown[]).includes(b.service))
      throw new Error(`service must be one of ${SERVICE_NAMES.join(", ")}, *`);
    rule.service = b.service as ServiceName | "*";
  }
  if (b.operation !== undefined) {
    if (typeof b.operation !== "string" || !operations.includes(b.operation)) throw new Error(`operation must be one of ${operations.join(", ")}`);
    if (rule.service !== undefined && rule.service !== "*" && serviceOfOperation(b.operation) !== rule.service) {
      throw new Error(`operation ${b.operation} is not an operation of ${rule.service}`);
    }
    rule.operation = b.operation as AnyOperation;
  }
  if (b.count !== undefined) {
    if (typeof b.count !== "number" || !Number.isInteger(b.count) || b.count < 1) throw new Error("count must be a positive integer");
    rule.count = b.count;
  }
  if (b.rate !== undefined) {
    if (typeof b.rate !== "number" || b.rate < 0 || b.rate > 1) throw new Error("rate must be a number from 0 to 1");
    rule.rate = b.rate;
  }
  if (b.latencyMs !== undefined) {
    if (typeof b.latencyMs !== "number" || b.latencyMs < 0 || b.latencyMs > 600_000) throw new Error("latencyMs must be a number of milliseconds (0..600000)");
    rule.latencyMs = b.latencyMs;
  }
  if (b.requestId !== undefined) {
    if (typeof b.requestId !== "string" || b.requestId.length < 1 || b.requestId.length > 128)
      throw new Error("requestId must be a string of 1-128 characters");
    rule.requestId = b.requestId;
  }
  if (rule.kind === "latency" && rule.latencyMs === undefined) throw new Error("a latency rule needs latencyMs");
  if (b.afterProcessing !== undefined) {
    if (typeof b.afterProcessing !== "boolean") throw new Error("afterProcessing must be a boolean");
    rule.afterProcessing = b.afterProcessing;
  }
  return rule;
}

/** Rules from EMULATOR_FAULT_THROTTLE_RATE / _ERROR_RATE / _DROP_RATE / _LATENCY_MS. */
export function rulesFromVars(vars: { throttleRate?: string; errorRate?: string; dropRate?: string; latencyMs?: string }): FaultRule[] {
  const rules: FaultRule[] = [];
  const rate = (value: string | undefined, name: string): number | undefined => {
    if (value === undefined || value.trim() === "") return undefined;
    const n = Number(value);
    if (!(n >= 0 && n <= 1)) throw new Error(`${name} must be a number from 0 to 1, got ${value}`);
    return n > 0 ? n : undefined;
  };
  const throttle = rate(vars.throttleRate, "EMULATOR_FAULT_THROTTLE_RATE");
  const error = rate(vars.errorRate, "EMULATOR_FAULT_ERROR_RATE");
  const drop = rate(vars.dropRate, "EMULATOR_FAULT_DROP_RATE");
  if (throttle) rules.push({ id: "vars-throttle", kind: "throttle", rate: throttle, source: "vars" });
  if (error) rules.push({ id: "vars-error", kind: "error", rate: error, source: "vars" });
  if (drop) rules.push({ id: "vars-drop", kind: "drop", rate: drop, source: "vars" });
  if (vars.latencyMs !== undefined && vars.latencyMs.trim() !== "") {
    const ms = Number(vars.latencyMs);
    if (!(ms >= 0)) throw new Error(`EMULATOR_FAULT_LATENCY_MS must be a number of milliseconds, got ${vars.latencyMs}`);
    if (ms > 0) rules.push({ id: "vars-latency", kind: "latency", latencyMs: ms, source: "vars" });
  }
  return rules;
}

/** The service a rule hits ("*" = all). */
function ruleService(rule: FaultRule): ServiceName | "*" {
  return rule.service ?? (rule.operation ? serviceOfOperation(rule.operation) : "omics");
}

/**
 * Decides the faults for one call and consumes counted rules that fired. Returns the rules that
 * are left (used-up counted rules removed) and whether anything changed.
 */
export function decideFaults(
  rules: FaultRule[],
  operation: AnyOperation,
  random: () => number = Math.random,
  requestId?: string,
  service: ServiceName = serviceOfOperation(operation),
): { decision: FaultDecision; rules: FaultRule[]; changed: boolean } {
  const decision: FaultDecision = { latencyMs: 0 };
  let changed = false;
  const kept: FaultRule[] = [];
  // "Before" rules first: when one fires, the operation is not performed and "after" rules stay unused.
  const ordered = [...rules.filter((r) => !r.afterProcessing), ...rules.filter((r) => r.afterProcessing)];
  for (const rule of ordered) {
    const inService = ruleService(rule) === "*" || ruleService(rule) === service;
    let fires = inService && (rule.operation === undefined || rule.operation === operation) && (rule.requestId === undefined || rule.requestId === requestId);
    if (fires && rule.kind !== "latency") {
      if (decision.before || (rule.afterProcessing && decision.after)) fires = false;
    }
    if (fires && rule.rate !== undefined) fires = random() < rule.rate;
    if (fires) {
      if (rule.kind === "latency") decision.latencyMs += rule.latencyMs ?? 0;
      else if (rule.afterProcessing) decision.after = rule.kind;
      else decision.before = rule.kind;
      if (rule.count !== undefined) {
        changed = true;
        if (rule.count <= 1) continue;
        kept.push({ ...rule, count: rule.count - 1 });
        continue;
      }
    }
    kept.push(rule);
  }
  if (decision.before) delete decision.after;
  const byId = new Map(kept.map((r) => [r.id, r]));
  const inOrder = rules.flatMap((r) => (byId.has(r.id) ? [byId.get(r.id)!] : []));
  return { decision, rules: inOrder, changed };
}
