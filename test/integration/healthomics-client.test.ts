/**
 * HealthOmicsClient against the real emulator process (env.TEST_EMULATOR_URL): SigV4 with AWS's
 * example keys, the model's HTTP bindings, idempotent StartRun, paging, cancel, auth failures and
 * injected throttling.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import {
  HealthOmicsClient,
  type HealthOmicsClientOptions,
  type OmicsCallRecord,
  type OmicsResult,
  type StartRunInput,
  type TaskListItemOutput,
} from "../../src/executors/healthomics/client/client";

const CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  region: "us-east-1",
} as const;

function client(options: Partial<HealthOmicsClientOptions> = {}): HealthOmicsClient {
  return new HealthOmicsClient({ ...CREDENTIALS, endpoint: env.TEST_EMULATOR_URL, ...options });
}

function runInput(overrides: Partial<StartRunInput> = {}): StartRunInput {
  return {
    workflowId: "1000001",
    workflowType: "PRIVATE",
    roleArn: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
    outputUri: "s3://wes-test-outputs/",
    requestId: crypto.randomUUID(),
    name: "client-test",
    parameters: { input_file: "s3://wes-test-inputs/sample.bam", sample_name: "NA12878" },
    ...overrides,
  };
}

/**
 * Repeats a call while it is throttled, as the real caller's alarm loop does. The emulator
 * enforces AWS's API rates (StartRun 1 TPS, scaled by its time scale) and other test files share
 * it, so a StartRun of this file can meet a throttle it did not inject.
 */
async function unthrottled<T>(call: () => Promise<OmicsResult<T>>): Promise<OmicsResult<T>> {
  let result = await call();
  for (let i = 0; i < 6 && !result.ok && result.error.type === "ThrottlingException"; i++) {
    await sleep(100 * 2 ** i);
    result = await call();
  }
  return result;
}

/** Starts a run and returns its id (fails the test otherwise). */
async function startRun(omics: HealthOmicsClient, overrides: Partial<StartRunInput> = {}): Promise<string> {
  const input = runInput(overrides);
  const started = await unthrottled(() => omics.startRun(input));
  if (!started.ok) throw new Error(`StartRun failed: ${JSON.stringify(started.error)}`);
  expect(started.value.id).toMatch(/^[0-9]+$/);
  return started.value.id as string;
}

/** Tests that wait for the emulated run (20× real time) to progress. */
const POLL_TEST_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function injectFault(fault: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${env.TEST_EMULATOR_URL}/__emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(fault),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`fault injection failed: ${res.status} ${text}`);
}

afterEach(async () => {
  const res = await fetch(`${env.TEST_EMULATOR_URL}/__emulator/faults`, { method: "DELETE" });
  await res.body?.cancel();
});

describe("GetWorkflow", () => {
  it("returns a seeded workflow", async () => {
    const result = await client().getWorkflow("1000001");
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value).toMatchObject({ id: "1000001", status: "ACTIVE", engine: "WDL" });
    expect(result.value.parameterTemplate?.input_file).toBeDefined();
    expect(typeof result.value.creationTime).toBe("string");
    expect(Number.isNaN(Date.parse(result.value.creationTime ?? ""))).toBe(false);
  });

  it("passes the type query for READY2RUN workflows", async () => {
    const result = await client().getWorkflow("9000001", { type: "READY2RUN" });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value).toMatchObject({ id: "9000001", type: "READY2RUN" });
  });

  it("an unknown workflow is a final ResourceNotFoundException", async () => {
    const result = await client().getWorkflow("4242424242");
    expect(result).toMatchObject({
      ok: false,
      error: { type: "ResourceNotFoundException", status: 404, retryable: false },
    });
  });
});

describe("StartRun", () => {
  it("answers 201 with the run's id, arn, uuid and status", async () => {
    const records: OmicsCallRecord[] = [];
    const omics = client({ onCall: (r) => records.push(r) });
    const input = runInput();
    const result = await unthrottled(() => omics.startRun(input));
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value).toMatchObject({
      id: expect.stringMatching(/^[0-9]+$/),
      arn: expect.stringContaining(":run/"),
      uuid: expect.any(String),
      status: "PENDING",
    });
    expect(records.at(-1)).toMatchObject({ operation: "StartRun", status: 201 });
  });

  it("is idempotent on requestId", async () => {
    const omics = client();
    const input = runInput();
    const first = await unthrottled(() => omics.startRun(input));
    const second = await unthrottled(() => omics.startRun(input));
    if (!first.ok || !second.ok) throw new Error(JSON.stringify([first, second]));
    expect(second.value.id).toBe(first.value.id);
    expect(second.value.uuid).toBe(first.value.uuid);
  });

  it("rejects a workflow that does not exist as final", async () => {
    const omics = client();
    const input = runInput({ workflowId: "4242424242" });
    const result = await unthrottled(() => omics.startRun(input));
    expect(result).toMatchObject({ ok: false, error: { retryable: false } });
  });
});

