/**
 * EmulatorState: the one Durable Object (idFromName("global")) that holds the emulator's state in
 * SQLite and serialises every API call: faults, quotas, the operation, the request log. Its alarm
 * announces run and task transitions to the EventBridge target, waking at the next transition of
 * any live run.
 */
import { DurableObject } from "cloudflare:workers";
import { admin, type AdminRequest, type AdminResponse } from "./admin";
import { HANDLERS, logHints } from "./dispatch";
import { ApiError, type ErrorBody, type ErrorType } from "./errors";
import { deliver, eventFor, type EventsTarget, type OmicsEvent } from "./events";
import { decideFaults, rulesFromVars, type FaultRule } from "./faults";
import type { OperationName } from "./model";
import type { OpContext, OpResult } from "./ops/context";
import { scheduleOf } from "./ops/render";
import { QuotaLimiter } from "./quotas";
import { iso, type Identity } from "./records";
import { successStatus } from "./router";
import { applyConfigPatch, configFromVars, type EmulatorConfig, type EmulatorVars } from "./settings";
import { Store, type LogEntry } from "./store";
import { nextTransitionAfter, transitionsBetween } from "./timeline";

/** An API call, already authenticated and bound to its operation by the Worker. */
export interface CallRequest {
  operation: OperationName;
  input: Record<string, unknown>;
  /** A validation failure found by the Worker: answered after faults and quotas, as AWS orders them. */
  invalid?: ErrorBody;
  arrivedAt: number;
}

/** The answer to send, and how (delay, dropped connection). */
export interface CallResponse {
  status: number;
  /** JSON text of the body (absent = empty body). */
  body?: string;
  errorType?: ErrorType;
  latencyMs: number;
  drop: boolean;
}

const FAULT_ANSWERS: Record<"throttle" | "error", ErrorBody> = {
  throttle: { type: "ThrottlingException", message: "Rate exceeded (injected fault)" },
  error: { type: "InternalServerException", message: "Internal server error (injected fault)" },
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

  get #identity(): Identity {
    return { region: this.#vars.EMULATOR_REGION, accountId: this.#vars.EMULATOR_ACCOUNT_ID };
  }

  #save(): void {
    this.#store.setSetting("overrides", this.#saved);
  }

  /** Serves one API call: faults, quota, validation, the operation, faults after, the log. */
  async call(req: CallRequest): Promise<CallResponse> {
    const now = Date.now();
    const hints = logHints(req.input, req.operation);
    // The StartRun requestId this call concerns: its own, or that of the run it addresses.
    const target = hints.requestId ?? (hints.runId ? this.#store.getRun(hints.runId)?.requestId : undefined);
    const { decision, rules, changed } = decideFaults([...this.#varRules, ...this.#saved.faults], req.operation, Math.random, target);
    if (changed) {
      this.#varRules = rules.filter((r) => r.source === "vars");
      this.#saved.faults = rules.filter((r) => r.source === "api");
      this.#save();
    }
    const answer = (
      status: number,
      body: Record<string, unknown> | undefined,
      errorType?: ErrorType,
      extra: { runId?: string } = {},
      drop = false,
    ): CallResponse => {
      const entry: LogEntry = { operation: req.operation, at: iso(req.arrivedAt), status: drop ? 0 : status, ...hints, ...extra };
      this.#store.log(entry);
      const res: CallResponse = { status, latencyMs: decision.latencyMs, drop };
      if (body) res.body = JSON.stringify(body);
      if (errorType) res.errorType = errorType;
      return res;
    };
    const fail = (e: ErrorBody, extra: { runId?: string } = {}) => answer(new ApiError(e.type, e.message).status, { message: e.message }, e.type, extra);

    if (decision.before === "drop") return answer(0, undefined, undefined, {}, true);
    if (decision.before) return fail(FAULT_ANSWERS[decision.before]);
    if (!this.#limiter.take(req.operation, now)) return fail({ type: "ThrottlingException", message: "Rate exceeded" });
    if (req.invalid) return fail(req.invalid);

    const ctx: OpContext = {
      store: this.#store,
      identity: this.#identity,
      now,
      timeScale: this.#config.timeScale,
      eventsEnabled: this.#config.events !== undefined,
    };
    let result: OpResult;
    try {
      result = HANDLERS[req.operation](ctx, req.input);
    } catch (error) {
      if (error instanceof ApiError) return fail({ type: error.type, message: error.message });
      console.error("emulator: unexpected error", error);
      return fail({ type: "InternalServerException", message: "Internal server error" });
    }
    if (ctx.eventsEnabled && (req.operation === "StartRun" || req.operation === "CancelRun")) await this.#armAlarm(now);
    const extra: { runId?: string } = result.runId ? { runId: result.runId } : {};
    if (decision.after === "drop") return answer(0, undefined, undefined, extra, true);
    if (decision.after) return fail(FAULT_ANSWERS[decision.after], extra);
    return answer(successStatus(req.operation), result.body ?? undefined, undefined, extra);
  }

  /** Logs a call that never reached an operation (rejected signature). */
  async record(entry: LogEntry): Promise<void> {
    this.#store.log(entry);
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
