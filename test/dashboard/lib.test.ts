/**
 * The dashboard's pure logic (dashboard/src/lib): PKCE and the callback check, tasks on a time
 * axis, which form field a 400 is about, the run request built from the form (JSON, or multipart
 * for files and URLs), call rates from metrics samples, how times, durations and names are
 * shown, and what deleting a run is said to do to its outputs.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { outputsOnDelete } from "../../dashboard/src/lib/deletion";
import { formatDuration, runDuration } from "../../dashboard/src/lib/format";
import { displayName } from "../../dashboard/src/lib/names";
import { authorizeUrl, base64url, challengeOf, randomToken, readCallback } from "../../dashboard/src/lib/pkce";
import { addSample, HISTORY, rates } from "../../dashboard/src/lib/rates";
import { isFinal, stateLabel, stateTone } from "../../dashboard/src/lib/states";
import { fieldOfError } from "../../dashboard/src/lib/submit-errors";
import { paramValue, runRequest } from "../../dashboard/src/lib/submission";
import { taskChart, taskStatus } from "../../dashboard/src/lib/tasks";
import type { ServiceMetrics, TaskLog } from "../../dashboard/src/lib/types";
import {
  guessMain,
  parseParams,
  relativePaths,
  type SourceForm,
  SourceError,
  sourceFieldOfError,
  sourceRequest,
  typeOfPath,
} from "../../dashboard/src/lib/workflow-source";

describe("PKCE", () => {
  it("makes RFC 7636 verifiers and S256 challenges", async () => {
    const verifier = randomToken();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(verifier);
    expect(await challengeOf(verifier)).toBe(createHash("sha256").update(verifier).digest("base64url"));
    expect(base64url(new Uint8Array([251, 255]))).toBe("-_8");
  });

  it("asks for a code with the challenge, the audience when there is one", () => {
    const url = new URL(
      authorizeUrl({
        endpoint: "https://idp.example/auth?x=1",
        clientId: "c",
        redirectUri: "https://wes.example/auth/callback",
        scope: "openid wes:read",
        state: "s",
        challenge: "ch",
        audience: "wes-api",
      }),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      x: "1",
      response_type: "code",
      client_id: "c",
      redirect_uri: "https://wes.example/auth/callback",
      scope: "openid wes:read",
      state: "s",
      code_challenge: "ch",
      code_challenge_method: "S256",
      audience: "wes-api",
    });
    expect(
      new URL(
        authorizeUrl({ endpoint: "https://idp.example/auth", clientId: "c", redirectUri: "r", scope: "openid", state: "s", challenge: "ch" }),
      ).searchParams.has("audience"),
    ).toBe(false);
  });

  it("accepts only the answer to its own state", () => {
    expect(readCallback("?code=abc&state=s1", "s1")).toEqual({ code: "abc" });
    expect(readCallback("?code=abc&state=other", "s1")).toHaveProperty("error");
    expect(readCallback("?code=abc&state=s1", undefined)).toHaveProperty("error");
    expect(readCallback("?state=s1", "s1")).toEqual({ error: "The identity provider sent no authorization code." });
    expect(readCallback("?error=access_denied&error_description=no", "s1")).toEqual({
      error: "The identity provider refused the sign-in: access_denied (no).",
    });
  });
});

describe("tasks on a time axis", () => {
  const t0 = Date.parse("2026-01-01T00:00:00Z");
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const task = (id: string, name: string, start: number | undefined, end: number | undefined, status: string, extra: string[] = []): TaskLog => ({
    id,
    name,
    ...(start !== undefined ? { start_time: at(start) } : {}),
    ...(end !== undefined ? { end_time: at(end) } : {}),
    system_logs: [`HealthOmics task status: ${status}`, ...extra],
  });

  it("places bars by start and end, numbers retries, marks failures with their reason", () => {
    const chart = taskChart(
      [
        task("3", "bwa", 50, 100, "FAILED", ["failure reason: OOM", "status message: out of memory"]),
        task("1", "prep", 0, 50, "COMPLETED"),
        task("2", "bwa", 10, 40, "FAILED"),
      ],
      t0,
      t0 + 100_000,
      t0 + 200_000,
    );
    expect(chart.bars.map((b) => [b.id, b.attempt, b.attempts, b.failed])).toEqual([
      ["1", 1, 1, false],
      ["2", 1, 2, true],
      ["3", 2, 2, true],
    ]);
    expect(chart.bars[0]).toMatchObject({ left: 0, width: 0.5 });
    expect(chart.bars[2]).toMatchObject({ left: 0.5, width: 0.5, failureReason: "OOM: out of memory" });
  });

  it("draws a running task to now, and a task not started yet as nothing", () => {
    const chart = taskChart([task("1", "a", 0, undefined, "RUNNING"), task("2", "b", undefined, undefined, "PENDING")], t0, undefined, t0 + 10_000);
    expect(chart.axisEnd).toBe(t0 + 10_000);
    expect(chart.bars[0]).toMatchObject({ running: true, left: 0, width: 1 });
    expect(chart.bars[1]).toMatchObject({ running: false, width: 0 });
  });

  it("reads the status from the task's log lines, or guesses from its times", () => {
    expect(taskStatus(task("1", "a", 0, 1, "CANCELLED"))).toBe("CANCELLED");
    expect(taskStatus({ id: "1", name: "a", start_time: at(0) })).toBe("RUNNING");
    expect(taskStatus({ id: "1", name: "a", start_time: at(0), end_time: at(1) })).toBe("COMPLETED");
    expect(taskStatus({ id: "1", name: "a" })).toBe("PENDING");
  });
});

describe("which field a refusal is about", () => {
  const params = ["input_file", "sample_name"];
  const options = ["storageType", "storageCapacity", "name"];
  it.each([
    ["workflow_params is missing required parameter(s) input_file of HealthOmics workflow 1000001; it takes: …", "param:input_file"],
    ["workflow_params has parameter(s) bogus that HealthOmics workflow 1000001 does not declare; it takes: …", "param:input_file"],
    ["workflow_params.sample_name refers to 's3://x', which is in another user's output folder", "param:sample_name"],
    ["workflow_engine_parameters.storageCapacity has an invalid value 'lots'; expected integer", "option:storageCapacity"],
    ["workflow_engine_parameters has an unknown parameter 'foo'. Accepted: …", "form"],
    ["workflow_engine_parameters.name has an invalid value", "name"],
    ["tags key 'aws:x' uses the reserved 'aws:' prefix.", "tags"],
    ["workflow_type CWL does not match HealthOmics workflow 1000001, whose engine is WDL; use workflow_type WDL.", "workflow"],
    ["Something else entirely.", "form"],
  ])("%s → %s", (message, field) => {
    expect(fieldOfError(message, params, options)).toBe(field);
  });
});

describe("the run request", () => {
  it("leaves empty fields out and puts the name among the engine parameters", () => {
    expect(
      runRequest({
        workflowUrl: "healthomics:1",
        workflowType: "WDL",
        workflowTypeVersion: "1.0",
        params: { a: "s3://x", b: "", c: '["s3://y"]' },
        name: " sample ",
        tags: [
          { key: "project", value: "p" },
          { key: " ", value: "ignored" },
        ],
        options: { storageType: "", priority: "5" },
      }),
    ).toEqual({
      workflow_type: "WDL",
      workflow_type_version: "1.0",
      workflow_url: "healthomics:1",
      workflow_params: { a: "s3://x", c: ["s3://y"] },
      tags: { project: "p" },
      workflow_engine_parameters: { priority: "5", name: "sample" },
    });
    expect(paramValue("{not json")).toBe("{not json");
    expect(paramValue("42")).toBe("42");
  });
});

describe("the request for workflow files or a URL", () => {
  const base: SourceForm = {
    kind: "files",
    files: [],
    main: "",
    url: "",
    workflowType: "WDL",
    workflowTypeVersion: "1.0",
    paramsJson: '{"hello.name": "world"}',
    name: "",
    tags: [{ key: "project", value: "p" }],
    options: { priority: "5" },
  };
  const errorOf = (form: SourceForm): [string, string] | undefined => {
    try {
      sourceRequest(form);
    } catch (e) {
      if (e instanceof SourceError) return [e.field, e.message];
      throw e;
    }
    return undefined;
  };

  it("sends each file as a workflow_attachment named by its relative path, workflow_url naming the main one", async () => {
    const body = sourceRequest({
      ...base,
      files: [
        { path: "main.wdl", blob: new Blob(["version 1.0"]) },
        { path: "tasks/greet.wdl", blob: new Blob(["task"]) },
      ],
      main: "main.wdl",
      name: "hello",
    });
    expect(body.get("workflow_url")).toBe("main.wdl");
    expect(body.get("workflow_type")).toBe("WDL");
    expect(body.get("workflow_type_version")).toBe("1.0");
    expect(JSON.parse(body.get("workflow_params") as string)).toEqual({ "hello.name": "world" });
    expect(JSON.parse(body.get("tags") as string)).toEqual({ project: "p" });
    expect(JSON.parse(body.get("workflow_engine_parameters") as string)).toEqual({ priority: "5", name: "hello" });
    const parts = body.getAll("workflow_attachment") as File[];
    expect(parts.map((f) => f.name)).toEqual(["main.wdl", "tasks/greet.wdl"]);
    expect(await parts[1]!.text()).toBe("task");
  });

  it("sends a URL trimmed, without attachments, and empty parameters as {}", () => {
    const body = sourceRequest({ ...base, kind: "url", url: " trs://dockstore.org/%23workflow%2Fx/v1 ", paramsJson: " ", options: {} });
    expect(body.get("workflow_url")).toBe("trs://dockstore.org/%23workflow%2Fx/v1");
    expect(body.get("workflow_params")).toBe("{}");
    expect(body.has("workflow_attachment")).toBe(false);
    expect(body.has("workflow_engine_parameters")).toBe(false);
  });

  it("names the field of what cannot be sent", () => {
    expect(errorOf(base)).toEqual(["files", "Choose the workflow's files."]);
    const two = [
      { path: "a.wdl", blob: new Blob([""]) },
      { path: "a.wdl", blob: new Blob([""]) },
    ];
    expect(errorOf({ ...base, files: two, main: "a.wdl" })).toEqual(["files", "Two files have the path a.wdl."]);
    const one = [{ path: "a.wdl", blob: new Blob([""]) }];
    expect(errorOf({ ...base, files: one })?.[0]).toBe("main");
    expect(errorOf({ ...base, files: one, main: "b.wdl" })?.[0]).toBe("main");
    expect(errorOf({ ...base, kind: "url" })?.[0]).toBe("url");
    expect(errorOf({ ...base, kind: "url", url: "ftp://x/a.wdl" })?.[0]).toBe("url");
    expect(errorOf({ ...base, kind: "url", url: "https://x/a.wdl", workflowType: "" })?.[0]).toBe("type");
    expect(errorOf({ ...base, kind: "url", url: "https://x/a.wdl", paramsJson: "{" })?.[0]).toBe("params");
    expect(errorOf({ ...base, kind: "url", url: "https://x/a.wdl", paramsJson: "[1]" })).toEqual(["params", "Parameters must be a JSON object."]);
    expect(parseParams(' {"a": [1]} ')).toEqual({ a: [1] });
  });

  it("keeps a picked folder's paths without the folder's name, guesses the main file and its type", () => {
    expect(
      relativePaths([
        { name: "main.wdl", webkitRelativePath: "hello/main.wdl" },
        { name: "greet.wdl", webkitRelativePath: "hello/tasks/greet.wdl" },
      ]),
    ).toEqual(["main.wdl", "tasks/greet.wdl"]);
    expect(relativePaths([{ name: "a.wdl", webkitRelativePath: "" }, { name: "b.wdl" }])).toEqual(["a.wdl", "b.wdl"]);
    expect(
      relativePaths([
        { name: "main.wdl", webkitRelativePath: "x/main.wdl" },
        { name: "b.wdl", webkitRelativePath: "y/b.wdl" },
      ]),
    ).toEqual(["x/main.wdl", "y/b.wdl"]);
    expect(guessMain(["tasks/greet.wdl", "inputs.json", "main.wdl", "other.wdl"])).toBe("main.wdl");
    expect(guessMain(["tasks/a.cwl", "wf.cwl", "readme.md"])).toBe("wf.cwl");
    expect(guessMain(["only.txt"])).toBe("only.txt");
    expect(guessMain(["a/x.wdl", "b/y.wdl"])).toBe("");
    expect([typeOfPath("A.WDL"), typeOfPath("w.cwl"), typeOfPath("main.nf"), typeOfPath("x.json")]).toEqual(["WDL", "CWL", "NFL", ""]);
  });

  it("puts the API's refusal next to the source field it is about", () => {
    expect(sourceFieldOfError("workflow_url: https://x/a.wdl could not be fetched (404)", "url")).toBe("url");
    expect(sourceFieldOfError("workflow_url 'b.wdl' is not one of the attached files", "files")).toBe("main");
    expect(sourceFieldOfError("workflow_attachment: too many files", "files")).toBe("files");
    expect(sourceFieldOfError("workflow_type_version 9 is not a version of WDL", "url")).toBe("version");
    expect(sourceFieldOfError("workflow_type must be WDL, CWL or NFL", "url")).toBe("type");
    expect(sourceFieldOfError("workflow_params must be an object", "url")).toBe("params");
    expect(sourceFieldOfError("tags.x too long", "url")).toBeUndefined();
    expect(sourceFieldOfError("Fetching 'https://x/a.wdl' answered 404.", "url")).toBe("url");
    expect(sourceFieldOfError("The TRS file main.wdl does not match its sha-256 checksum (x).", "url")).toBe("url");
    expect(sourceFieldOfError("'https://x/a.wdl' is larger than the 10 bytes left of the size limit", "url")).toBe("url");
    expect(sourceFieldOfError("The workflow imports 'tasks/a.wdl', which was not attached; attach it", "files")).toBe("files");
    expect(sourceFieldOfError("The workflow's files exceed 10 bytes together", "files")).toBe("files");
    expect(sourceFieldOfError("Fetching 'x' answered 404.", "files")).toBeUndefined();
  });
});

describe("call rates", () => {
  const metrics = (time: string, booked: number): ServiceMetrics => ({
    time,
    healthomics_budget: {
      mode: "per-operation",
      headroom: 0.8,
      operations: [
        { operation: "GetRun", quota_per_second: 10, budget_per_second: 8, share_of_quota: 0.8, calls_booked: booked, backlog_seconds: 0, throttles: 0 },
      ],
    },
    start_queue: { length: 0, users: 0, oldest_wait_seconds: 0 },
    runs_by_state: {},
    oldest_queued_run: null,
    polling: { runs_polled: 0, longest_since_last_poll_seconds: 0 },
  });

  it("are the counter's growth per second between samples; a restart counts as 0", () => {
    let h = addSample([], metrics("2026-01-01T00:00:00Z", 100));
    h = addSample(h, metrics("2026-01-01T00:00:05Z", 125));
    h = addSample(h, metrics("2026-01-01T00:00:05Z", 125)); // the same sample twice is kept once
    h = addSample(h, metrics("2026-01-01T00:00:10Z", 3));
    expect(rates(h, "GetRun")).toEqual([5, 0]);
    expect(rates(h, "StartRun")).toEqual([0, 0]);
    for (let i = 0; i < HISTORY + 5; i++) h = addSample(h, metrics(new Date(Date.parse("2026-01-01T01:00:00Z") + i * 5000).toISOString(), i));
    expect(h).toHaveLength(HISTORY);
  });
});

describe("words and numbers", () => {
  it("durations", () => {
    expect([450, 42_000, 185_000, 7_620_000, 2 * 86_400_000 + 3_600_000].map(formatDuration)).toEqual([
      "450 ms",
      "42 s",
      "3 min 05 s",
      "2 h 07 min",
      "2 d 1 h",
    ]);
    expect(formatDuration(-1)).toBe("—");
    expect(runDuration({ start_time: "2026-01-01T00:00:00Z" }, Date.parse("2026-01-01T00:01:00Z"))).toBe("1 min 00 s");
    expect(runDuration({}, 0)).toBe("—");
  });

  it("states and names", () => {
    expect(stateLabel("EXECUTOR_ERROR")).toBe("Executor error");
    expect([isFinal("COMPLETE"), isFinal("CANCELING")]).toEqual([true, false]);
    expect(["COMPLETE", "RUNNING", "SYSTEM_ERROR", "CANCELED", "QUEUED"].map(stateTone)).toEqual(["ok", "active", "bad", "stopped", "waiting"]);
    expect(displayName({ run_id: "abc", name: "wes-abc" })).toBeUndefined();
    expect(displayName({ run_id: "abc", name: "sample-1" })).toBe("sample-1");
    expect(displayName({ run_id: "abc" })).toBeUndefined();
  });
});

describe("what deleting a run does to its outputs", () => {
  it("follows service-info's delete_outputs tag, and hedges without it", () => {
    expect(outputsOnDelete({ delete_outputs: "false" }, "before")).toBe("Its outputs in S3 are kept.");
    expect(outputsOnDelete({ delete_outputs: "false" }, "after")).toBe("Its outputs in S3 are kept.");
    expect(outputsOnDelete({ delete_outputs: "true" }, "before")).toBe("Its outputs in S3 will be deleted too.");
    expect(outputsOnDelete({ delete_outputs: "true" }, "after")).toBe("Its outputs in S3 are being deleted too.");
    for (const tags of [undefined, {}, { delete_outputs: "yes" }] as Array<Record<string, string> | undefined>) {
      expect(outputsOnDelete(tags, "before")).toBe("Its outputs in S3 are kept unless this service is set to delete them.");
    }
  });
});