describe("GetRun, ListRunTasks, GetRunTask, CancelRun", () => {
  it("reads back a started run", async () => {
    const omics = client();
    const input = runInput();
    const id = await startRun(omics, input);
    const result = await omics.getRun(id);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value).toMatchObject({
      id,
      workflowId: "1000001",
      roleArn: input.roleArn,
      parameters: input.parameters,
    });
    expect(["PENDING", "STARTING", "RUNNING", "STOPPING", "COMPLETED"]).toContain(result.value.status);
    expect(typeof result.value.creationTime).toBe("string");
  });

  it(
    "walks every ListRunTasks page and agrees with GetRunTask",
    async () => {
      const omics = client();
      const id = await startRun(omics);
      // The emulator runs 20× faster than real time; wait until the run has finished its tasks.
      let tasks: TaskListItemOutput[] = [];
      for (let i = 0; i < 60; i++) {
        const run = await omics.getRun(id);
        if (run.ok && (run.value.status === "COMPLETED" || run.value.status === "FAILED")) break;
        await sleep(250);
      }
      const records: OmicsCallRecord[] = [];
      const paged = client({ onCall: (r) => records.push(r) });
      const all = await paged.listAllRunTasks(id, { maxResults: 1 });
      if (!all.ok) throw new Error(JSON.stringify(all.error));
      tasks = all.value;
      expect(tasks.length).toBeGreaterThanOrEqual(2);
      // One page per task, plus at most one (empty) last page.
      expect(records.length).toBeGreaterThanOrEqual(tasks.length);
      expect(records.every((r) => r.operation === "ListRunTasks" && r.status === 200)).toBe(true);

      const single = await omics.listRunTasks(id, { maxResults: 100 });
      if (!single.ok) throw new Error(JSON.stringify(single.error));
      expect(single.value.items?.map((t) => t.taskId)).toEqual(tasks.map((t) => t.taskId));
      expect(single.value.nextToken).toBeUndefined();

      const first = tasks[0];
      const task = await omics.getRunTask(id, first?.taskId ?? "");
      if (!task.ok) throw new Error(JSON.stringify(task.error));
      expect(task.value).toMatchObject({ taskId: first?.taskId, name: first?.name });
    },
    POLL_TEST_TIMEOUT_MS,
  );

  it(
    "stops a walk at maxPages with a final error",
    async () => {
      const omics = client();
      const id = await startRun(omics);
      for (let i = 0; i < 60; i++) {
        const page = await omics.listRunTasks(id, { maxResults: 1 });
        if (page.ok && page.value.nextToken) break;
        await sleep(250);
      }
      const result = await omics.listAllRunTasks(id, { maxResults: 1, maxPages: 1 });
      expect(result).toMatchObject({ ok: false, error: { type: "PageLimitExceeded", retryable: false } });
    },
    POLL_TEST_TIMEOUT_MS,
  );

  it(
    "a failing later page fails the whole walk",
    async () => {
      const omics = client();
      const id = await startRun(omics);
      for (let i = 0; i < 60; i++) {
        const page = await omics.listRunTasks(id, { maxResults: 1 });
        if (page.ok && page.value.nextToken) break;
        await sleep(250);
      }
      // Page 1 goes through; just before page 2 is sent, a one-shot throttle is injected. The
      // wrapper only delays the request: every call still reaches the real emulator over HTTP.
      let sent = 0;
      const injectBeforeSecond: typeof fetch = async (input, init) => {
        sent += 1;
        if (sent === 2) await injectFault({ operation: "ListRunTasks", kind: "throttle", count: 1 });
        return await fetch(input, init);
      };
      const records: OmicsCallRecord[] = [];
      const walker = client({ fetch: injectBeforeSecond, onCall: (r) => records.push(r) });
      const walked = await walker.listAllRunTasks(id, { maxResults: 1 });
      expect(walked).toMatchObject({ ok: false, error: { type: "ThrottlingException", retryable: true } });
      expect(records.map((r) => r.status)).toEqual([200, 429]);
    },
    POLL_TEST_TIMEOUT_MS,
  );

  it(
    "cancels a run (202, no body)",
    async () => {
      const omics = client();
      // 1000002 is the long-running seeded workflow, so the run is still live when cancelled.
      const id = await startRun(omics, { workflowId: "1000002" });
      const records: OmicsCallRecord[] = [];
      const cancelled = await client({ onCall: (r) => records.push(r) }).cancelRun(id);
      expect(cancelled).toEqual({ ok: true, value: undefined });
      expect(records).toMatchObject([{ operation: "CancelRun", status: 202 }]);
      let status: string | undefined;
      for (let i = 0; i < 40; i++) {
        const run = await omics.getRun(id);
        status = run.ok ? run.value.status : undefined;
        if (status === "CANCELLED") break;
        await sleep(250);
      }
      expect(status).toBe("CANCELLED");
    },
    POLL_TEST_TIMEOUT_MS,
  );

  it("an unknown run is a final ResourceNotFoundException", async () => {
    const result = await client().getRun("999999999999");
    expect(result).toMatchObject({ ok: false, error: { type: "ResourceNotFoundException", retryable: false } });
  });

  it("URL-encodes path labels", async () => {
    const result = await client().getRun("12/cancel");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // Encoded as /run/12%2Fcancel: a bad id, not a CancelRun of run 12.
    expect(result.error.retryable).toBe(false);
    expect(["ValidationException", "ResourceNotFoundException"]).toContain(result.error.type);
  });
});

