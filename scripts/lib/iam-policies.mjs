/**
 * The AWS IAM policies of a deployment (docs/deployment.md, step 4), built from the operator's
 * values so that nothing has to be edited by hand. Pure functions; scripts/iam.mjs prints them.
 *
 * Sources: "Identity-based IAM policies for HealthOmics" (StartRun, iam:PassRole), "Service roles
 * for AWS HealthOmics" (the run role's trust and permissions) and "Cross-service confused deputy
 * prevention" (the run role's aws:SourceAccount / aws:SourceArn conditions), all in the AWS
 * HealthOmics User Guide: https://docs.aws.amazon.com/omics/latest/dev/.
 */

/**
 * The HealthOmics operations the service calls (src/executors/healthomics/client/wire-types.ts
 * `OmicsOperation`), plus TagResource, which StartRun's tags need; DeleteRun only with
 * `--delete-runs` (OPTIONAL_SERVICE_ACTIONS).
 */
export const SERVICE_ACTIONS = [
  "GetWorkflow",
  "ListWorkflows",
  "CreateWorkflow",
  "DeleteWorkflow",
  "StartRun",
  "TagResource",
  "GetRun",
  "ListRunTasks",
  "GetRunTask",
  "CancelRun",
].map((a) => `omics:${a}`);

/** Operations allowed only when their setting is on: DeleteRun (HEALTHOMICS_DELETE_RUNS, `--delete-runs`). */
export const OPTIONAL_SERVICE_ACTIONS = ["omics:DeleteRun"];

const VERSION = "2012-10-17";
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const USER_NAME = /^[\w+=,.@-]{1,64}$/;

