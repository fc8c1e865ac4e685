/**
 * The HealthOmics emulator of `npm start` driven by the official AWS SDK for JavaScript
 * (@aws-sdk/client-omics), at real speed (time scale 1). Every response body the emulator sends
 * in these flows is checked against the API model's output and error shapes. The stack is shared
 * with other test files, so this file only reads its own entries of the request log.
 */
import {
  CancelRunCommand,
  CreateWorkflowCommand,
  DeleteWorkflowCommand,
  GetRunCommand,
  GetRunTaskCommand,
  GetWorkflowCommand,
  ListRunsCommand,
  ListRunTasksCommand,
  OmicsClient,
  ResourceNotFoundException,
  StartRunCommand,
  type GetRunCommandOutput,
  waitUntilWorkflowActive,
} from "@aws-sdk/client-omics";
import { strToU8, zipSync } from "fflate";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, describe, expect, inject, it } from "vitest";
import model from "../../emulator/src/model/omics-model.json";
import { matchOperation } from "../../emulator/src/router";
import { conformance } from "../emulator/model-validator";
import examples from "../emulator/fixtures/eventbridge-examples.json";

const endpoint = inject("emulatorUrl");
const credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const operations = (model as unknown as { operations: Record<string, { output?: { shape: string }; errors?: { shape: string }[] }> }).operations;

interface Seen {
  method: string;
  path: string;
  status: number;
  errorType?: string;
  body: string;
}
const seen: Seen[] = [];

/** The SDK's own Node handler, keeping a copy of each raw response. */
class RecordingHandler extends NodeHttpHandler {
  override async handle(...args: Parameters<NodeHttpHandler["handle"]>): ReturnType<NodeHttpHandler["handle"]> {
    const [request] = args;
    const { response } = await super.handle(...args);
    const chunks: Buffer[] = [];
    for await (const chunk of response.body as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
    const body = Buffer.concat(chunks);
    const entry: Seen = { method: request.method, path: request.path, status: response.statusCode, body: body.toString("utf8") };
    const errorType = response.headers["x-amzn-errortype"];
    if (errorType) entry.errorType = errorType;
    seen.push(entry);
    response.body = Readable.from([body]);
    return { response };
  }
}

function omics(secretAccessKey = credentials.secretAccessKey): OmicsClient {
  return new OmicsClient({
    endpoint,
    region: "us-east-1",
    credentials: { ...credentials, secretAccessKey },
    // The SDK prefixes "workflows-" to the host even for a custom endpoint (the model's hostPrefix).
    disableHostPrefix: true,
    // StartRun's default quota is 1 TPS and the stack is shared: let the SDK's retries absorb throttles.
    maxAttempts: 10,
    requestHandler: new RecordingHandler(),
  });
}

const client = omics();
const rid = (label: string) => `sdk-${label}-${crypto.randomUUID()}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const startInput = (workflowId: string, requestId: string) => ({
  workflowId,
  requestId,
  roleArn: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
  outputUri: "s3://example-bucket/sdk-test",
  name: `sdk ${requestId}`,
  parameters: { input_file: "s3://example-bucket/sample.fastq", sample_name: "NA12878" },
});

async function waitFor(id: string, done: (run: GetRunCommandOutput) => boolean, timeoutMs: number): Promise<GetRunCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await client.send(new GetRunCommand({ id }));
    if (done(run)) return run;
    if (Date.now() > deadline) throw new Error(`run ${id} is still ${run.status}`);
    await sleep(1000);
  }
}

const isFinal = (r: GetRunCommandOutput) => ["COMPLETED", "FAILED", "CANCELLED"].includes(String(r.status));

afterAll(() => {
  client.destroy();
});

describe("the emulator through @aws-sdk/client-omics", () => {
  it("runs a workflow: StartRun → GetRun until COMPLETED → ListRunTasks pages → GetRunTask → ListRuns, with events", async () => {
    const events: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
    const server = createServer((req, res) => {
      let text = "";
      req.on("data", (c: Buffer) => (text += c.toString()));
      req.on("end", () => {
        events.push({ headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const before = (await (await fetch(`${endpoint}/__emulator/config`)).json()) as Record<string, unknown>;
    const eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    const put = await fetch(`${endpoint}/__emulator/config`, {
      method: "PUT",
      body: JSON.stringify({ eventsUrl, eventsHeaderName: "x-test-secret", eventsHeaderValue: "s3cret" }),
    });
    expect(put.status).toBe(200);
    try {
      const workflow = await client.send(new GetWorkflowCommand({ id: "1000001" }));
      expect(workflow).toMatchObject({ id: "1000001", engine: "WDL", status: "ACTIVE", type: "PRIVATE" });
      expect(workflow.parameterTemplate?.input_file?.optional).toBe(false);

      const requestId = rid("complete");
      const started = await client.send(new StartRunCommand(startInput("1000001", requestId)));
      expect(started.$metadata.httpStatusCode).toBe(201);
      expect(started.id).toMatch(/^\d+$/);
      const id = started.id!;
      const run = await waitFor(id, isFinal, 60_000);
      expect(run).toMatchObject({ id, status: "COMPLETED", uuid: started.uuid, workflowId: "1000001", runOutputUri: `s3://example-bucket/sdk-test/${id}` });
      expect(run.creationTime).toBeInstanceOf(Date);
      expect(run.stopTime).toBeInstanceOf(Date);

