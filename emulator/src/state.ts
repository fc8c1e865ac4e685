/**
 * EmulatorState: the one Durable Object (idFromName("global")) that holds the emulator's state in
 * SQLite and serialises every API call: faults, quotas, the operation, the request log. HealthOmics
 * and CloudWatch Logs operations run here (`call`); S3 and STS calls are performed by the Worker,
 * which asks here first for their faults and quotas (`admit`, which also writes the outputs of
 * runs that have completed into their bucket) and logs them afterwards (`record`). Its alarm
 * announces run and task transitions to the EventBridge target, waking at the next transition of
 * any live run.
 */
import { DurableObject } from "cloudflare:workers";
import { admin, type AdminRequest, type AdminResponse } from "./admin";
import { HANDLERS, logHints, type StateOperation } from "./dispatch";
import { ApiError, type ErrorBody, errorStatus } from "./errors";
import { deliver, eventFor, type EventsTarget, type OmicsEvent } from "./events";
import { decideFaults, type FaultKind, rulesFromVars, type FaultRule } from "./faults";
import type { OpContext, OpResult } from "./ops/context";
import { writeRunOutputs } from "./outputs/write";
import type { AnyOperation, ServiceName } from "./services";
import { scheduleOf } from "./ops/render";
import { QuotaLimiter } from "./quotas";
import { iso, type Identity } from "./records";
import type { OperationName } from "./model";
import { successStatus } from "./router";
import { applyConfigPatch, configFromVars, type EmulatorConfig, type EmulatorVars } from "./settings";
import type { LogEntry } from "./request-log";
import { Store } from "./store";
import { nextTransitionAfter, transitionsBetween } from "./timeline";

/** An API call, already authenticated and bound to its operation by the Worker. */
export interface CallRequest {
  service: "omics" | "logs";
  operation: StateOperation;
  input: Record<string, unknown>;
  /** A validation failure found by the Worker: answered after faults and quotas, as AWS orders them. */
  invalid?: ErrorBody;
  arrivedAt: number;
}

/** The answer to send, and how (delay, dropped connection). */
export interface CallResponse {
  status: number;
  /** JSON text of a successful answer's body (absent = empty body). */
  body?: string;
  /** The error answered (the Worker renders it in the service's protocol). */
  error?: ErrorBody;
  latencyMs: number;
  drop: boolean;
}

/** An S3 or STS call the Worker is about to perform. */
export interface AdmitRequest {
  service: "s3" | "sts";
  operation: AnyOperation;
  /** The S3 bucket the call reads or writes. */
  bucket?: string;
}

/** What to do with it: faults before or after it, its delay, whether its bucket exists. */
export interface Admission {
  /** Answer this instead of performing the call ("quota": over the configured rate). */
  before?: Exclude<FaultKind, "latency"> | "quota";
  /** Perform the call, then answer this instead. */
  after?: Exclude<FaultKind, "latency">;
  latencyMs: number;
  noSuchBucket?: boolean;
}

/** The errors injected faults answer with, per service. */
const FAULT_ANSWERS: Record<"omics" | "logs", Record<"throttle" | "error", ErrorBody>> = {
  omics: {
    throttle: { type: "ThrottlingException", message: "Rate exceeded (injected fault)" },
    error: { type: "InternalServerException", message: "Internal server error (injected fault)" },
  },
  logs: {
    throttle: { type: "ThrottlingException", message: "Rate exceeded (injected fault)" },
    error: { type: "ServiceUnavailableException", message: "The service cannot complete the request (injected fault)" },
  },
};

/** Runs processed per alarm; the alarm comes straight back when more are due. */
const EVENT_BATCH = 500;
/** Event deliveries in flight at once (each delivers one run's events, in order). */
const DELIVERY_WORKERS = 16;

interface SavedOverrides {
  varsFingerprint: string;
  /** The settings after the last PUT /__emulator/config (absent: the vars alone). */
  config?: EmulatorConfig;
  faults: FaultRule[];
  varFaultsCleared: boolean;
}