/** AWS partition of a region (`aws-cn` for China, `aws-us-gov` for GovCloud). */
export function partitionOf(region) {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Splits `s3://bucket/prefix/` into bucket and prefix ("" or ending in `/`). */
function splitS3(uri) {
  const [bucket, ...rest] = uri.replace(/^s3:\/\//, "").split("/");
  const prefix = rest.filter(Boolean).join("/");
  return { bucket, prefix: prefix ? `${prefix}/` : "" };
}

/**
 * Checks the values; returns problems (empty when usable).
 * @param {{account: string, region: string, runRole: string, serviceUser: string, assumeRole?: string}} v
 */
export function valueProblems(v) {
  const problems = [];
  if (!/^[0-9]{12}$/.test(v.account ?? "")) problems.push("--account must be your 12-digit AWS account id");
  if (!/^[a-z]{2}(-[a-z]+)+-[0-9]$/.test(v.region ?? "")) problems.push("--region must be an AWS region such as us-east-1");
  if (!ROLE_NAME.test(v.runRole ?? "")) problems.push("--run-role must be an IAM role name");
  if (!USER_NAME.test(v.serviceUser ?? "")) problems.push("--service-user must be an IAM user name");
  if (v.assumeRole !== undefined && !ROLE_NAME.test(v.assumeRole)) problems.push("--assume-role must be an IAM role name");
  return problems;
}

/**
 * Every policy document, by file name.
 * @param {object} v
 * @param {string} v.account       12-digit account id
 * @param {string} v.region        HealthOmics region
 * @param {string} v.output        normalised output prefix, `s3://bucket/prefix/` (HEALTHOMICS_OUTPUT_BUCKET)
 * @param {string[]} v.inputs      normalised input prefixes the runs read, `s3://bucket/` or `s3://bucket/prefix/`
 * @param {string} v.runRole       name of the run role (HEALTHOMICS_ROLE_ARN)
 * @param {string} v.serviceUser   name of the IAM user whose key the Worker holds
 * @param {string} [v.assumeRole]  name of the role the Worker assumes (AWS_ROLE_ARN), if any
 * @param {string} [v.externalId]  external id that role requires (AWS_ROLE_EXTERNAL_ID)
 * @param {boolean} [v.plainTrust] the run role's trust policy without the confused-deputy conditions
 * @param {boolean} [v.deleteOutputs] deleting a run deletes its outputs too (WES_DELETE_OUTPUTS)
 * @param {boolean} [v.deleteRuns]    deleting a run deletes its HealthOmics run too (HEALTHOMICS_DELETE_RUNS)
 */
export function policies(v) {
  const p = partitionOf(v.region);
  const runRoleArn = `arn:${p}:iam::${v.account}:role/${v.runRole}`;
  const out = splitS3(v.output);
  const files = {};

  files["wes-service-policy.json"] = {
    Version: VERSION,
    Statement: [
      {
        Sid: "RunWorkflowsOnHealthOmics",
        Effect: "Allow",
        Action: SERVICE_ACTIONS,
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": v.region } },
      },
      {
        // Submitted workflow files: packages over 4 MiB go to S3 before CreateWorkflow reads them
        // (definitionUri, read with the caller's permissions), attached inputs go to the run's folder.
        Sid: "WorkflowPackagesAndAttachedInputs",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:GetObject"],
        Resource: [`arn:${p}:s3:::${out.bucket}/${out.prefix}packages/*`, `arn:${p}:s3:::${out.bucket}/${out.prefix}users/*/runs/*/inputs/*`],
      },
      // Deleting a run (DELETE /runs/{id}, retention) deletes the inputs the service uploaded for it,
      // and with WES_DELETE_OUTPUTS its whole folder (listing it uses ListRunOutputs below).
      {
        Sid: v.deleteOutputs ? "DeleteRunFolders" : "DeleteRunInputs",
        Effect: "Allow",
        Action: "s3:DeleteObject",
        Resource: `arn:${p}:s3:::${out.bucket}/${out.prefix}users/*/runs/*${v.deleteOutputs ? "" : "/inputs/*"}`,
      },
      ...(v.deleteRuns
        ? [
            {
              Sid: "DeleteHealthOmicsRuns",
              Effect: "Allow",
              Action: OPTIONAL_SERVICE_ACTIONS,
              Resource: "*",
              Condition: { StringEquals: { "aws:RequestedRegion": v.region } },
            },
          ]
        : []),
      {
        // Package retirement (WES_PACKAGE_RETIRE_DAYS) deletes the S3 copy of a retired package.
        Sid: "RetireWorkflowPackages",
        Effect: "Allow",
        Action: "s3:DeleteObject",
        Resource: `arn:${p}:s3:::${out.bucket}/${out.prefix}packages/*`,
      },
      {
        Sid: "PassTheRunRoleToHealthOmics",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: runRoleArn,
        Condition: { StringEquals: { "iam:PassedToService": "omics.amazonaws.com" } },
      },
      // Run and task logs (GET …/logs/stdout|stderr): HealthOmics writes them to this log group.
      {
        Sid: "ReadRunLogs",
        Effect: "Allow",
        Action: "logs:GetLogEvents",
        // `:*` matches the group's ARN and its streams' (`…:log-stream:run/…`), whichever IAM checks.
        Resource: `arn:${p}:logs:${v.region}:${v.account}:log-group:/aws/omics/WorkflowLog:*`,
      },
      // Outputs: the output summary at completion, and HeadObject + presigned GETs for downloads.
      { Sid: "ReadRunOutputs", Effect: "Allow", Action: "s3:GetObject", Resource: `arn:${p}:s3:::${out.bucket}/${out.prefix}*` },
      {
        Sid: "ListRunOutputs",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: `arn:${p}:s3:::${out.bucket}`,
        ...(out.prefix ? { Condition: { StringLike: { "s3:prefix": `${out.prefix}*` } } } : {}),
      },
    ],
  };

  const trust = { Effect: "Allow", Principal: { Service: "omics.amazonaws.com" }, Action: "sts:AssumeRole" };
  files["run-role-trust.json"] = {
    Version: VERSION,
    Statement: [
      v.plainTrust
        ? trust
        : {
            ...trust,
            Condition: {
              StringEquals: { "aws:SourceAccount": v.account },
              StringLike: { "aws:SourceArn": `arn:${p}:omics:${v.region}:${v.account}:*` },
            },
          },
    ],
  };

  const inputStatements = v.inputs.flatMap((uri, i) => {
    const { bucket, prefix } = splitS3(uri);
    const list = { Sid: `ListInput${i + 1}`, Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:${p}:s3:::${bucket}` };
    return [
      { Sid: `ReadInput${i + 1}`, Effect: "Allow", Action: "s3:GetObject", Resource: `arn:${p}:s3:::${bucket}/${prefix}*` },
      prefix ? { ...list, Condition: { StringLike: { "s3:prefix": `${prefix}*` } } } : list,
    ];
  });
  files["run-role-policy.json"] = {
    Version: VERSION,
    Statement: [
      ...inputStatements,
      { Sid: "WriteOutputs", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `arn:${p}:s3:::${out.bucket}/${out.prefix}*` },
      {
        Sid: "ListOutputPrefix",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: `arn:${p}:s3:::${out.bucket}`,
        ...(out.prefix ? { Condition: { StringLike: { "s3:prefix": `${out.prefix}*` } } } : {}),
      },
      {
        Sid: "WorkflowLogStreams",
        Effect: "Allow",
        Action: ["logs:DescribeLogStreams", "logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `arn:${p}:logs:${v.region}:${v.account}:log-group:/aws/omics/WorkflowLog:log-stream:*`,
      },
      {
        Sid: "WorkflowLogGroup",
        Effect: "Allow",
        Action: "logs:CreateLogGroup",
        Resource: `arn:${p}:logs:${v.region}:${v.account}:log-group:/aws/omics/WorkflowLog:*`,
      },
      {
        Sid: "PullPrivateImages",
        Effect: "Allow",
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
        Resource: `arn:${p}:ecr:${v.region}:${v.account}:repository/*`,
      },
    ],
  };

  files["ecr-repository-policy.json"] = {
    Version: VERSION,
    Statement: [
      {
        Sid: "HealthOmicsPullsImages",
        Effect: "Allow",
        Principal: { Service: "omics.amazonaws.com" },
        Action: ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability"],
      },
    ],
  };

  if (v.assumeRole) {
    const userArn = `arn:${p}:iam::${v.account}:user/${v.serviceUser}`;
    files["wes-service-trust.json"] = {
      Version: VERSION,
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: userArn },
          Action: "sts:AssumeRole",
          ...(v.externalId ? { Condition: { StringEquals: { "sts:ExternalId": v.externalId } } } : {}),
        },
      ],
    };
    files["wes-service-user-policy.json"] = {
      Version: VERSION,
      Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:${p}:iam::${v.account}:role/${v.assumeRole}` }],
    };
  }

  files["events-trust.json"] = {
    Version: VERSION,
    Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" }],
  };
  files["events-invoke.json"] = {
    Version: VERSION,
    Statement: [
      {
        Effect: "Allow",
        Action: "events:InvokeApiDestination",
        Resource: `arn:${p}:events:${v.region}:${v.account}:api-destination/wes-healthomics-events/*`,
      },
    ],
  };
  return files;
}

/** The settings these policies go with. */
export function settingsFor(v) {
  const p = partitionOf(v.region);
  return {
    HEALTHOMICS_REGION: v.region,
    HEALTHOMICS_ROLE_ARN: `arn:${p}:iam::${v.account}:role/${v.runRole}`,
    HEALTHOMICS_OUTPUT_BUCKET: v.output,
    ...(v.assumeRole ? { AWS_ROLE_ARN: `arn:${p}:iam::${v.account}:role/${v.assumeRole}` } : {}),
    ...(v.assumeRole && v.externalId ? { AWS_ROLE_EXTERNAL_ID: v.externalId } : {}),
    ...(v.deleteOutputs ? { WES_DELETE_OUTPUTS: "true" } : {}),
    ...(v.deleteRuns ? { HEALTHOMICS_DELETE_RUNS: "true" } : {}),
  };
}