      const taskIds: string[] = [];
      let startingToken: string | undefined;
      let pages = 0;
      do {
        const page = await client.send(new ListRunTasksCommand({ id, maxResults: 1, startingToken }));
        pages += 1;
        taskIds.push(...(page.items ?? []).map((t) => t.taskId!));
        startingToken = page.nextToken;
      } while (startingToken);
      expect(taskIds.length).toBeGreaterThanOrEqual(3);
      expect(pages).toBeGreaterThanOrEqual(taskIds.length);
      const task = await client.send(new GetRunTaskCommand({ id, taskId: taskIds[0]! }));
      expect(task).toMatchObject({
        taskId: taskIds[0],
        status: "COMPLETED",
        logStream: `arn:aws:logs:us-east-1:123456789012:log-group:/aws/omics/WorkflowLog:log-stream:run/${id}/task/${taskIds[0]}`,
      });
      expect(run.logLocation?.engineLogStream).toBe(`arn:aws:logs:us-east-1:123456789012:log-group:/aws/omics/WorkflowLog:log-stream:run/${id}/engine`);

      const listed = await client.send(new ListRunsCommand({ maxResults: 100 }));
      expect(listed.items?.some((r) => r.id === id)).toBe(true);

      const mine = () => events.filter((e) => (e.body.detail as Record<string, string>).runId === id);
      const deadline = Date.now() + 15_000;
      while (
        !mine().some((e) => (e.body.detail as Record<string, string>).status === "COMPLETED" && e.body["detail-type"] === "Run Status Change") &&
        Date.now() < deadline
      )
        await sleep(250);
      const runEvents = mine().filter((e) => e.body["detail-type"] === "Run Status Change");
      expect(runEvents.map((e) => (e.body.detail as Record<string, string>).status)).toEqual(["PENDING", "STARTING", "RUNNING", "STOPPING", "COMPLETED"]);
      expect(Object.keys(runEvents[0]!.body).sort()).toEqual(Object.keys(examples.runStatusChange).sort());
      expect(Object.keys(runEvents[0]!.body.detail as object).sort()).toEqual(Object.keys(examples.runStatusChange.detail).sort());
      expect(runEvents[0]!.body).toMatchObject({ source: "aws.omics", version: "0", region: "us-east-1", resources: [run.arn] });
      expect(runEvents[0]!.headers["x-test-secret"]).toBe("s3cret");
      const taskEvents = mine().filter((e) => e.body["detail-type"] === "Task Status Change");
      expect(taskEvents.length).toBeGreaterThanOrEqual(taskIds.length);
      expect(Object.keys(taskEvents[0]!.body.detail as object).sort()).toEqual(Object.keys(examples.taskStatusChange.detail).sort());
      expect((taskEvents[0]!.body.detail as Record<string, string>).runUuid).toBe(started.uuid);
    } finally {
      await fetch(`${endpoint}/__emulator/config`, { method: "PUT", body: JSON.stringify({ eventsUrl: before.eventsUrl ?? null }) });
      server.close();
    }
  });

  it("cancels a running 1000002 run: STOPPING, then CANCELLED", async () => {
    const { id } = await client.send(new StartRunCommand(startInput("1000002", rid("cancel"))));
    await waitFor(id!, (r) => r.status === "RUNNING", 30_000);
    const cancelled = await client.send(new CancelRunCommand({ id: id! }));
    expect(cancelled.$metadata.httpStatusCode).toBe(202);
    const after = await client.send(new GetRunCommand({ id: id! }));
    expect(["STOPPING", "CANCELLED"]).toContain(after.status);
    expect((await waitFor(id!, isFinal, 30_000)).status).toBe("CANCELLED");
  });

  it("returns the same run for a repeated requestId and logs both calls", async () => {
    const requestId = rid("idem");
    const first = await client.send(new StartRunCommand(startInput("1000001", requestId)));
    const second = await client.send(new StartRunCommand(startInput("1000001", requestId)));
    expect(second.id).toBe(first.id);
    expect(second.uuid).toBe(first.uuid);
    const log = (await (await fetch(`${endpoint}/__emulator/requests?requestId=${encodeURIComponent(requestId)}`)).json()) as {
      requests: Record<string, unknown>[];
    };
    const ok = log.requests.filter((e) => e.status === 201);
    expect(ok).toHaveLength(2);
    for (const entry of log.requests) {
      expect(Object.keys(entry).every((k) => ["service", "operation", "at", "status", "requestId", "runId"].includes(k))).toBe(true);
      expect(entry.service).toBe("omics");
      expect(entry.operation).toBe("StartRun");
      expect(String(entry.at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(ok.every((e) => e.runId === first.id && e.requestId === requestId)).toBe(true);
  });

  it("creates a workflow from a zip, waits for ACTIVE with the SDK's waiter, runs it, and deletes it", async () => {
    const definitionZip = zipSync({
      "main.wdl": strToU8("version 1.0\nworkflow Hello {\n  input {\n    String who\n  }\n  call greet\n}\ntask greet { command <<< >>> }\n"),
    });
    const created = await client.send(new CreateWorkflowCommand({ requestId: rid("create"), name: "sdk-hello", definitionZip, tags: { origin: "sdk" } }));
    expect(created).toMatchObject({ status: "CREATING", tags: { origin: "sdk" } });
    const waited = await waitUntilWorkflowActive({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 3 }, { id: created.id! });
    expect(waited.state).toBe("SUCCESS");
    const workflow = await client.send(new GetWorkflowCommand({ id: created.id! }));
    expect(workflow).toMatchObject({
      status: "ACTIVE",
      engine: "WDL",
      main: "main.wdl",
      parameterTemplate: { who: { optional: false } },
      tags: { origin: "sdk" },
    });
    const { id } = await client.send(new StartRunCommand({ ...startInput(created.id!, rid("created")), parameters: { who: "world" } }));
    expect((await waitFor(id!, isFinal, 60_000)).status).toBe("COMPLETED");
    await client.send(new DeleteWorkflowCommand({ id: created.id! }));
    await expect(client.send(new GetWorkflowCommand({ id: created.id! }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("surfaces errors as the SDK's typed exceptions", async () => {
    await expect(client.send(new GetRunCommand({ id: "9999999999" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const wrong = omics("not-the-secret");
    await expect(wrong.send(new GetWorkflowCommand({ id: "1000001" }))).rejects.toMatchObject({
      name: "InvalidSignatureException",
      $metadata: { httpStatusCode: 403 },
    });
    wrong.destroy();
    await expect(client.send(new StartRunCommand({ ...startInput("1000001", rid("bad")), parameters: {} }))).rejects.toMatchObject({
      name: "ValidationException",
    });
  });

  it("sent only responses that conform to the API model", () => {
    expect(seen.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const r of seen) {
      const matched = matchOperation(r.method, r.path);
      if (!matched) {
        problems.push(`${r.method} ${r.path}: no operation`);
        continue;
      }
      const op = operations[matched.operation]!;
      if (r.status >= 200 && r.status < 300) {
        if (!op.output) {
          if (r.body !== "") problems.push(`${matched.operation}: expected an empty body`);
        } else {
          problems.push(...conformance(op.output.shape, JSON.parse(r.body)).map((p) => `${matched.operation} ${r.status}: ${p}`));
        }
      } else if (r.errorType && (op.errors ?? []).some((e) => e.shape === r.errorType)) {
        problems.push(...conformance(r.errorType, JSON.parse(r.body)).map((p) => `${matched.operation} ${r.status} ${r.errorType}: ${p}`));
      } else if (r.status !== 403) {
        problems.push(`${matched.operation} ${r.status}: error type ${String(r.errorType)} is not in the model's error list`);
      }
    }
    expect(problems).toEqual([]);
  });
});
