/**
 * `npm run iam`: prints (or writes) the IAM policies of a deployment with your values filled in,
 * and the settings that go with them (docs/deployment.md, step 4).
 *
 *   npm run iam -- --account 123456789012 --region us-east-1 --output s3://my-outputs/wes \
 *     --input s3://my-inputs/ [--input s3://refs/genomes/] [--run-role OmicsWorkflowRole] \
 *     [--service-user wes-healthomics-service] [--assume-role WesHealthOmicsService [--external-id <id>]] \
 *     [--plain-trust] [--delete-outputs] [--delete-runs] [--out <dir>]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { policies, settingsFor, valueProblems } from "./lib/iam-policies.mjs";
import { importTs } from "./lib/import-ts.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const USAGE =
  "npm run iam -- --account <12 digits> --region <region> --output s3://bucket[/prefix] [--input s3://bucket[/prefix]]... " +
  "[--run-role <name>] [--service-user <name>] [--assume-role <name> [--external-id <id>]] [--plain-trust] [--delete-outputs] [--delete-runs] [--out <dir>]";

function fail(problems) {
  console.error(`${problems.map((p) => `✖ ${p}`).join("\n")}\n\n${USAGE}`);
  process.exit(2);
}

const v = { inputs: [], runRole: "OmicsWorkflowRole", serviceUser: "wes-healthomics-service", plainTrust: false };
let outDir;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i];
  const value = () => argv[++i] ?? fail([`${arg} needs a value`]);
  if (arg === "--account") v.account = value();
  else if (arg === "--region") v.region = value();
  else if (arg === "--output") v.output = value();
  else if (arg === "--input") v.inputs.push(value());
  else if (arg === "--run-role") v.runRole = value();
  else if (arg === "--service-user") v.serviceUser = value();
  else if (arg === "--assume-role") v.assumeRole = value();
  else if (arg === "--external-id") v.externalId = value();
  else if (arg === "--plain-trust") v.plainTrust = true;
  else if (arg === "--delete-outputs") v.deleteOutputs = true;
  else if (arg === "--delete-runs") v.deleteRuns = true;
  else if (arg === "--out") outDir = resolve(value());
  else if (arg === "--help" || arg === "-h") {
    console.log(USAGE);
    process.exit(0);
  } else fail([`unknown argument ${arg}`]);
}

// Buckets are read exactly as HEALTHOMICS_OUTPUT_BUCKET is (src/settings/schema.ts).
const { outputPrefix } = await importTs('export { outputPrefix } from "./src/settings/schema.ts";', root);
const problems = valueProblems(v);
const output = outputPrefix(v.output ?? "");
if (!output) problems.push("--output must be an S3 bucket or s3://bucket/prefix (the value of HEALTHOMICS_OUTPUT_BUCKET)");
v.output = output;
v.inputs = v.inputs.map((input) => {
  const prefix = outputPrefix(input);
  if (!prefix) problems.push(`--input ${input.slice(0, 80)} must be an S3 bucket or s3://bucket/prefix`);
  return prefix;
});
if (v.externalId !== undefined && !v.assumeRole) problems.push("--external-id goes with --assume-role");
if (v.inputs.length === 0) problems.push("--input: name at least one location the runs read (repeat --input for more)");
if (problems.length > 0) fail(problems);

const files = policies(v);
if (outDir) {
  mkdirSync(outDir, { recursive: true });
  for (const [name, doc] of Object.entries(files)) writeFileSync(join(outDir, name), `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`Wrote ${Object.keys(files).length} policies to ${outDir}: ${Object.keys(files).join(", ")}`);
} else {
  for (const [name, doc] of Object.entries(files)) console.log(`==> ${name} <==\n${JSON.stringify(doc, null, 2)}\n`);
}
console.log("\n# For deploy/<env>.toml [vars]:");
for (const [name, value] of Object.entries(settingsFor(v))) console.log(`${name} = ${JSON.stringify(value)}`);
