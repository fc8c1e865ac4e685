/**
 * The validator the API tests rely on: if it accepted everything, every schema assertion in
 * wes-api.test.ts would pass vacuously. Each schema gets a known-good body (shaped like what the
 * service sends) and known-bad ones covering the three layers: the official schema, undeclared
 * properties, and timestamps.
 */
import { describe, expect, it } from "vitest";
import { expectValid, validateWes, type WesSchemaName } from "./support/wes-schema";

const serviceInfo = {
  id: "org.example.wes",
  name: "WES",
  type: { group: "org.ga4gh", artifact: "wes", version: "1.1.0" },
  organization: { name: "Example", url: "https://example.org" },
  version: "0.1.0",
  createdAt: "2024-01-02T03:04:05Z",
  workflow_type_versions: { WDL: { workflow_type_version: ["1.0"] } },
  supported_wes_versions: ["1.1.0"],
  supported_filesystem_protocols: ["s3"],
  workflow_engine_versions: { WDL: { workflow_engine_version: ["1.0"] } },
  default_workflow_engine_parameters: [{ name: "storageType", type: "enum", default_value: "STATIC" }],
  system_state_counts: { QUEUED: 0 },
  auth_instructions_url: "https://example.org/auth",
  tags: { page_size_max: "500" },
};

const runLog = {
  run_id: "r1",
  request: {
    workflow_type: "WDL",
    workflow_type_version: "1.0",
    workflow_url: "healthomics:1",
    workflow_params: { free: { form: [1] } },
    tags: {},
    workflow_engine_parameters: {},
  },
  state: "COMPLETE",
  run_log: { start_time: "2024-01-02T03:04:05.123Z", end_time: "2024-01-02T04:04:05Z", exit_code: 0, system_logs: [] },
  task_logs_url: "http://x/ga4gh/wes/v1/runs/r1/tasks",
  outputs: { anything: { nested: true } },
};

const taskLog = { id: "t1", name: "align", start_time: "2024-01-02T03:04:05Z", exit_code: 0, system_logs: ["ok"] };

const good: Record<WesSchemaName, unknown> = {
  ServiceInfo: serviceInfo,
  RunListResponse: {
    runs: [
      { run_id: "r1", state: "QUEUED", tags: { a: "b" } },
      { run_id: "r2", state: "RUNNING", start_time: "2024-01-02T03:04:05Z", tags: {} },
    ],
    next_page_token: "",
  },
  RunId: { run_id: "r1" },
  RunStatus: { run_id: "r1", state: "CANCELING" },
  RunLog: runLog,
  TaskListResponse: { task_logs: [taskLog], next_page_token: "abc" },
  TaskLog: taskLog,
  ErrorResponse: { msg: "nope", status_code: 404 },
};

