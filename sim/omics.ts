/**
 * HealthOmics in memory for the simulator: runs follow the emulator's plans and timelines
 * (emulator/src/seed.ts, timeline.ts), answers are rendered by the emulator's own code
 * (emulator/src/ops/render.ts), and every operation is rate-limited by the emulator's quota
 * buckets (quotas.ts), answering ThrottlingException above the quota as AWS does. It implements
 * the calls a run's steps make (RunCalls), with no HTTP.
 */
import { DURATION_SCALE_TAG } from "../emulator/src/ops/tags";
import { getRunBody, startRunBody, taskBody } from "../emulator/src/ops/render";
import { DEFAULT_QUOTAS, QuotaLimiter } from "../emulator/src/quotas";
import type { Identity, RunRecord } from "../emulator/src/records";
import { planFor, SEEDED_WORKFLOWS } from "../emulator/src/seed";
import { schedule, taskStatusAt, transitionsBetween, type Schedule, type Transition } from "../emulator/src/timeline";
import type {
  GetRunOutput,
  GetRunTaskOutput,
  OmicsError,
  OmicsResult,
  StartRunInput,
  StartRunOutput,
  TaskListItemOutput,
} from "../src/executors/healthomics/client/client";
import type { RunCalls } from "../src/executors/healthomics/run/step-context";

/** One HealthOmics call as the simulator records it. */
export interface SimCall {
  operation: string;
  at: number;
  throttled: boolean;
  /** The WES run (requestId) it concerns. */
  wesRunId: string;
}

const IDENTITY: Identity = { region: "us-east-1", accountId: "123456789012" };
const FIRST_RUN_ID = 2_100_001;
const FIRST_TASK_ID = 5_000_001;
const PAGE_SIZE = 100;

/** A simulated run: its record and (runs are never cancelled here) its fixed schedule. */
export interface SimOmicsRun {
  record: RunRecord;
  schedule: Schedule;
}

export class SimOmics implements RunCalls {
  readonly runs = new Map<string, SimOmicsRun>();
  readonly #byRequest = new Map<string, SimOmicsRun>();
  readonly #limiter = new QuotaLimiter({ enabled: true, rates: { ...DEFAULT_QUOTAS } }, 1);
  #nextRun = FIRST_RUN_ID;
  #nextTask = FIRST_TASK_ID;

  constructor(
    readonly now: () => number,
    /** Every call made (the figures), and a hook for ThrottlingExceptions (the budget's AIMD). */
    readonly onCall: (call: SimCall) => void,
    /** A run was created: its transitions, for the EventBridge events. */
    readonly onStarted: (run: SimOmicsRun, transitions: Transition[]) => void,
  ) {}

