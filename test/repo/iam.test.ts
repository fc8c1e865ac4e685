/**
 * `npm run iam`: the policies come out with the operator's values, the service may call exactly
 * the HealthOmics operations the code calls, and the run role's trust policy is AWS's documented one.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OPTIONAL_SERVICE_ACTIONS, SERVICE_ACTIONS } from "../../scripts/lib/iam-policies.mjs";
import type { OmicsOperation } from "../../src/executors/healthomics/client/wire-types";
import { ROOT } from "./support/config-sources";

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string;
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, string>>;
}
type Policies = Record<string, { Version: string; Statement: Statement[] }>;

function iam(args: string[]): { status: number | null; stdout: string; stderr: string; policies: Policies } {
  const result = spawnSync(process.execPath, [join(ROOT, "scripts", "iam.mjs"), ...args], { cwd: ROOT, encoding: "utf8" });
  const policies: Policies = {};
  for (const block of result.stdout.split(/^==> /m).slice(1)) {
    const [name, ...rest] = block.split(" <==\n");
    const json = rest.join(" <==\n").split("\n# For deploy")[0]!;
    policies[name!] = JSON.parse(json);
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, policies };
}

const ARGS = [
  "--account",
  "123456789012",
  "--region",
  "eu-west-1",
  "--output",
  "s3://lab-outputs/wes",
  "--input",
  "s3://lab-inputs",
  "--input",
  "s3://refs/genomes/",
];

describe("npm run iam", () => {
  it("allows the service exactly the HealthOmics operations the code calls (and TagResource for StartRun's tags)", () => {
    // A new operation in OmicsOperation fails to compile here until it is listed (and so allowed).
    const called: Record<OmicsOperation, true> = {
      StartRun: true,
      GetRun: true,
      ListRunTasks: true,
      GetRunTask: true,
      CancelRun: true,
      GetWorkflow: true,
      ListWorkflows: true,
      CreateWorkflow: true,
      DeleteWorkflow: true,
      DeleteRun: true,
    };
    expect([...SERVICE_ACTIONS, ...OPTIONAL_SERVICE_ACTIONS].sort()).toEqual([...Object.keys(called), "TagResource"].map((op) => `omics:${op}`).sort());
    expect(SERVICE_ACTIONS).not.toContain("omics:DeleteRun");
  });

  it("fills in the account, region, role and buckets", () => {
    const { status, policies, stdout } = iam(ARGS);
    expect(status).toBe(0);
    const service = policies["wes-service-policy.json"]!.Statement;
    expect(service[0]!.Condition).toEqual({ StringEquals: { "aws:RequestedRegion": "eu-west-1" } });
    expect(service.find((s) => s.Sid === "PassTheRunRoleToHealthOmics")).toMatchObject({
      Action: "iam:PassRole",
      Resource: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
    });
    expect(service.find((s) => s.Sid === "WorkflowPackagesAndAttachedInputs")).toMatchObject({
      Action: ["s3:PutObject", "s3:GetObject"],
      Resource: ["arn:aws:s3:::lab-outputs/wes/packages/*", "arn:aws:s3:::lab-outputs/wes/users/*/runs/*/inputs/*"],
    });
    expect(service.find((s) => s.Sid === "RetireWorkflowPackages")).toMatchObject({
      Action: "s3:DeleteObject",
      Resource: "arn:aws:s3:::lab-outputs/wes/packages/*",
    });
    expect(service.find((s) => s.Sid === "ReadRunLogs")).toMatchObject({
      Action: "logs:GetLogEvents",
      Resource: "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/omics/WorkflowLog:*",
    });
    expect(service.find((s) => s.Sid === "ReadRunOutputs")).toMatchObject({ Action: "s3:GetObject", Resource: "arn:aws:s3:::lab-outputs/wes/*" });
    expect(service.find((s) => s.Sid === "ListRunOutputs")).toMatchObject({
      Action: "s3:ListBucket",
      Resource: "arn:aws:s3:::lab-outputs",
      Condition: { StringLike: { "s3:prefix": "wes/*" } },
    });
    const run = policies["run-role-policy.json"]!.Statement;
    expect(run.find((s) => s.Sid === "ReadInput1")?.Resource).toBe("arn:aws:s3:::lab-inputs/*");
    expect(run.find((s) => s.Sid === "ListInput1")?.Condition).toBeUndefined();
    expect(run.find((s) => s.Sid === "ReadInput2")?.Resource).toBe("arn:aws:s3:::refs/genomes/*");
    expect(run.find((s) => s.Sid === "ListInput2")?.Condition).toEqual({ StringLike: { "s3:prefix": "genomes/*" } });
    expect(run.find((s) => s.Sid === "WriteOutputs")?.Resource).toBe("arn:aws:s3:::lab-outputs/wes/*");
    expect(run.find((s) => s.Sid === "WorkflowLogGroup")?.Resource).toBe("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/omics/WorkflowLog:*");
    expect(stdout).toContain('HEALTHOMICS_OUTPUT_BUCKET = "s3://lab-outputs/wes/"');
    expect(stdout).toContain('HEALTHOMICS_ROLE_ARN = "arn:aws:iam::123456789012:role/OmicsWorkflowRole"');
  });

  it("lets deletion remove the uploaded inputs; the outputs and DeleteRun only with their flags", () => {
    const plain = iam(ARGS).policies["wes-service-policy.json"]!.Statement;
    expect(plain.find((s) => s.Sid === "DeleteRunInputs")).toMatchObject({
      Action: "s3:DeleteObject",
      Resource: "arn:aws:s3:::lab-outputs/wes/users/*/runs/*/inputs/*",
    });
    expect(JSON.stringify(plain)).not.toContain("omics:DeleteRun");
    const { policies, stdout } = iam([...ARGS, "--delete-outputs", "--delete-runs"]);
    const all = policies["wes-service-policy.json"]!.Statement;
    expect(all.find((s) => s.Sid === "DeleteRunFolders")).toMatchObject({ Action: "s3:DeleteObject", Resource: "arn:aws:s3:::lab-outputs/wes/users/*/runs/*" });
    expect(all.find((s) => s.Sid === "DeleteHealthOmicsRuns")).toMatchObject({ Action: ["omics:DeleteRun"], Resource: "*" });
    expect(stdout).toContain('WES_DELETE_OUTPUTS = "true"');
    expect(stdout).toContain('HEALTHOMICS_DELETE_RUNS = "true"');
  });

  it("gives the run role AWS's confused-deputy trust policy, or the plain one on request", () => {
    expect(iam(ARGS).policies["run-role-trust.json"]!.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "omics.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, StringLike: { "aws:SourceArn": "arn:aws:omics:eu-west-1:123456789012:*" } },
      },
    ]);
    expect(iam([...ARGS, "--plain-trust"]).policies["run-role-trust.json"]!.Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "omics.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
  });

  it("adds the assumed role's trust and the key holder's policy when asked, in the partition of the region", () => {
    const { policies } = iam([
      "--account",
      "123456789012",
      "--region",
      "cn-north-1",
      "--output",
      "out",
      "--input",
      "in-bucket",
      "--assume-role",
      "WesSvc",
      "--external-id",
      "x-1",
    ]);
    expect(policies["wes-service-trust.json"]!.Statement[0]).toMatchObject({
      Principal: { AWS: "arn:aws-cn:iam::123456789012:user/wes-healthomics-service" },
      Condition: { StringEquals: { "sts:ExternalId": "x-1" } },
    });
    expect(policies["wes-service-user-policy.json"]!.Statement[0]!.Resource).toBe("arn:aws-cn:iam::123456789012:role/WesSvc");
  });

  it("refuses bad values with every problem and no policy", () => {
    const { status, stderr, stdout } = iam(["--account", "1234", "--region", "us-east-1", "--output", "Bad_Bucket", "--input", "s3://ok-bucket"]);
    expect(status).toBe(2);
    expect(stderr).toContain("--account must be your 12-digit AWS account id");
    expect(stderr).toContain("--output must be an S3 bucket");
    expect(stdout).toBe("");
  });
});