export class EmulatorState extends DurableObject<Env> {
  #store: Store;
  #vars: EmulatorVars;
  #config: EmulatorConfig;
  #limiter: QuotaLimiter;
  #saved: SavedOverrides;
  #varRules: FaultRule[];
  /** Event batches waiting for delivery (in memory: delivery is best effort, like EventBridge's). */
  #outbox: { target: EventsTarget; events: OmicsEvent[] }[] = [];
  #deliveryWorkers = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#vars = env as unknown as EmulatorVars;
    this.#store = new Store(ctx.storage.sql);
    const fingerprint = JSON.stringify(
      Object.entries(this.#vars)
        .filter(([k]) => k.startsWith("EMULATOR_") && k !== "EMULATOR_STATE")
        .sort(),
    );
    const saved = this.#store.getSetting<SavedOverrides>("overrides");
    this.#saved = saved && saved.varsFingerprint === fingerprint ? saved : { varsFingerprint: fingerprint, faults: [], varFaultsCleared: false };
    this.#config = this.#saved.config ?? configFromVars(this.#vars);
    this.#limiter = new QuotaLimiter(this.#config.quotas, this.#config.timeScale);
    this.#varRules = this.#saved.varFaultsCleared
      ? []
      : rulesFromVars({
          throttleRate: this.#vars.EMULATOR_FAULT_THROTTLE_RATE,
          errorRate: this.#vars.EMULATOR_FAULT_ERROR_RATE,
          dropRate: this.#vars.EMULATOR_FAULT_DROP_RATE,
          latencyMs: this.#vars.EMULATOR_FAULT_LATENCY_MS,
        });
  }

