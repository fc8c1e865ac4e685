/**
 * The shared HealthOmics API budget: calls are paced to the configured rate (callers wait for a
 * booked slot instead of failing), quiet runs give way when the line is busy, starts are shared
 * round-robin between users, throttles shrink the budget, and admins can see it all.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { BudgetObject } from "../../src/budget/budget-object";
import { StartQueue } from "../../src/budget/start-order";
import { markGranted, nextStart } from "../../src/budget/start-queue";
import { initialState, type RunState } from "../../src/executors/healthomics/run/run-state";
import { call, runBody, submit } from "../support/api";
import { callsFor, countCalls, untilCalls } from "../support/emulator";
import { drain, drive, runStub, storeWithoutHandOver } from "../support/runs";

/** A budget object of its own, so this file does not disturb the runs of other tests. */
function freshBudget() {
  return env.BUDGET_OBJECT.get(env.BUDGET_OBJECT.idFromName(`test-${crypto.randomUUID()}`));
}

/** Grants starts until the queue is empty; the run ids in grant order. */
function grantAll(sql: SqlStorage): string[] {
  const granted: string[] = [];
  for (let seq = 1; ; seq++) {
    const next = nextStart(sql);
    if (!next) return granted;
    markGranted(sql, next, seq);
    granted.push(next.runId);
  }
}