describe("authentication and faults", () => {
  it("a wrong secret is a final 403 that does not leak the secret", async () => {
    const secretAccessKey = "wrongwrongwrongwrongwrongwrongwrongwrong";
    const result = await client({ secretAccessKey }).getWorkflow("1000001");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ status: 403, retryable: false });
    expect(result.error.type).toMatch(/InvalidSignatureException|AccessDeniedException|UnrecognizedClientException/);
    expect(result.error.message).not.toContain(secretAccessKey);
  });

  it("a session token is signed and accepted or rejected, never leaked", async () => {
    const sessionToken = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789";
    const result = await client({ sessionToken }).getWorkflow("1000001");
    if (!result.ok) expect(result.error.message).not.toContain(sessionToken);
  });

  it("an injected throttle is a retryable ThrottlingException, then the call succeeds", async () => {
    await injectFault({ operation: "GetWorkflow", kind: "throttle", count: 1 });
    const omics = client();
    const throttled = await omics.getWorkflow("1000001");
    expect(throttled).toMatchObject({
      ok: false,
      error: { type: "ThrottlingException", status: 429, retryable: true },
    });
    const again = await omics.getWorkflow("1000001");
    expect(again.ok).toBe(true);
  });

  it("an injected server error is retryable", async () => {
    await injectFault({ operation: "GetRun", kind: "error", count: 1 });
    const result = await client().getRun("1");
    expect(result).toMatchObject({ ok: false, error: { retryable: true } });
  });

  it("StartRun retried after a lost answer returns the run already started", async () => {
    // The emulator processes the StartRun, then drops the connection: the client sees a network
    // error; the retry with the same requestId must find the same run.
    await injectFault({ operation: "StartRun", kind: "drop", count: 1, afterProcessing: true });
    const omics = client();
    const input = runInput();
    const lost = await omics.startRun(input);
    expect(lost).toMatchObject({ ok: false, error: { retryable: true } });
    const retried = await unthrottled(() => omics.startRun(input));
    if (!retried.ok) throw new Error(JSON.stringify(retried.error));
    // The emulator's request log shows the lost call created the run the retry returned.
    const log = await fetch(`${env.TEST_EMULATOR_URL}/__emulator/requests?requestId=${encodeURIComponent(input.requestId)}`);
    const { requests } = await log.json<{ requests: { operation: string; status: number; runId?: string }[] }>();
    const startRuns = requests.filter((r) => r.operation === "StartRun");
    expect(startRuns.length).toBeGreaterThanOrEqual(2);
    const runIds = new Set(startRuns.map((r) => r.runId).filter((id) => id !== undefined));
    expect([...runIds]).toEqual([retried.value.id]);
  });
});
