/**
 * The run's steps through its scheduler loop (shell.ts), alarm by alarm on a clock the test moves:
 * real steps, real D1, the budget in memory, and HealthOmics as a function behind the real
 * client's `fetch`. News "during a step" arrives while the fake HealthOmics is answering.
 */
import { describe, expect, it } from "vitest";
import { initialState, type RunState } from "../../src/executors/healthomics/run/run-state";
import { START_QUEUE_SAFETY_MS } from "../../src/executors/healthomics/run/step-start";
import { EVENTS, row, SETTINGS, stepHarness, type OmicsCall, type OmicsReply } from "../support/step-harness";

const MIN = SETTINGS.pollMinMs;
const OMICS_ID = "2100001";

/** A run HealthOmics already started, RUNNING, polled every minute, its next poll a minute away. */
function runningState(fields: Partial<RunState> | ((now: number) => Partial<RunState>) = {}) {
  return (runId: string, now: number): RunState => ({
    ...initialState(runId, now - 600_000, MIN),
    phase: "started",
    omicsRunId: OMICS_ID,
    omicsRunUuid: "uuid-1",
    omicsStatus: "RUNNING",
    reportedState: "RUNNING",
    pollIntervalMs: 60_000,
    periodicSyncAt: now + 3_600_000,
    work: { poll: { at: now + 60_000 } },
    ...(typeof fields === "function" ? fields(now) : fields),
  });
}

const run = (status: string, extra: Record<string, unknown> = {}): OmicsReply => ({ status: 200, body: { id: OMICS_ID, uuid: "uuid-1", status, ...extra } });
const task = (taskId: string, status: string) => ({ taskId, status, name: `task-${taskId}`, cpus: 2, memory: 4 });
const error = (status: number, type: string): OmicsReply => ({ status, type, body: { message: `${type} from the fake` } });
const ops = (calls: OmicsCall[]) => calls.map((c) => c.operation);