  #take(operation: "StartRun" | "GetRun" | "ListRunTasks" | "GetRunTask" | "CancelRun", wesRunId: string): OmicsError | undefined {
    const ok = this.#limiter.take(operation, this.now());
    this.onCall({ operation, at: this.now(), throttled: !ok, wesRunId });
    return ok ? undefined : { type: "ThrottlingException", status: 429, message: "Rate exceeded", retryable: true };
  }

  #run(id: string): SimOmicsRun | undefined {
    return this.runs.get(id);
  }

  #notFound(id: string): OmicsResult<never> {
    return { ok: false, error: { type: "ResourceNotFoundException", status: 404, message: `Run ${id} not found`, retryable: false } };
  }

  async startRun(input: StartRunInput): Promise<OmicsResult<StartRunOutput>> {
    const throttled = this.#take("StartRun", input.requestId);
    if (throttled) return { ok: false, error: throttled };
    const existing = this.#byRequest.get(input.requestId);
    if (existing) return { ok: true, value: startRunBody(IDENTITY, existing.record) as StartRunOutput };
    const workflow = SEEDED_WORKFLOWS.get(input.workflowId ?? "");
    if (!workflow)
      return { ok: false, error: { type: "ValidationException", status: 400, message: `Workflow ${input.workflowId} not found`, retryable: false } };
    const plan = planFor(workflow.id);
    const id = String(this.#nextRun++);
    const taskIdBase = this.#nextTask;
    this.#nextTask += Math.max(1, plan.tasks.length);
    const durationScale = Number(input.tags?.[DURATION_SCALE_TAG] ?? "1");
    const record: RunRecord = {
      id,
      uuid: `uuid-${id}`,
      requestId: input.requestId,
      workflowId: workflow.id,
      workflowType: workflow.type,
      workflowName: workflow.name,
      workflowUuid: workflow.uuid,
      roleArn: input.roleArn ?? "",
      outputUri: input.outputUri ?? "",
      storageType: "DYNAMIC",
      retentionMode: "REMOVE",
      networkingMode: "RESTRICTED",
      tags: input.tags ?? {},
      createdAt: this.now(),
      timeScale: 1,
      durationScale,
      taskIdBase,
      taskUuids: plan.tasks.map((_, i) => `task-${taskIdBase + i}`),
      plan,
      name: input.name,
    };
    const run: SimOmicsRun = { record, schedule: schedule({ plan, createdAt: record.createdAt, timeScale: 1, durationScale }) };
    this.runs.set(id, run);
    this.#byRequest.set(input.requestId, run);
    this.onStarted(run, transitionsBetween(run.schedule, record.createdAt, Number.POSITIVE_INFINITY));
    return { ok: true, value: startRunBody(IDENTITY, record) as StartRunOutput };
  }

  async getRun(id: string): Promise<OmicsResult<GetRunOutput>> {
    const run = this.#run(id);
    if (!run) return this.#notFound(id);
    const throttled = this.#take("GetRun", run.record.requestId);
    if (throttled) return { ok: false, error: throttled };
    return { ok: true, value: getRunBody(IDENTITY, run.record, this.now()) as GetRunOutput };
  }

  async listAllRunTasks(id: string): Promise<OmicsResult<TaskListItemOutput[]>> {
    const run = this.#run(id);
    if (!run) return this.#notFound(id);
    const now = this.now();
    const visible = run.schedule.tasks.filter((t) => taskStatusAt(t, now) !== undefined).sort((a, b) => a.creationTime - b.creationTime || a.index - b.index);
    // One ListRunTasks call (and quota token) per page, as the client walks them.
    for (let page = 0; page === 0 || page * PAGE_SIZE < visible.length; page++) {
      const throttled = this.#take("ListRunTasks", run.record.requestId);
      if (throttled) return { ok: false, error: throttled };
    }
    return { ok: true, value: visible.map((t) => taskBody(IDENTITY, run.record, t, now, false) as TaskListItemOutput) };
  }

  async getRunTask(id: string, taskId: string): Promise<OmicsResult<GetRunTaskOutput>> {
    const run = this.#run(id);
    if (!run) return this.#notFound(id);
    const throttled = this.#take("GetRunTask", run.record.requestId);
    if (throttled) return { ok: false, error: throttled };
    const task = run.schedule.tasks.find((t) => String(run.record.taskIdBase + t.index) === taskId);
    if (!task) return this.#notFound(taskId);
    return { ok: true, value: taskBody(IDENTITY, run.record, task, this.now(), true) as GetRunTaskOutput };
  }

  async cancelRun(id: string): Promise<OmicsResult<undefined>> {
    const run = this.#run(id);
    if (!run) return this.#notFound(id);
    const throttled = this.#take("CancelRun", run.record.requestId);
    if (throttled) return { ok: false, error: throttled };
    // Runs are not cancelled in the simulation; a cancel is acknowledged and changes nothing.
    return { ok: true, value: undefined };
  }

  /** DeleteRun: simulated runs are never deleted (no run is removed in the simulation). */
  async deleteRun(id: string): Promise<OmicsResult<undefined>> {
    return this.#notFound(id);
  }
}
