/**
 * The emulator through its Worker fetch, as the API's client sees it (aws4fetch-signed calls),
 * at the test time scale (0.05: 20× faster).
 */
import { AwsClient } from "aws4fetch";
import { beforeAll, describe, expect, it } from "vitest";
import { CREDENTIALS, call, local, rid, startBody, waitForFinal, waitForWorkflow } from "./helpers";

beforeAll(async () => {
  await local("DELETE", "/__emulator/faults");
  expect((await local("PUT", "/__emulator/config", { quotas: "off" })).status).toBe(200);
});

describe("runs", () => {
  it("starts a run (201), which completes with tasks; tasks page and read back", async () => {
    const requestId = rid("complete");
    const started = await call("POST", "/run", startBody("1000001", requestId));
    expect(started.status).toBe(201);
    expect(started.headers.get("x-amzn-requestid")).toBeTruthy();
    const id = String(started.json!.id);
    expect(id).toMatch(/^\d{7}$/);
    expect(started.json).toMatchObject({
      status: "PENDING",
      arn: `arn:aws:omics:us-east-1:123456789012:run/${id}`,
      runOutputUri: `s3://example-bucket/outputs/${id}`,
    });
    const run = await waitForFinal(id);
    expect(run).toMatchObject({
      id,
      status: "COMPLETED",
      workflowId: "1000001",
      workflowType: "PRIVATE",
      retentionMode: "RETAIN",
      logLocation: {
        runLogStream: `arn:aws:logs:us-east-1:123456789012:log-group:/aws/omics/WorkflowLog:log-stream:run/${id}`,
        engineLogStream: `arn:aws:logs:us-east-1:123456789012:log-group:/aws/omics/WorkflowLog:log-stream:run/${id}/engine`,
      },
    });
    expect(String(run.creationTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(run.stopTime).toBeTruthy();
    expect(run.failureReason).toBeUndefined();

    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await call("GET", `/run/${id}/task?maxResults=1${token ? `&startingToken=${token}` : ""}`);
      expect(page.status).toBe(200);
      const items = page.json!.items as Record<string, unknown>[];
      expect(items.length).toBeLessThanOrEqual(1);
      ids.push(...items.map((t) => String(t.taskId)));
      token = page.json!.nextToken as string | undefined;
    } while (token);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const task = await call("GET", `/run/${id}/task/${ids[0]}`);
    expect(task.json).toMatchObject({
      taskId: ids[0],
      status: "COMPLETED",
      logStream: `arn:aws:logs:us-east-1:123456789012:log-group:/aws/omics/WorkflowLog:log-stream:run/${id}/task/${ids[0]}`,
      cacheHit: false,
    });
    expect(String(task.json!.instanceType)).toMatch(/^omics\./);
    expect((await call("GET", `/run/${id}/task?status=FAILED`)).json!.items).toEqual([]);
    expect((await call("GET", `/run/${id}/task/1`)).status).toBe(404);
  });

  it("fails 1000003 with RUN_TASK_FAILED, listing the failed attempt and its retry", async () => {
    const { json } = await call("POST", "/run", startBody("1000003", rid("fail")));
    const run = await waitForFinal(String(json!.id));
    expect(run).toMatchObject({ status: "FAILED", failureReason: "RUN_TASK_FAILED" });
    expect(run.statusMessage).toBeTruthy();
    const failed = (await call("GET", `/run/${String(json!.id)}/task?status=FAILED`)).json!.items as Record<string, unknown>[];
    expect(failed).toHaveLength(2);
    expect(failed[0]!.name).toBe(failed[1]!.name);
    expect(failed[0]!.taskId).not.toBe(failed[1]!.taskId);
    const detail = await call("GET", `/run/${String(json!.id)}/task/${String(failed[0]!.taskId)}`);
    expect(detail.json!.statusMessage).toBeTruthy();
  });

  it("fails 1000004 with IMPORT_FAILED and no tasks", async () => {
    const { json } = await call("POST", "/run", startBody("1000004", rid("import")));
    const run = await waitForFinal(String(json!.id));
    expect(run).toMatchObject({ status: "FAILED", failureReason: "IMPORT_FAILED" });
    expect((await call("GET", `/run/${String(json!.id)}/task`)).json).toEqual({ items: [] });
  });

  it("cancels a live run (202, empty), then STOPPING → CANCELLED; cancelling a finished run conflicts; delete removes it", async () => {
    const { json } = await call("POST", "/run", startBody("1000002", rid("cancel")));
    const id = String(json!.id);
    const cancelled = await call("POST", `/run/${id}/cancel`);
    expect(cancelled.status).toBe(202);
    expect(cancelled.json).toBeNull();
    expect((await call("GET", `/run/${id}`)).json!.status).toBe("STOPPING");
    expect((await waitForFinal(id)).status).toBe("CANCELLED");
    const again = await call("POST", `/run/${id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.headers.get("x-amzn-errortype")).toBe("ConflictException");
    const deleted = await call("DELETE", `/run/${id}`);
    expect(deleted.status).toBe(202);
    expect(deleted.json).toBeNull();
    const gone = await call("GET", `/run/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get("x-amzn-errortype")).toBe("ResourceNotFoundException");
    expect(gone.json).toEqual({ message: expect.any(String) });
  });

  it("replays StartRun for a known requestId: same 201 body, no new run, both logged with the run id", async () => {
    const requestId = rid("idem");
    const first = await call("POST", "/run", startBody("1000001", requestId));
    const second = await call("POST", "/run", startBody("1000001", requestId));
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    const log = (await local("GET", `/__emulator/requests?requestId=${requestId}`)).json.requests as Record<string, unknown>[];
    expect(log).toEqual([
      { service: "omics", operation: "StartRun", at: expect.any(String), status: 201, requestId, runId: first.json!.id },
      { service: "omics", operation: "StartRun", at: expect.any(String), status: 201, requestId, runId: first.json!.id },
    ]);
  });

  it("lists runs newest first with paging and a status filter", async () => {
    const a = await call("POST", "/run", startBody("1000001", rid("list")));
    const b = await call("POST", "/run", startBody("1000001", rid("list")));
    const page = await call("GET", "/run?maxResults=1");
    expect(page.json!.items).toEqual([expect.objectContaining({ id: b.json!.id })]);
    const next = await call("GET", `/run?maxResults=1&startingToken=${String(page.json!.nextToken)}`);
    expect(next.json!.items).toEqual([expect.objectContaining({ id: a.json!.id })]);
    const pending = (await call("GET", "/run?status=PENDING")).json!.items as Record<string, unknown>[];
    expect(pending.every((r) => r.status === "PENDING")).toBe(true);
  });
});

describe("validation and errors", () => {
  const expectError = async (res: Promise<{ status: number; headers: Headers; json: Record<string, unknown> | null }>, status: number, type: string) => {
    const r = await res;
    expect(r.status).toBe(status);
    expect(r.headers.get("x-amzn-errortype")).toBe(type);
    expect(typeof r.json!.message).toBe("string");
    return r;
  };

  it("rejects bad StartRun requests like the service", async () => {
    const noRequestId = startBody("1000001", "x");
    delete noRequestId.requestId;
    const r = await expectError(call("POST", "/run", noRequestId), 400, "ValidationException");
    expect(r.json!.message).toContain("'requestId'");
    await expectError(call("POST", "/run", startBody("abc", rid("v"))), 400, "ValidationException");
    await expectError(call("POST", "/run", startBody("1000001", rid("v"), { logLevel: "LOUD" })), 400, "ValidationException");
    await expectError(call("POST", "/run", startBody("1000001", rid("v"), { parameters: {} })), 400, "ValidationException");
    await expectError(call("POST", "/run", startBody("1000001", rid("v"), { parameters: { input_file: "s3://b/x", nope: 1 } })), 400, "ValidationException");
    await expectError(call("POST", "/run", startBody("9000001", rid("v"))), 400, "ValidationException");
    await expectError(call("POST", "/run", startBody("1000001", rid("v"), { workflowType: "READY2RUN" })), 400, "ValidationException");
    await expectError(call("POST", "/run", startBody("7777777", rid("v"))), 404, "ResourceNotFoundException");
    expect((await call("POST", "/run", startBody("9000001", rid("r2r"), { workflowType: "READY2RUN" }))).status).toBe(201);
    await expectError(call("GET", "/run/1/task?maxResults=0"), 400, "ValidationException");
  });

  it("rejects bad signatures with 403 and logs them", async () => {
    const wrong = new AwsClient({ ...CREDENTIALS, secretAccessKey: "wrong", service: "omics", region: "us-east-1", retries: 0 });
    const requestId = rid("badsig");
    await expectError(call("POST", "/run", startBody("1000001", requestId), wrong), 403, "InvalidSignatureException");
    const unknown = new AwsClient({ ...CREDENTIALS, accessKeyId: "AKIAUNKNOWNKEY000000", service: "omics", region: "us-east-1", retries: 0 });
    await expectError(call("GET", "/run/1234567", undefined, unknown), 403, "UnrecognizedClientException");
    const log = (await local("GET", `/__emulator/requests?requestId=${requestId}`)).json.requests;
    expect(log).toEqual([{ service: "omics", operation: "StartRun", at: expect.any(String), status: 403, requestId }]);
  });
});

describe("faults and quotas", () => {
  it("injects a throttle for the next call of one operation only", async () => {
    expect((await local("POST", "/__emulator/faults", { operation: "GetWorkflow", kind: "throttle", count: 1 })).status).toBe(201);
    const r = await call("GET", "/workflow/1000001");
    expect(r.status).toBe(429);
    expect(r.headers.get("x-amzn-errortype")).toBe("ThrottlingException");
    expect((await call("GET", "/workflow/1000001")).status).toBe(200);
    expect((await local("GET", "/__emulator/faults")).json).toEqual({ faults: [] });
  });

  it("aims a fault at one run by its requestId: its StartRun and the calls addressing it, no other run", async () => {
    const mine = rid("mine");
    const other = rid("other");
    expect((await local("POST", "/__emulator/faults", { kind: "throttle", count: 1, requestId: mine })).status).toBe(201);
    const otherRun = await call("POST", "/run", startBody("1000001", other)); // not aimed at this one
    expect(otherRun.status).toBe(201);
    expect((await call("POST", "/run", startBody("1000001", mine))).status).toBe(429);
    const started = await call("POST", "/run", startBody("1000001", mine));
    expect(started.status).toBe(201);
    const id = String(started.json!.id);
    expect((await local("POST", "/__emulator/faults", { kind: "throttle", count: 1, requestId: mine, operation: "GetRun" })).status).toBe(201);
    expect((await call("GET", `/run/${String(otherRun.json!.id)}`)).status).toBe(200);
    expect((await call("GET", `/run/${id}`)).status).toBe(429); // addressed to the run
    expect((await call("GET", `/run/${id}`)).status).toBe(200);
    await local("DELETE", "/__emulator/faults");
  });

  it("performs StartRun but answers 500 with afterProcessing; the retry with the same requestId gets the run", async () => {
    await local("POST", "/__emulator/faults", { operation: "StartRun", kind: "error", count: 1, afterProcessing: true });
    const requestId = rid("after");
    const first = await call("POST", "/run", startBody("1000001", requestId));
    expect(first.status).toBe(500);
    expect(first.headers.get("x-amzn-errortype")).toBe("InternalServerException");
    const retry = await call("POST", "/run", startBody("1000001", requestId));
    expect(retry.status).toBe(201);
    const log = (await local("GET", `/__emulator/requests?requestId=${requestId}`)).json.requests as Record<string, unknown>[];
    expect(log.map((e) => [e.status, e.runId])).toEqual([
      [500, retry.json!.id],
      [201, retry.json!.id],
    ]);
  });

  it("throttles above the configured rate (scaled by the time scale) and lets the rest through", async () => {
    await local("PUT", "/__emulator/config", { quotas: { GetWorkflow: 0.5 } }); // 0.5 / 0.05 = 10 per second
    const statuses = await Promise.all(Array.from({ length: 25 }, () => call("GET", "/workflow/1000001").then((r) => r.status)));
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    const config = await local("PUT", "/__emulator/config", { quotas: "off" });
    expect(config.json).toMatchObject({ quotas: "off", timeScale: 0.05 });
  });

  it("rejects malformed fault rules and settings with 400", async () => {
    expect((await local("POST", "/__emulator/faults", { kind: "explode" })).status).toBe(400);
    expect((await local("PUT", "/__emulator/config", { timeScale: -1 })).status).toBe(400);
    expect((await local("GET", "/__emulator/health")).json).toEqual({ ok: true });
  });
});

describe("workflows", () => {
  it("ignores storageCapacity with DYNAMIC storage, as the API model says ('the system ignores any value that you enter')", async () => {
    const dynamic = await call("POST", "/run", startBody("1000001", rid("dyn"), { storageType: "DYNAMIC", storageCapacity: 2400 }));
    expect(dynamic.status).toBe(201);
    const got = await call("GET", `/run/${String(dynamic.json!.id)}`);
    expect(got.json).toMatchObject({ storageType: "DYNAMIC" });
    expect(got.json!.storageCapacity).toBeUndefined();
    // A workflow whose own storage type is DYNAMIC, with the run naming none: the same.
    const workflow = await call("POST", "/workflow", {
      requestId: rid("dynwf"),
      definitionRepository: { connectionArn: "arn:aws:codeconnections:us-east-1:123456789012:connection/abc", fullRepositoryId: "org/repo" },
      storageType: "DYNAMIC",
    });
    await waitForWorkflow(String(workflow.json!.id), "ACTIVE");
    const run = await call("POST", "/run", startBody(String(workflow.json!.id), rid("dynrun"), { parameters: {}, storageCapacity: 1200 }));
    expect(run.status).toBe(201);
    expect((await call("GET", `/run/${String(run.json!.id)}`)).json).toMatchObject({ storageType: "DYNAMIC" });
  });

  it("creates (idempotently) from a definition repository, reads and lists workflows, and runs them once ACTIVE", async () => {
    const requestId = rid("wf");
    const body = {
      requestId,
      name: "my-wf",
      engine: "NEXTFLOW",
      definitionRepository: { connectionArn: "arn:aws:codeconnections:us-east-1:123456789012:connection/abc", fullRepositoryId: "org/repo" },
      parameterTemplate: { reads: { description: "reads", optional: false } },
    };
    const created = await call("POST", "/workflow", body);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: "CREATING" });
    expect((await call("POST", "/workflow", body)).json).toEqual(created.json);
    const id = String(created.json!.id);
    await waitForWorkflow(id, "ACTIVE");
    const got = await call("GET", `/workflow/${id}`);
    expect(got.json).toMatchObject({ id, name: "my-wf", engine: "NEXTFLOW", status: "ACTIVE", type: "PRIVATE", parameterTemplate: body.parameterTemplate });
    const seeded = await call("GET", "/workflow/9000001?type=READY2RUN");
    expect(seeded.json).toMatchObject({ type: "READY2RUN", parameterTemplate: { input_file: { optional: false }, sample_name: { optional: true } } });
    const listed = (await call("GET", "/workflow?maxResults=100")).json!.items as Record<string, unknown>[];
    expect(listed.map((w) => w.id)).toEqual(expect.arrayContaining(["1000001", "1000002", "1000003", "1000004", "9000001", id]));
    const run = await call("POST", "/run", startBody(id, rid("wfrun"), { parameters: { reads: "s3://b/r.fq" } }));
    expect(run.status).toBe(201);
    expect((await waitForFinal(String(run.json!.id))).status).toBe("COMPLETED");
  });
});