describe("start step", () => {
  it("joins the fair start queue, then starts once granted: 'starting' is stored before StartRun leaves", async () => {
    let phaseDuringCall: string | undefined;
    const h = await stepHarness(
      (runId, now) => initialState(runId, now, MIN),
      async (call) => {
        phaseDuringCall = h.state().phase;
        expect(call.body.requestId).toBe(h.runId);
        return { status: 201, body: { id: OMICS_ID, uuid: "uuid-1", arn: `arn:aws:omics:us-east-1:123456789012:run/${OMICS_ID}`, status: "PENDING" } };
      },
    );
    expect(await h.fire()).toBe("start");
    expect(h.budget.queue.size).toBe(1);
    expect(h.state().work).toEqual({ start: { at: h.now() + START_QUEUE_SAFETY_MS } });
    expect(h.calls).toHaveLength(0);
    await h.budget.dispatch(async (runId, slotAt) => (await h.shell.hear({ kind: "start-grant", at: h.now(), slotAt }), runId === h.runId));
    expect(h.alarm()).toBe(h.now());
    expect(await h.fire()).toBe("start");
    expect(phaseDuringCall).toBe("starting");
    expect(h.state()).toMatchObject({ phase: "started", omicsRunId: OMICS_ID, work: { poll: { at: h.now() + MIN } } });
    expect((await row(h.runId)).omics_run_id).toBe(OMICS_ID);
  });

  it("a cancel during StartRun: accepted, then CancelRun at once; refused, CANCELED with no HealthOmics run", async () => {
    const granted = (runId: string, now: number): RunState => ({ ...initialState(runId, now, MIN), work: { start: { at: now, booked: true } } });
    const accepted = await stepHarness(granted, async (call, { hear, now }) => {
      if (call.operation === "StartRun") {
        await hear({ kind: "cancel", at: now, by: "demo" });
        return { status: 201, body: { id: OMICS_ID, uuid: "uuid-1", status: "PENDING" } };
      }
      return { status: 202 };
    });
    await accepted.fire();
    expect(accepted.alarm()).toBe(accepted.now());
    expect(await accepted.fire()).toBe("cancel");
    expect(ops(accepted.calls)).toEqual(["StartRun", "CancelRun"]);

    const refused = await stepHarness(granted, async (_call, { hear, now }) => {
      await hear({ kind: "cancel", at: now, by: "demo" });
      return error(400, "ValidationException");
    });
    await refused.fire();
    expect(refused.state()).toMatchObject({ phase: "finished", reportedState: "CANCELED", work: {} });
    expect((await row(refused.runId)).state).toBe("CANCELED");
  });

  it("a cancel that came in before the granted start is never followed by StartRun", async () => {
    const h = await stepHarness(
      (runId, now) => ({ ...initialState(runId, now, MIN), cancelRequested: true, cancelRequestedBy: "demo", work: { start: { at: now, booked: true } } }),
      () => run("PENDING"),
    );
    await h.fire();
    expect(h.calls).toHaveLength(0);
    expect((await row(h.runId)).state).toBe("CANCELED");
  });

  it("retries a failed StartRun after a backoff, asking for a new grant; logs the error once", async () => {
    const granted = (runId: string, now: number): RunState => ({ ...initialState(runId, now, MIN), work: { start: { at: now, booked: true } } });
    const h = await stepHarness(granted, () => error(500, "InternalServerException"));
    await h.fire();
    expect(h.state()).toMatchObject({ phase: "starting", attempt: 1 });
    expect(h.state().work.start!.booked).toBeUndefined();
    expect(h.state().work.start!.at).toBeGreaterThan(h.now());
    await h.hear({ kind: "start-grant", at: h.now(), slotAt: h.now() });
    await h.fire();
    expect(ops(h.calls)).toEqual(["StartRun", "StartRun"]);
    expect(JSON.parse((await row(h.runId)).system_logs).filter((l: string) => l.includes("StartRun failed"))).toHaveLength(1);
  });

  it("stays QUEUED when refused for a service quota, and ends SYSTEM_ERROR when refused otherwise", async () => {
    const granted = (runId: string, now: number): RunState => ({ ...initialState(runId, now, MIN), work: { start: { at: now, booked: true } } });
    const quota = await stepHarness(granted, () => error(402, "ServiceQuotaExceededException"));
    await quota.fire();
    expect(quota.state()).toMatchObject({ phase: "queued", quotaNoted: true });
    expect(quota.state().work.start!.at).toBeGreaterThanOrEqual(quota.now() + 15_000);
    expect((await row(quota.runId)).state).toBe("QUEUED");
    const refused = await stepHarness(granted, () => error(400, "ValidationException"));
    await refused.fire();
    expect((await row(refused.runId)).state).toBe("SYSTEM_ERROR");
  });

  it("woken too late for its grant, books a fresh StartRun slot instead of calling", async () => {
    const h = await stepHarness(
      (runId, now) => ({ ...initialState(runId, now, MIN), work: { start: { at: now - 5_000, booked: true } } }),
      () => run("PENDING"),
    );
    await h.budget.book("StartRun", "urgent", 2); // the line busy for a while
    await h.fire();
    expect(h.calls).toHaveLength(0);
    expect(h.state().work.start).toMatchObject({ booked: true, rebooks: 1 });
    expect(h.state().work.start!.at).toBeGreaterThan(h.now());
  });
});

