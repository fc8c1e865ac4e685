/** Masking AWS account ids in what ordinary users see, and the views built on it. */
import { describe, expect, it } from "vitest";
import type { RunRow, TaskRow } from "../../src/db/schema";
import { ACCOUNT_MASK, redactText, redactValue } from "../../src/wes/redact";
import { auditLines, runLog, taskLog } from "../../src/wes/views";

const M = ACCOUNT_MASK;

describe("redactText", () => {
  it.each([
    ["arn:aws:omics:us-east-1:123456789012:run/2100001", `arn:aws:omics:us-east-1:${M}:run/2100001`],
    ["arn:aws:iam::123456789012:role/OmicsWorkflowRole", `arn:aws:iam::${M}:role/OmicsWorkflowRole`],
    ["arn:aws-cn:omics:cn-north-1:123456789012:workflow/1", `arn:aws-cn:omics:cn-north-1:${M}:workflow/1`],
    ["arn:aws-us-gov:s3:us-gov-west-1:123456789012:accesspoint/ap", `arn:aws-us-gov:s3:us-gov-west-1:${M}:accesspoint/ap`],
    ["ARN:AWS:omics:us-east-1:123456789012:run/1", `ARN:AWS:omics:us-east-1:${M}:run/1`],
    [
      "AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/OmicsRole/session is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket/key",
      `AccessDeniedException: User: arn:aws:sts::${M}:assumed-role/OmicsRole/session is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket/key`,
    ],
    [
      "two: arn:aws:omics:us-east-1:111111111111:run/1 and arn:aws:omics:us-east-1:222222222222:task/2",
      `two: arn:aws:omics:us-east-1:${M}:run/1 and arn:aws:omics:us-east-1:${M}:task/2`,
    ],
    ["omics://123456789012.storage.us-east-1.amazonaws.com/555/readSet/1/source1", `omics://${M}.storage.us-east-1.amazonaws.com/555/readSet/1/source1`],
    [
      "CannotPullContainerError: 123456789012.dkr.ecr.us-east-1.amazonaws.com/bwa:0.7",
      `CannotPullContainerError: ${M}.dkr.ecr.us-east-1.amazonaws.com/bwa:0.7`,
    ],
    ["Workflow 1 not found for owner 999999999999", `Workflow 1 not found for owner ${M}`],
    ["in account 123456789012.", `in account ${M}.`],
    ['{"accountId":"123456789012"}', `{"accountId":"${M}"}`],
    ["Account ID: 123456789012", `Account ID: ${M}`],
  ])("%s", (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it.each([
    "HealthOmics status COMPLETED; WES state COMPLETE.",
    "s3://wes-outputs-123456789012/users/alice/runs/r/1",
    "wrote 123456789012 bytes",
    "run 2100001 (uuid d329ddac-d293-4510-a47e-7e0053fe347b)",
    "1764264369972",
    "arn:aws:omics:us-east-1:1234567890123:run/1",
  ])("leaves %s alone", (text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe("redactValue", () => {
  it("masks strings at any depth, keeps keys, numbers and S3 URIs", () => {
    const outputs = {
      output_location: "s3://wes-outputs/users/alice/runs/r/2100001",
      healthomics: {
        run_id: "2100001",
        run_arn: "arn:aws:omics:us-east-1:123456789012:run/2100001",
        n: 123456789012,
        list: ["arn:aws:iam::123456789012:role/x"],
      },
    };
    expect(redactValue(outputs)).toEqual({
      output_location: "s3://wes-outputs/users/alice/runs/r/2100001",
      healthomics: { run_id: "2100001", run_arn: `arn:aws:omics:us-east-1:${M}:run/2100001`, n: 123456789012, list: [`arn:aws:iam::${M}:role/x`] },
    });
    expect(outputs.healthomics.run_arn).toContain("123456789012"); // the stored value is not changed
  });
});

const ROW = {
  id: "r1",
  owner: "alice",
  state: "CANCELED",
  request: { workflow_type: "WDL", workflow_type_version: "1.0", workflow_url: "healthomics:1", workflow_params: {}, tags: {}, workflow_engine_parameters: {} },
  tags: {},
  createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  updatedAt: 0,
  startTime: null,
  endTime: null,
  runName: null,
  exitCode: null,
  systemLogs: ["2026-01-02T03:04:06.000Z StartRun failed: arn:aws:iam::123456789012:role/R"],
  outputs: { healthomics: { run_arn: "arn:aws:omics:us-east-1:123456789012:run/1" } },
  idempotencyKey: null,
  requestHash: "h",
  cancelRequestedAt: Date.UTC(2026, 0, 2, 3, 5, 0),
  canceledBy: "admin",
  submittedVia: "bearer",
  omicsRunId: null,
  omicsRunUuid: null,
  omicsRunArn: null,
  omicsStatus: null,
  omicsFailureReason: null,
  omicsStatusMessage: null,
  omicsWorkflowType: null,
  sweptAt: null,
  packageHash: null,
} as RunRow;

describe("views", () => {
  it("ordinary users get account ids masked and no audit lines", () => {
    const log = runLog(ROW, "http://x/ga4gh/wes/v1", { admin: false });
    expect(log.run_log.system_logs).toEqual([`2026-01-02T03:04:06.000Z StartRun failed: arn:aws:iam::${M}:role/R`]);
    // A row from before "wes:run" existed: its service keys are shown under it.
    expect(log.outputs).toEqual({ "wes:run": { healthomics: { run_arn: `arn:aws:omics:us-east-1:${M}:run/1` } } });
  });

  it("admins see everything whole, and the audit lines last", () => {
    const log = runLog(ROW, "http://x/ga4gh/wes/v1", { admin: true });
    expect(log.run_log.system_logs).toEqual([
      "2026-01-02T03:04:06.000Z StartRun failed: arn:aws:iam::123456789012:role/R",
      "audit: submitted by alice at 2026-01-02T03:04:05.000Z via bearer",
      "audit: cancel requested by admin at 2026-01-02T03:05:00.000Z",
    ]);
    expect(log.outputs).toEqual({ "wes:run": ROW.outputs });
  });

  it("audit lines of an old row (no scheme) and of a run nobody cancelled", () => {
    expect(auditLines({ ...ROW, submittedVia: null, canceledBy: null, cancelRequestedAt: null })).toEqual([
      "audit: submitted by alice at 2026-01-02T03:04:05.000Z",
    ]);
  });

  it("task logs: masked for users, whole for admins", () => {
    const task = {
      runId: "r1",
      id: "t1",
      position: 0,
      name: "align",
      status: "FAILED",
      startTime: null,
      endTime: null,
      exitCode: null,
      systemLogs: ["image 123456789012.dkr.ecr.us-east-1.amazonaws.com/x"],
      stdout: null,
      stderr: null,
      updatedAt: 0,
    } as TaskRow;
    expect(taskLog(task, { admin: false }, "http://x/ga4gh/wes/v1").system_logs).toEqual([`image ${M}.dkr.ecr.us-east-1.amazonaws.com/x`]);
    expect(taskLog(task, { admin: true }, "http://x/ga4gh/wes/v1").system_logs).toEqual(task.systemLogs);
  });
});