/** [schema, what is wrong, body, a fragment the reported problems must contain (proves the right check fired)] */
const bad: Array<[WesSchemaName, string, unknown, string]> = [
  ["ServiceInfo", "missing the required WES fields", { ...serviceInfo, tags: undefined, supported_wes_versions: undefined }, "required property 'tags'"],
  [
    "ServiceInfo",
    "service-info Service fields from the referenced file (type.group)",
    { ...serviceInfo, type: { artifact: "wes", version: "1.1.0" } },
    "/type must have required property 'group'",
  ],
  ["ServiceInfo", "organization.url not a URI", { ...serviceInfo, organization: { name: "x", url: "not a uri" } }, '/organization/url must match format "uri"'],
  ["ServiceInfo", "a tag value that is not a string", { ...serviceInfo, tags: { page_size_max: 500 } }, "/tags/page_size_max must be string"],
  ["ServiceInfo", "an undeclared top-level property", { ...serviceInfo, secret_debug: true }, "/secret_debug is not a property"],
  ["ServiceInfo", "an undeclared nested property", { ...serviceInfo, type: { ...serviceInfo.type, extra: "x" } }, "/type/extra is not a property"],
  ["ServiceInfo", "a non-UTC createdAt", { ...serviceInfo, createdAt: "2024-01-02T03:04:05+02:00" }, "/createdAt is not an RFC 3339 UTC"],
  ["RunListResponse", "runs not an array", { runs: {}, next_page_token: "" }, "/runs must be array"],
  ["RunListResponse", "a run with an unknown state", { runs: [{ run_id: "r1", state: "DONE", tags: {} }], next_page_token: "" }, "/runs/0"],
  [
    "RunListResponse",
    "a run with an undeclared property",
    { runs: [{ run_id: "r1", state: "QUEUED", tags: {}, owner: "demo" }], next_page_token: "" },
    "/runs/0/owner is not a property",
  ],
  [
    "RunListResponse",
    "a run with a non-Z start_time",
    { runs: [{ run_id: "r1", state: "QUEUED", tags: {}, start_time: "2024-01-02 03:04:05" }], next_page_token: "" },
    "/runs/0/start_time is not an RFC 3339",
  ],
  ["RunListResponse", "no next_page_token", { runs: [] }, "required property 'next_page_token'"],
  ["RunId", "run_id a number", { run_id: 1 }, "/run_id must be string"],
  ["RunId", "empty object", {}, "required property 'run_id'"],
  ["RunStatus", "state not in the enum", { run_id: "r1", state: "queued" }, "/state must be equal to one of the allowed values"],
  ["RunStatus", "missing run_id", { state: "QUEUED" }, "required property 'run_id'"],
  [
    "RunLog",
    "request missing workflow_url",
    { ...runLog, request: { workflow_type: "WDL", workflow_type_version: "1.0" } },
    "/request must have required property 'workflow_url'",
  ],
  [
    "RunLog",
    "engine parameters that are numbers",
    { ...runLog, request: { ...runLog.request, workflow_engine_parameters: { storageCapacity: 1200 } } },
    "/request/workflow_engine_parameters/storageCapacity must be string",
  ],
  ["RunLog", "exit_code a string", { ...runLog, run_log: { exit_code: "0" } }, "/run_log/exit_code must be integer"],
  ["RunLog", "an undeclared property in request", { ...runLog, request: { ...runLog.request, owner: "demo" } }, "/request/owner is not a property"],
  ["RunLog", "task_logs_url missing", { ...runLog, task_logs_url: undefined }, "required property 'task_logs_url'"],
  ["RunLog", "outputs not an object", { ...runLog, outputs: [] }, "/outputs must be object"],
  ["RunLog", "end_time without Z", { ...runLog, run_log: { end_time: "2024-01-02T04:04:05" } }, "/run_log/end_time is not an RFC 3339"],
  ["TaskListResponse", "a task without a name", { task_logs: [{ id: "t1" }], next_page_token: "" }, "/task_logs/0 must have required property 'name'"],
  [
    "TaskListResponse",
    "a task with an undeclared property",
    { task_logs: [{ ...taskLog, status: "RUNNING" }], next_page_token: "" },
    "/task_logs/0/status is not a property",
  ],
  ["TaskLog", "missing id", { name: "x" }, "required property 'id'"],
  ["TaskLog", "cmd not an array of strings", { ...taskLog, cmd: "echo" }, "/cmd must be array"],
  ["TaskLog", "start_time in local time", { ...taskLog, start_time: "2024-01-02T03:04:05+00:00" }, "/start_time is not an RFC 3339"],
  ["ErrorResponse", "status_code a string", { msg: "x", status_code: "404" }, "/status_code must be integer"],
  ["ErrorResponse", "missing msg", { status_code: 404 }, "required property 'msg'"],
  ["ErrorResponse", "an undeclared property (a stack, say)", { msg: "x", status_code: 500, stack: "Error at ..." }, "/stack is not a property"],
];

describe("WES schema validator", () => {
  for (const [name, body] of Object.entries(good) as Array<[WesSchemaName, unknown]>) {
    it(`accepts a valid ${name}`, () => {
      expect(validateWes(name, body)).toEqual([]);
      expect(() => expectValid(name, body)).not.toThrow();
    });
  }

  for (const [name, why, body, fragment] of bad) {
    it(`rejects a ${name} with ${why}`, () => {
      // JSON round trip drops the `undefined` fields used above to delete properties.
      const errors = validateWes(name, JSON.parse(JSON.stringify(body)));
      expect(errors.join("\n")).toContain(fragment);
      expect(() => expectValid(name, JSON.parse(JSON.stringify(body)))).toThrow(name);
    });
  }

  it("accepts the deprecated RunLog.task_logs as null (OpenAPI nullable)", () => {
    expect(validateWes("RunLog", { ...runLog, task_logs: null })).toEqual([]);
  });

  it("accepts RunStatus items in a RunListResponse (the spec allows RunStatus or RunSummary)", () => {
    expect(validateWes("RunListResponse", { runs: [{ run_id: "r1", state: "QUEUED" }], next_page_token: "" })).toEqual([]);
  });
});
