/**
 * One step of registering a workflow package as a HealthOmics private workflow, safe to repeat
 * and to run concurrently for the same package from several runs:
 *
 * - no workflow yet → CreateWorkflow with `requestId` = `<hash>-<generation>`, so concurrent
 *   callers get the one workflow HealthOmics created for that token; the zip goes inline
 *   (`definitionZip`, base64) up to 4 MiB, else first to S3 under `<output prefix>packages/<hash>.zip`
 *   (outside every user's folder) and by `definitionUri`;
 * - CREATING/UPDATING → GetWorkflow, again after 3 s (botocore's WorkflowActive waiter delay);
 * - ACTIVE → done (with the parameter template HealthOmics derived, kept in D1); FAILED → the run
 *   fails with HealthOmics' statusMessage, and the package starts a new generation so a later
 *   submission tries afresh;
 * - RETIRING (the cron sweep is deleting the workflow, retire.ts) → wait: once retired, the next
 *   generation creates the workflow again, so a run never starts on a deleted workflow;
 * - 402 ServiceQuotaExceededException → the run fails naming the "Maximum workflows" quota.
 *
 * The caller (the run's Durable Object) books the budget and schedules the next step.
 */
import type { HealthOmicsClient, OmicsError } from "../client/client";
import type { S3Client } from "../aws/s3";
import type { Db } from "../../../db/client";
import { nextGeneration, type PackageRow, packageRow, RETIRING, setWorkflow } from "./store";

/** The tag on workflows this service creates from submitted workflow files: never listed, named only by admins. */
export const PACKAGE_TAG = "wes:package";

/** A workflow's parameter template (GetWorkflow `parameterTemplate`). */
export type ParameterTemplate = NonNullable<PackageRow["parameterTemplate"]>;

/** What to do after a step. */
export type RegisterOutcome =
  | { kind: "active"; workflowId: string; parameterTemplate?: ParameterTemplate }
  | { kind: "wait"; workflowId: string; afterMs: number }
  | { kind: "retry"; error: OmicsError }
  | { kind: "failed"; message: string };

/** What a step needs. */
export interface RegisterDeps {
  db: Db;
  omics: HealthOmicsClient;
  s3: S3Client;
  /** The ATTACHMENTS bucket, where the zip is kept. */
  bucket: R2Bucket;
  /** `s3://bucket/prefix/` of outputs; packages go under `<prefix>packages/`. */
  outputPrefix: string;
}

/** Largest zip sent inline (one AWS page says 4.4 MB, another 4 MiB: the smaller). */
export const INLINE_ZIP_BYTES = 4 * 1024 * 1024;
/** GetWorkflow interval while CREATING (botocore's WorkflowActive waiter: 3 s). */
export const ACTIVE_POLL_MS = 3000;
/** How often a run re-reads a package whose workflow is being retired (D1 only, no HealthOmics call). */
export const RETIRING_POLL_MS = 30_000;

/** Where a package too large to send inline is uploaded: `<output prefix>packages/<hash>.zip`, outside every `users/` folder. */
export function packageS3Location(outputPrefix: string, hash: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(outputPrefix)!;
  return { bucket: match[1]!, key: `${match[2]}packages/${hash}.zip` };
}