describe("API budget", () => {
  it("books a burst of calls into slots that never exceed the budget rate", async () => {
    const budget = freshBudget();
    const rate = 200 * 0.8; // GetRun quota in the test config × headroom
    const slots: number[] = [];
    for (let i = 0; i < 400; i++) {
      const booking = await budget.book("GetRun", "normal");
      expect(booking.booked).toBe(true);
      slots.push(booking.at);
    }
    // Every caller got a slot (nobody failed); in any 1-second window at most rate + burst calls.
    for (let i = 0; i < slots.length; i++) {
      const inWindow = slots.filter((s) => s >= slots[i]! && s < slots[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(Math.floor(rate) * 2);
    }
    expect(slots[slots.length - 1]! - slots[0]!).toBeGreaterThanOrEqual(((400 - rate) / rate) * 1000 - 50);
  });

  it("tells quiet runs to come back later instead of booking when the line is busy", async () => {
    const budget = freshBudget();
    // 1,600 calls at 160/s book the line about 10 s ahead.
    await Promise.all(Array.from({ length: 1600 }, () => budget.book("GetRun", "normal")));
    const quiet = await budget.book("GetRun", "quiet");
    expect(quiet.booked).toBe(false);
    expect(quiet.at).toBeGreaterThan(Date.now());
    const urgent = await budget.book("GetRun", "urgent");
    expect(urgent.booked).toBe(true);
  });

  it("shares starts round-robin between users, in submission order within a user", async () => {
    const budget = freshBudget();
    const order = await runInDurableObject(budget, async (_instance: BudgetObject, state) => {
      const sql = state.storage.sql;
      const queue = [
        ["a1", "alice", 1],
        ["a2", "alice", 2],
        ["a3", "alice", 3],
        ["a4", "alice", 4],
        ["b1", "bob", 5],
        ["b2", "bob", 6],
        ["c1", "carol", 7],
      ] as const;
      for (const [runId, user, at] of queue)
        sql.exec("INSERT INTO start_queue (run_id, user, submitted_at, enqueued_at) VALUES (?, ?, ?, ?)", runId, user, at, at);
      return grantAll(sql);
    });
    expect(order).toEqual(["a1", "b1", "c1", "a2", "b2", "a3", "a4"]);
  });

  it("orders a user's own queue by the HealthOmics priority option, never their turn against others", async () => {
    const budget = freshBudget();
    const order = await runInDurableObject(budget, async (_instance: BudgetObject, state) => {
      const sql = state.storage.sql;
      const queue = [
        ["a1", "alice", 1, 0],
        ["a2", "alice", 2, 50],
        ["a3", "alice", 3, 50],
        ["a4", "alice", 4, 100],
        ["b1", "bob", 5, 0],
        ["b2", "bob", 6, 0],
      ] as const;
      for (const [runId, user, at, priority] of queue) {
        sql.exec("INSERT INTO start_queue (run_id, user, submitted_at, enqueued_at, priority) VALUES (?, ?, ?, ?, ?)", runId, user, at, at, priority);
      }
      return grantAll(sql);
    });
    expect(order).toEqual(["a4", "b1", "a2", "b2", "a3", "a1"]);
  });

  it("the simulator's in-memory start queue grants in exactly the order of the object's SQL", async () => {
    const budget = freshBudget();
    // Random queues: a few users, priorities and submission times with ties, runs added while others are granted.
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const [sqlOrder, memoryOrder] = await runInDurableObject(budget, async (_instance: BudgetObject, state) => {
      const sql = state.storage.sql;
      const memory = new StartQueue();
      const fromSql: string[] = [];
      const fromMemory: string[] = [];
      for (let i = 0, seq = 1; i < 300; i++) {
        if (random() < 0.6) {
          const start = {
            runId: `r${String(Math.floor(random() * 1e6)).padStart(6, "0")}-${i}`,
            user: ["alice", "bob", "carol", "dave"][Math.floor(random() * 4)]!,
            submittedAt: Math.floor(random() * 50),
            priority: [0, 0, 10, 100][Math.floor(random() * 4)]!,
          };
          sql.exec(
            "INSERT INTO start_queue (run_id, user, submitted_at, enqueued_at, priority) VALUES (?, ?, ?, ?, ?)",
            start.runId,
            start.user,
            start.submittedAt,
            0,
            start.priority,
          );
          memory.add(start);
        } else {
          const next = nextStart(sql);
          const mine = memory.next();
          fromSql.push(next?.runId ?? "-");
          fromMemory.push(mine?.runId ?? "-");
          if (next) markGranted(sql, next, seq);
          if (mine) memory.grant(mine, seq);
          seq += 1;
        }
      }
      return [fromSql, fromMemory];
    });
    expect(sqlOrder.filter((id) => id !== "-").length).toBeGreaterThan(50);
    expect(memoryOrder).toEqual(sqlOrder);
  });

  it("gives a start queue stored by the first release its priority column, keeping the queued runs", async () => {
    const budget = freshBudget();
    const next = await runInDurableObject(budget, async (instance: BudgetObject, state) => {
      const sql = state.storage.sql;
      sql.exec("DROP TABLE start_queue");
      sql.exec("CREATE TABLE start_queue (run_id TEXT PRIMARY KEY, user TEXT NOT NULL, submitted_at INTEGER NOT NULL, enqueued_at INTEGER NOT NULL)");
      sql.exec("INSERT INTO start_queue VALUES ('old-1', 'alice', 1, 1)");
      // The object as the new code constructs it over that storage.
      const Budget = instance.constructor as new (ctx: DurableObjectState, env: Env) => BudgetObject;
      new Budget(state, env);
      sql.exec("INSERT INTO start_queue (run_id, user, submitted_at, enqueued_at, priority) VALUES ('new-1', 'alice', 2, 2, 10)");
      return [nextStart(sql)?.runId, sql.exec<{ priority: number }>("SELECT priority FROM start_queue WHERE run_id = 'old-1'").one().priority];
    });
    expect(next).toEqual(["new-1", 0]);
  });

  it("gives a buckets table stored before quiet calls were spread its column, keeping the lines", async () => {
    const budget = freshBudget();
    const booking = await runInDurableObject(budget, async (instance: BudgetObject, state) => {
      const sql = state.storage.sql;
      sql.exec("DROP TABLE buckets");
      sql.exec(
        "CREATE TABLE buckets (name TEXT PRIMARY KEY, tat REAL NOT NULL, factor REAL NOT NULL, last_throttle INTEGER NOT NULL, throttles INTEGER NOT NULL, booked INTEGER NOT NULL)",
      );
      sql.exec("INSERT INTO buckets VALUES ('GetRun', ?, 1, 0, 0, 7)", Date.now() + 60_000);
      const Budget = instance.constructor as new (ctx: DurableObjectState, env: Env) => BudgetObject;
      return await new Budget(state, env).book("GetRun", "quiet");
    });
    expect(booking.booked).toBe(false); // the line stored before is still 60 s ahead
    expect(booking.at).toBeGreaterThan(Date.now() + 50_000);
    expect((await budget.stats()).buckets.find((b) => b.name === "GetRun")!.booked).toBe(7);
  });

  it("halves a bucket on ThrottlingException (once per burst of them) and shows it to admins", async () => {
    const budget = freshBudget();
    const before = (await budget.stats()).buckets.find((b) => b.name === "CancelRun")!;
    await budget.throttled("CancelRun");
    await budget.throttled("CancelRun"); // the same bunch of calls: one congestion signal
    const after = (await budget.stats()).buckets.find((b) => b.name === "CancelRun")!;
    expect(after.rate).toBeCloseTo(before.rate / 2, 1);
    expect(after.throttles).toBe(2);
  });

  it("the sweep's check re-arms a dispatcher that lost its alarm while runs wait, and only then", async () => {
    const budget = freshBudget();
    expect(await budget.ensureDispatching()).toBe(false); // nobody waits
    await runInDurableObject(budget, async (_instance: BudgetObject, state) => {
      state.storage.sql.exec("INSERT INTO start_queue (run_id, user, submitted_at, enqueued_at) VALUES ('stranded', 'alice', 1, 1)");
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await budget.ensureDispatching()).toBe(false); // runs wait, but the dispatcher's alarm is pending
    await runInDurableObject(budget, async (_instance: BudgetObject, state) => await state.storage.deleteAlarm());
    expect(await budget.ensureDispatching()).toBe(true);
    // The dispatcher ran: the stranded run got its grant (its object declines it: it has no state) and left the queue.
    const queued = async () =>
      await runInDurableObject(
        budget,
        async (_instance: BudgetObject, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM start_queue").one().n,
      );
    for (let i = 0; i < 50 && (await queued()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await queued()).toBe(0);
  });

  it("a spare call (failure details) takes only a slot free now, and books nothing otherwise", async () => {
    const budget = freshBudget();
    const booked = async () => (await budget.stats()).buckets.find((b) => b.name === "GetRunTask")!.booked;
    expect(await budget.book("GetRunTask", "spare")).toMatchObject({ booked: true }); // an idle line: now
    // The line booked about ten seconds ahead (1,600 calls at 160/s; however slow the machine, well ahead).
    await budget.book("GetRunTask", "normal", 1_600);
    const before = await booked();
    const answer = await budget.book("GetRunTask", "spare");
    expect(answer.booked).toBe(false);
    expect(answer.at).toBeGreaterThan(Date.now() + 1_000);
    expect(await booked()).toBe(before); // no slot held that nobody would use
  });

  it("a run woken too late for its start grant books a fresh StartRun slot, then starts exactly once", async () => {
    const runId = await storeWithoutHandOver();
    const stub = runStub(runId);
    await runInDurableObject(stub, async (_instance, state) => {
      // Granted 5 s ago (as if its isolate had stalled); the alarm is far off so only this test fires it.
      await state.storage.put("state", { ...initialState(runId, Date.now(), 1000), work: { start: { at: Date.now() - 5_000, booked: true } } });
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    // The StartRun line is busy for about a second (16 slots at the test budget of 16/s).
    const global = env.BUDGET_OBJECT.get(env.BUDGET_OBJECT.idFromName("global"));
    await Promise.all(Array.from({ length: 16 }, () => global.book("StartRun", "urgent")));
    await runDurableObjectAlarm(stub);
    const waiting = (await stub.describe()) as RunState | null;
    expect(waiting).toMatchObject({ phase: "queued", work: { start: { booked: true, rebooks: 1 } } });
    expect(waiting!.work.start!.at).toBeGreaterThan(Date.now());
    expect((await callsFor(runId)).filter((c) => c.operation === "StartRun")).toHaveLength(0);
    expect(await drive(runId, (state) => state !== "QUEUED")).not.toBe("QUEUED");
    expect((await callsFor(runId)).filter((c) => c.operation === "StartRun")).toHaveLength(1);
    await call(`/runs/${runId}/cancel`, { method: "POST", user: "demo" });
    await drain(runId);
  });

  it("serves the metrics to admins only", async () => {
    const anonymous = await fetchMetrics();
    expect(anonymous.status).toBe(401);
    expect((await fetchMetrics("demo")).status).toBe(403);
    const res = await fetchMetrics("admin");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      healthomics_budget: { operations: Array<{ operation: string; budget_per_second: number }> };
      start_queue: { length: number };
    };
    expect(body.healthomics_budget.operations.map((o) => o.operation)).toContain("StartRun");
    expect(body.healthomics_budget.operations.find((o) => o.operation === "StartRun")!.budget_per_second).toBeCloseTo(16, 1);
    expect(typeof body.start_queue.length).toBe("number");
  });
});

async function fetchMetrics(user?: string): Promise<Response> {
  const { exports } = await import("cloudflare:workers");
  const headers = new Headers();
  if (user) headers.set("Authorization", `Basic ${btoa(`${user}:${user}`)}`);
  return await exports.default.fetch(new Request("http://wes.test/admin/metrics", { headers }));
}