  /** The emulated S3's object store (typed here: the tests compile this file against the API Worker's Env). */
  get #objects(): R2Bucket {
    return (this.env as unknown as { S3_OBJECTS: R2Bucket }).S3_OBJECTS;
  }

  get #identity(): Identity {
    return { region: this.#vars.EMULATOR_REGION, accountId: this.#vars.EMULATOR_ACCOUNT_ID };
  }

  #save(): void {
    this.#store.setSetting("overrides", this.#saved);
  }

  /** Decides the faults of one call, consuming counted rules. */
  #faultsFor(service: ServiceName, operation: AnyOperation, requestId?: string) {
    const { decision, rules, changed } = decideFaults([...this.#varRules, ...this.#saved.faults], operation, Math.random, requestId, service);
    if (changed) {
      this.#varRules = rules.filter((r) => r.source === "vars");
      this.#saved.faults = rules.filter((r) => r.source === "api");
      this.#save();
    }
    return decision;
  }

  /** Serves one HealthOmics or CloudWatch Logs call: faults, quota, validation, the operation, faults after, the log. */
  async call(req: CallRequest): Promise<CallResponse> {
    const now = Date.now();
    const hints = logHints(req.input, req.operation);
    // The StartRun requestId this call concerns: its own, or that of the run it addresses.
    const target = hints.requestId ?? (hints.runId ? this.#store.getRun(hints.runId)?.requestId : undefined);
    const decision = this.#faultsFor(req.service, req.operation, target);
    const answer = (
      status: number,
      body: Record<string, unknown> | undefined,
      error?: ErrorBody,
      extra: { runId?: string } = {},
      drop = false,
    ): CallResponse => {
      const entry: LogEntry = { service: req.service, operation: req.operation, at: iso(req.arrivedAt), status: drop ? 0 : status, ...hints, ...extra };
      this.#store.requests.append(entry);
      const res: CallResponse = { status, latencyMs: decision.latencyMs, drop };
      if (body) res.body = JSON.stringify(body);
      if (error) res.error = error;
      return res;
    };
    const fail = (e: ErrorBody, extra: { runId?: string } = {}) => answer(errorStatus(e.type, req.service), undefined, e, extra);

    if (decision.before === "drop") return answer(0, undefined, undefined, {}, true);
    if (decision.before) return fail(FAULT_ANSWERS[req.service][decision.before]);
    if (!this.#limiter.take(req.operation, now)) return fail({ type: "ThrottlingException", message: "Rate exceeded" });
    if (req.invalid) return fail(req.invalid);

    const ctx: OpContext = {
      store: this.#store,
      identity: this.#identity,
      now,
      timeScale: this.#config.timeScale,
      eventsEnabled: this.#config.events !== undefined,
      objects: this.#objects,
    };
    if (this.#config.maxWorkflows !== undefined) ctx.maxWorkflows = this.#config.maxWorkflows;
    let result: OpResult;
    try {
      result = await HANDLERS[req.operation](ctx, req.input);
    } catch (error) {
      if (error instanceof ApiError) return fail({ type: error.type, message: error.message });
      console.error("emulator: unexpected error", error);
      return fail({ type: "InternalServerException", message: "Internal server error" });
    }
    if (ctx.eventsEnabled && (req.operation === "StartRun" || req.operation === "CancelRun")) await this.#armAlarm(now);
    const extra: { runId?: string } = result.runId ? { runId: result.runId } : {};
    if (decision.after === "drop") return answer(0, undefined, undefined, extra, true);
    if (decision.after) return fail(FAULT_ANSWERS[req.service][decision.after], extra);
    return answer(req.service === "logs" ? 200 : successStatus(req.operation as OperationName), result.body ?? undefined, undefined, extra);
  }

  /**
   * Admits an S3 or STS call the Worker performs: its faults and quota, and whether its bucket
   * exists. Any S3 call on a bucket first writes the outputs of runs that have completed into it.
   */
  async admit(req: AdmitRequest): Promise<Admission> {
    const now = Date.now();
    const decision = this.#faultsFor(req.service, req.operation);
    const admission: Admission = { latencyMs: decision.latencyMs };
    if (decision.before) admission.before = decision.before;
    else if (!this.#limiter.take(req.operation, now)) admission.before = "quota";
    if (decision.after) admission.after = decision.after;
    if (req.bucket !== undefined) {
      if (this.#config.s3Buckets && !this.#config.s3Buckets.includes(req.bucket)) admission.noSuchBucket = true;
      for (let due = this.#store.dueOutputs(req.bucket, now); due.length > 0; due = this.#store.dueOutputs(req.bucket, now)) {
        await writeRunOutputs(this.#objects, due);
        for (const run of due) this.#store.removePendingOutputs(run.id);
      }
    }
    return admission;
  }

  /** Logs a call that never reached an operation here (a rejected signature, an S3 or STS call). */
  async record(entry: LogEntry): Promise<void> {
    this.#store.requests.append(entry);
  }

  /** The /__emulator endpoints. */
  async admin(req: AdminRequest): Promise<AdminResponse> {
    return admin(req, {
      store: this.#store,
      config: () => this.#config,
      faults: () => [...this.#varRules, ...this.#saved.faults],
      addFault: (rule) => {
        this.#saved.faults.push(rule);
        this.#save();
      },
      clearFaults: () => {
        this.#varRules = [];
        this.#saved.faults = [];
        this.#saved.varFaultsCleared = true;
        this.#save();
      },
      patchConfig: async (patch) => {
        const before = this.#config;
        this.#config = applyConfigPatch(this.#config, patch);
        this.#saved.config = this.#config;
        this.#save();
        this.#limiter.settings = this.#config.quotas;
        this.#limiter.timeScale = this.#config.timeScale;
        this.#limiter.reset();
        if ((before.events === undefined) !== (this.#config.events === undefined)) {
          this.#store.resetEventTracking(Date.now(), this.#config.events !== undefined);
          if (this.#config.events) await this.#armAlarm(Date.now());
        }
        return this.#config;
      },
    });
  }

  async #armAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** Announces the transitions that have happened since the last alarm, then sleeps until the next one. */
  override async alarm(): Promise<void> {
    const target = this.#config.events;
    if (!target) return;
    const now = Date.now();
    const due = this.#store.runsDueForEvents(now, EVENT_BATCH);
    const batches: OmicsEvent[][] = [];
    for (const { run, announcedUntil } of due) {
      const s = scheduleOf(run);
      const events = transitionsBetween(s, announcedUntil, now).map((t) => eventFor(this.#identity, run, t));
      if (events.length > 0) batches.push(events);
      this.#store.markAnnounced(run.id, now, nextTransitionAfter(s, now) ?? null);
    }
    const next = due.length === EVENT_BATCH ? now : this.#store.nextEventAt();
    if (next !== undefined) await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
    // Delivered in the background, so a slow receiver never delays the next alarm (and with it
    // every later event): a few runs at a time, each run's events in order; never blocks API calls.
    this.#outbox.push(...batches.map((events) => ({ target, events })));
    this.ctx.waitUntil(this.#drainOutbox());
  }

  /** Starts delivery workers (at most DELIVERY_WORKERS) for the queued event batches. */
  async #drainOutbox(): Promise<void> {
    const workers: Promise<void>[] = [];
    while (this.#deliveryWorkers < DELIVERY_WORKERS && this.#outbox.length > workers.length) {
      this.#deliveryWorkers += 1;
      workers.push(
        (async () => {
          try {
            for (let item = this.#outbox.shift(); item; item = this.#outbox.shift()) await deliver(item.target, item.events);
          } finally {
            this.#deliveryWorkers -= 1;
          }
        })(),
      );
    }
    await Promise.all(workers);
  }
}