describe("poll step", () => {
  it("a poll that sees nothing new writes nothing and polls less often", async () => {
    const h = await stepHarness(runningState(), () => run("RUNNING"));
    const logs = (await row(h.runId)).system_logs;
    expect(await h.fire()).toBe("poll");
    expect(h.state().pollIntervalMs).toBe(90_000);
    expect(h.state().work).toEqual({ poll: { at: h.now() + 90_000 } }); // random 0.5: no jitter
    expect((await row(h.runId)).system_logs).toBe(logs);
  });

  it("a change is written to D1 and makes a task sync due at once; the sync then re-schedules the poll", async () => {
    const h = await stepHarness(runningState({ omicsStatus: "STARTING", reportedState: "INITIALIZING" }), (call) =>
      call.operation === "GetRun" ? run("RUNNING") : { status: 200, body: { items: [task("5000001", "RUNNING")] } },
    );
    await h.fire();
    expect((await row(h.runId)).state).toBe("RUNNING");
    expect(h.state()).toMatchObject({ pollIntervalMs: MIN, work: { sync: { at: h.now() }, poll: { at: h.now() + MIN } } });
    h.advance(1_000);
    expect(await h.fire()).toBe("sync");
    expect(h.state().work).toEqual({ poll: { at: h.now() + MIN } });
  });

  it("while RUNNING, the periodic task sync rides on the first poll after its time", async () => {
    const h = await stepHarness(runningState({ periodicSyncAt: 0 }), (call) =>
      call.operation === "GetRun" ? run("RUNNING") : { status: 200, body: { items: [] } },
    );
    await h.fire();
    expect(h.state().work.sync).toEqual({ at: h.now() });
  });

  it("a final status: a last task sync, then the final state with exit code and outputs", async () => {
    const h = await stepHarness(runningState(), (call) =>
      call.operation === "GetRun"
        ? run("COMPLETED", { runOutputUri: "s3://wes-test-outputs/out/2100001", stopTime: "2026-01-01T00:00:00.000Z" })
        : { status: 200, body: { items: [task("5000001", "COMPLETED")] } },
    );
    await h.fire();
    expect(h.state().terminal).toMatchObject({ status: "COMPLETED" });
    expect(await h.fire()).toBe("sync");
    expect(await h.fire()).toBe("finish");
    expect(h.state()).toMatchObject({ phase: "finished", work: {} });
    expect(h.alarm()).toBeNull();
    const final = await row(h.runId);
    expect(final).toMatchObject({ state: "COMPLETE", exit_code: 0 });
    expect(JSON.parse(final.outputs).output_location).toBe("s3://wes-test-outputs/out/2100001");
  });

  it("a run HealthOmics no longer knows ends SYSTEM_ERROR without a task sync", async () => {
    const h = await stepHarness(runningState(), () => error(404, "ResourceNotFoundException"));
    await h.fire();
    expect(await h.fire()).toBe("finish");
    expect(ops(h.calls)).toEqual(["GetRun"]);
    expect((await row(h.runId)).state).toBe("SYSTEM_ERROR");
  });

  it("backs off after throttling and a dropped connection, and polls on afterwards", async () => {
    const replies: OmicsReply[] = [error(429, "ThrottlingException"), "drop", run("RUNNING")];
    const h = await stepHarness(runningState(), () => replies.shift()!);
    await h.fire();
    expect(h.state().attempt).toBe(1);
    expect(h.state().work.poll!.at - h.now()).toBeGreaterThanOrEqual(MIN);
    await h.fire();
    expect(h.state().attempt).toBe(2);
    await h.fire();
    expect(h.state().attempt).toBe(0);
    expect(ops(h.calls)).toEqual(["GetRun", "GetRun", "GetRun"]);
  });

  it("0fb1a3b: a run event during GetRun whose answer shows the announced status adds no poll", async () => {
    const h = await stepHarness(
      runningState((now) => ({ omicsStatus: "STARTING", lastEventAt: now })),
      async (call, { hear, now }) => {
        if (call.operation === "GetRun") await hear({ kind: "run-event", at: now, status: "RUNNING" });
        return call.operation === "GetRun" ? run("RUNNING") : { status: 200, body: { items: [] } };
      },
    );
    await h.fire();
    // Events flow and the poll saw the change: the next poll is the safety net; the sync the change asked for comes first.
    expect(h.state().work).toEqual({ sync: { at: h.now() }, poll: { at: h.now() + EVENTS.safetyPollMs } });
  });

  it("3ebec8e: a run event during a GetRun that answered with an older status polls again at once", async () => {
    const h = await stepHarness(
      runningState((now) => ({ omicsStatus: "PENDING", lastEventAt: now })),
      async (call, { hear, now }) => {
        if (call.operation === "GetRun" && h.calls.length === 1) await hear({ kind: "run-event", at: now, status: "RUNNING" });
        return call.operation === "GetRun" ? run(h.calls.length === 1 ? "STARTING" : "RUNNING") : { status: 200, body: { items: [] } };
      },
    );
    await h.fire();
    expect(h.state().work.poll).toEqual({ at: h.now(), woken: true });
    expect(h.state().pollIntervalMs).toBe(MIN);
    h.advance(1_000);
    expect(await h.fire()).toBe("sync"); // the sync the change asked for keeps the event's poll due…
    h.advance(1_000);
    expect(await h.fire()).toBe("poll"); // …which comes straight after
    expect(h.state().omicsStatus).toBe("RUNNING");
  });

  it("a quiet poll does not book while the GetRun line is busy: it comes back later", async () => {
    const h = await stepHarness(
      runningState((now) => ({ pollIntervalMs: SETTINGS.pollMaxMs, work: { poll: { at: now } } })),
      () => run("RUNNING"),
    );
    await h.budget.book("GetRun", "normal", 40); // 5 s of the line at 8/s
    await h.fire();
    expect(h.calls).toHaveLength(0);
    expect(h.state().work.poll!.booked).toBeUndefined();
    expect(h.state().work.poll!.at).toBeGreaterThan(h.now() + 4_000);
  });
});

