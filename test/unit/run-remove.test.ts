/**
 * The remove step (step-remove.ts) in the real loop (shell.ts) with a fake HealthOmics behind the
 * real client and S3 in memory: DeleteRun first (when asked), then the folders in bounded batches
 * of list + delete, failures retried with back-off or given up, and at the end the object wipes
 * itself. The Durable Object and the emulator are covered in test/runs/delete-data.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { PrefixStore } from "../../src/executors/healthomics/aws/s3-prefix-delete";
import { initialState, type Removal, type RunState } from "../../src/executors/healthomics/run/run-state";
import { MAX_REMOVE_ATTEMPTS, REMOVE_BATCH } from "../../src/executors/healthomics/run/step-remove";
import { type OmicsCall, type OmicsReply, stepHarness } from "../support/step-harness";

const FOLDER = "s3://wes-test-outputs/users/demo/runs/r1/";

/** S3 in memory; `fail(op, key)` answers an error for that call when it returns one. */
function memoryS3(keys: string[], fail: (op: "list" | "delete", key?: string) => { type: string; retryable: boolean } | undefined = () => undefined) {
  const store = new Set(keys);
  const calls: string[] = [];
  const s3: PrefixStore = {
    async listObjects(_bucket, prefix) {
      calls.push("list");
      const error = fail("list");
      if (error) return { ok: false, error: { ...error, message: "failed" } };
      return {
        ok: true,
        value: {
          objects: [...store]
            .filter((k) => k.startsWith(prefix))
            .sort()
            .slice(0, 1000)
            .map((key) => ({ key })),
        },
      };
    },
    async deleteObject(_bucket, key) {
      calls.push("delete");
      const error = fail("delete", key);
      if (error) return { ok: false, error: { ...error, message: "failed" } };
      store.delete(key);
      return { ok: true, value: undefined };
    },
  };
  return { s3, store, calls };
}

const files = (n: number, folder = "users/demo/runs/r1/") => Array.from({ length: n }, (_, i) => `${folder}out/f${String(i).padStart(4, "0")}`);

function removing(removal: Partial<Removal>): (runId: string, now: number) => RunState {
  return (runId, now) => ({
    ...initialState(runId, now, 10_000),
    phase: "removing",
    omicsRunId: "2200001",
    removal: { since: now, folders: [FOLDER], deleted: 0, gaveUp: [], ...removal },
    work: { remove: { at: now } },
  });
}

/** Fires alarms until the object wiped itself (or `limit` alarms). */
async function untilWiped(h: Awaited<ReturnType<typeof stepHarness>>, limit = 200): Promise<number> {
  let alarms = 0;
  while (!h.wiped() && alarms < limit) {
    await h.fire();
    alarms += 1;
  }
  return alarms;
}

describe("the remove step", () => {
  it("deletes the HealthOmics run first, then the folder in batches of REMOVE_BATCH, then wipes the object", async () => {
    const { s3, store, calls } = memoryS3([...files(REMOVE_BATCH * 2 + 5), "users/demo/runs/r10/out/keep", "packages/abc.zip"]);
    const omics: OmicsCall[] = [];
    const h = await stepHarness(
      removing({ omicsRunId: "2200001" }),
      (call) => {
        omics.push(call);
        return { status: 202 };
      },
      { s3 },
    );
    await untilWiped(h);
    expect(h.wiped()).toBe(true);
    expect(h.alarm()).toBeNull();
    expect(omics.map((c) => [c.operation, c.runId])).toEqual([["DeleteRun", "2200001"]]);
    expect([...store].sort()).toEqual(["packages/abc.zip", "users/demo/runs/r10/out/keep"]);
    // Three batches (40 + 40 + 5), each one listing and its deletions, then an empty listing.
    expect(calls.filter((c) => c === "list")).toHaveLength(4);
    expect(calls.filter((c) => c === "delete")).toHaveLength(REMOVE_BATCH * 2 + 5);
  });

  it("without DeleteRun asked for, HealthOmics is not called; a run HealthOmics no longer has counts as deleted", async () => {
    const calls: OmicsCall[] = [];
    const record = (reply: OmicsReply) => (call: OmicsCall) => {
      calls.push(call);
      return reply;
    };
    const none = await stepHarness(removing({ folders: [] }), record({ status: 202 }), { s3: memoryS3([]).s3 });
    await untilWiped(none);
    expect(none.wiped()).toBe(true);
    expect(calls).toEqual([]);

    const gone = await stepHarness(
      removing({ omicsRunId: "2200002", folders: [] }),
      record({ status: 404, type: "ResourceNotFoundException", body: { message: "no such run" } }),
      { s3: memoryS3([]).s3 },
    );
    await untilWiped(gone);
    expect(gone.wiped()).toBe(true);
    expect(calls.map((c) => c.operation)).toEqual(["DeleteRun"]);
  });

  it("retries a throttled DeleteRun and a failing DeleteObject with back-off, and completes", async () => {
    let deleteRuns = 0;
    let failures = 2;
    const { s3, store } = memoryS3(files(3), (op) => (op === "delete" && failures-- > 0 ? { type: "SlowDown", retryable: true } : undefined));
    const h = await stepHarness(
      removing({ omicsRunId: "2200003" }),
      (): OmicsReply => (++deleteRuns <= 2 ? { status: 429, type: "ThrottlingException", body: { message: "slow down" } } : { status: 202 }),
      { s3 },
    );
    const start = h.now();
    await untilWiped(h);
    expect(h.wiped()).toBe(true);
    expect(deleteRuns).toBe(3);
    expect(store.size).toBe(0);
    expect(h.now()).toBeGreaterThan(start); // the retries waited (back-off), they did not spin
  });

  it("gives up a refused part (AccessDenied) at once and a failing one after MAX_REMOVE_ATTEMPTS, and still wipes", async () => {
    const { s3, store, calls } = memoryS3(files(2), (op) => (op === "delete" ? { type: "AccessDenied", retryable: false } : undefined));
    const h = await stepHarness(removing({}), () => ({ status: 202 }), { s3 });
    await untilWiped(h);
    expect(h.wiped()).toBe(true);
    expect(store.size).toBe(2); // left behind, and logged (run.remove_gave_up)
    expect(calls.filter((c) => c === "list")).toHaveLength(1);

    let attempts = 0;
    const failing = memoryS3(files(1), (op) => {
      if (op !== "list") return undefined;
      attempts += 1;
      return { type: "InternalError", retryable: true };
    });
    const g = await stepHarness(removing({}), () => ({ status: 202 }), { s3: failing.s3 });
    await untilWiped(g);
    expect(g.wiped()).toBe(true);
    expect(attempts).toBe(MAX_REMOVE_ATTEMPTS);
  });
});
