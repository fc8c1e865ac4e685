/**
 * The hook every workers and emulator test file ends with (test/setup/stop-objects.ts): after
 * `reset()`, a run left mid-flight has no alarm and no state, so nothing wakes up while vitest
 * tears the file down.
 */
import { reset, runInDurableObject } from "cloudflare:test";
import { expect, it } from "vitest";
import { call, runBody } from "../support/api";
import { pause, runStub } from "../support/runs";

const stored = (runId: string) =>
  runInDurableObject(runStub(runId), async (_instance, state) => ({ alarm: await state.storage.getAlarm(), keys: (await state.storage.list()).size }));

it("reset() leaves a live run's object with no alarm and no state", async () => {
  const res = await call("/runs", { method: "POST", user: "demo", body: JSON.stringify(runBody("1000002")), headers: { "Content-Type": "application/json" } });
  expect(res.status).toBe(200);
  const { run_id: runId } = (await res.json()) as { run_id: string };
  // The object is live: it has an alarm whenever it is not running one.
  let before = await stored(runId);
  for (let i = 0; before.alarm === null && i < 100; i++) {
    await pause(20);
    before = await stored(runId);
  }
  expect(before.alarm).not.toBeNull();
  expect(before.keys).toBeGreaterThan(0);

  await reset();

  expect(await stored(runId)).toEqual({ alarm: null, keys: 0 });
});