describe("task-sync step", () => {
  it("writes only tasks that changed, fetches failure details once per failed task, and keeps a woken poll", async () => {
    let listing = [task("5000001", "RUNNING"), task("5000002", "FAILED")];
    const h = await stepHarness(
      runningState((now) => ({ work: { sync: { at: now }, poll: { at: now + 5_000, woken: true } } })),
      (call) =>
        call.operation === "ListRunTasks"
          ? { status: 200, body: { items: listing } }
          : { status: 200, body: { ...task(call.taskId!, "FAILED"), statusMessage: "exit 1", logStream: "s" } },
    );
    await h.fire();
    expect(ops(h.calls)).toEqual(["ListRunTasks", "GetRunTask"]);
    expect(h.state().work.poll).toEqual({ at: h.now() + 5_000, woken: true });
    h.advance(1_000);
    await h.hear({ kind: "task-event", at: h.now() });
    listing = [task("5000001", "COMPLETED"), task("5000002", "FAILED")];
    await h.fire();
    expect(ops(h.calls)).toEqual(["ListRunTasks", "GetRunTask", "ListRunTasks"]);
    const tasks = await (await import("cloudflare:workers")).env.DB.prepare("SELECT id, status FROM tasks WHERE run_id = ?1 ORDER BY id").bind(h.runId).all();
    expect(tasks.results).toEqual([
      { id: "5000001", status: "COMPLETED" },
      { id: "5000002", status: "FAILED" },
    ]);
  });

  it("a task event during ListRunTasks keeps a task sync due (the listing may predate it)", async () => {
    const h = await stepHarness(
      runningState((now) => ({ work: { sync: { at: now }, poll: { at: now + 60_000 } } })),
      async (_call, { hear, now }) => {
        await hear({ kind: "task-event", at: now });
        return { status: 200, body: { items: [] } };
      },
    );
    await h.fire();
    expect(h.state().work.sync).toEqual({ at: h.now(), woken: true });
    expect(h.state().work.poll).toEqual({ at: h.now() + 60_000 }); // re-scheduled: one interval after the sync
  });
});

describe("cancel step", () => {
  it("accepted: CANCELING, polled closely; refused as already finished: polled at once; unknown run: CANCELED", async () => {
    const cancelling = runningState((now) => ({
      cancelRequested: true,
      cancelRequestedBy: "demo",
      work: { cancel: { at: now }, poll: { at: now + 60_000 } },
    }));
    const accepted = await stepHarness(cancelling, () => ({ status: 202 }));
    await accepted.fire();
    expect(accepted.state()).toMatchObject({ cancelSent: true, pollIntervalMs: MIN, work: { poll: { at: accepted.now() + MIN } } });
    const conflict = await stepHarness(cancelling, () => error(409, "ConflictException"));
    await conflict.fire();
    expect(conflict.state().work.poll).toEqual({ at: conflict.now() });
    const gone = await stepHarness(cancelling, () => error(404, "ResourceNotFoundException"));
    await gone.fire();
    await gone.fire();
    expect((await row(gone.runId)).state).toBe("CANCELED");
  });
});