/** The operation a step will call next, for booking the budget. */
export function nextOperation(row: PackageRow | undefined): "CreateWorkflow" | "GetWorkflow" | undefined {
  if (!row) return undefined;
  if (!row.workflowId) return "CreateWorkflow";
  return row.status === "ACTIVE" || row.status === RETIRING ? undefined : "GetWorkflow";
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A workflow name from the main file: HealthOmics shows it in the console and logs. */
export function workflowName(row: Pick<PackageRow, "hash" | "main">): string {
  const base = row.main
    .split("/")
    .pop()!
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .slice(0, 80);
  return `wes-${row.hash.slice(0, 12)}-${base}`;
}

function quotaMessage(error: OmicsError): string {
  return `HealthOmics refused to create the workflow: the account reached its "Maximum workflows" quota (Service Quotas code L-7CAE62CF). Delete unused private workflows, set WES_PACKAGE_RETIRE_DAYS, or ask AWS for a higher quota. (${error.message})`;
}

async function create(deps: RegisterDeps, row: PackageRow): Promise<RegisterOutcome> {
  const zip = await deps.bucket.get(row.zipKey);
  if (!zip) return { kind: "failed", message: `The workflow package ${row.hash} has no stored zip (${row.zipKey}); submit the workflow again.` };
  const bytes = new Uint8Array(await zip.arrayBuffer());
  let definition: { definitionZip: string } | { definitionUri: string };
  if (bytes.byteLength <= INLINE_ZIP_BYTES) {
    definition = { definitionZip: base64(bytes) };
  } else {
    const { bucket, key } = packageS3Location(deps.outputPrefix, row.hash);
    const put = await deps.s3.putObject(bucket, key, bytes, { contentType: "application/zip" });
    if (!put.ok)
      return put.error.retryable
        ? { kind: "retry", error: put.error }
        : { kind: "failed", message: `Could not upload the workflow package to S3: ${put.error.message}` };
    definition = { definitionUri: `s3://${bucket}/${key}` };
  }
  const created = await deps.omics.createWorkflow({
    requestId: `${row.hash}-${row.generation}`,
    name: workflowName(row),
    description: `Workflow files submitted to the WES service (package ${row.hash})`,
    engine: row.engine as "WDL" | "CWL" | "NEXTFLOW",
    main: row.main,
    tags: { [PACKAGE_TAG]: row.hash },
    ...definition,
  });
  if (!created.ok) {
    if (created.error.quota || created.error.status === 402) return { kind: "failed", message: quotaMessage(created.error) };
    if (created.error.retryable) return { kind: "retry", error: created.error };
    await nextGeneration(deps.db, row.hash, row.generation, created.error.message);
    return { kind: "failed", message: `HealthOmics refused the workflow: ${created.error.message}` };
  }
  const id = created.value.id;
  if (!id) return { kind: "retry", error: { type: "InvalidResponse", status: 201, message: "CreateWorkflow answered without an id", retryable: true } };
  const status = created.value.status ?? "CREATING";
  await setWorkflow(deps.db, row.hash, row.generation, id, status, null);
  return status === "ACTIVE" ? { kind: "active", workflowId: id } : { kind: "wait", workflowId: id, afterMs: ACTIVE_POLL_MS };
}

async function check(deps: RegisterDeps, row: PackageRow, workflowId: string): Promise<RegisterOutcome> {
  const got = await deps.omics.getWorkflow(workflowId);
  if (!got.ok) {
    if (got.error.status === 404) {
      // Deleted behind our back: a new generation creates it again.
      await nextGeneration(deps.db, row.hash, row.generation, `workflow ${workflowId} was not found`);
      return { kind: "retry", error: got.error };
    }
    return got.error.retryable ? { kind: "retry", error: got.error } : { kind: "failed", message: `GetWorkflow ${workflowId} failed: ${got.error.message}` };
  }
  const status = got.value.status ?? "CREATING";
  if (status === "ACTIVE") {
    const template = got.value.parameterTemplate as ParameterTemplate | undefined;
    await setWorkflow(deps.db, row.hash, row.generation, workflowId, "ACTIVE", null, template);
    return template ? { kind: "active", workflowId, parameterTemplate: template } : { kind: "active", workflowId };
  }
  if (status === "FAILED" || status === "DELETED" || status === "INACTIVE") {
    const reason = got.value.statusMessage ?? `the workflow is ${status}`;
    await nextGeneration(deps.db, row.hash, row.generation, reason);
    return { kind: "failed", message: `HealthOmics could not create the workflow ${workflowId}: ${reason}` };
  }
  return { kind: "wait", workflowId, afterMs: ACTIVE_POLL_MS };
}

/** Performs the next registration step of package `hash`. */
export async function registerStep(deps: RegisterDeps, hash: string): Promise<RegisterOutcome> {
  const row = await packageRow(deps.db, hash);
  if (!row) return { kind: "failed", message: `The workflow package ${hash} is not recorded; submit the workflow again.` };
  if (!row.workflowId) return await create(deps, row);
  if (row.status === RETIRING) return { kind: "wait", workflowId: row.workflowId, afterMs: RETIRING_POLL_MS };
  if (row.status === "ACTIVE") {
    return row.parameterTemplate
      ? { kind: "active", workflowId: row.workflowId, parameterTemplate: row.parameterTemplate }
      : { kind: "active", workflowId: row.workflowId };
  }
  return await check(deps, row, row.workflowId);
}
