/**
 * CreateWorkflow, GetWorkflow, ListWorkflows, DeleteWorkflow, and the lookup StartRun uses.
 * CreateWorkflow reads the definition (an inline zip, or a zip in the emulated S3) the way
 * HealthOmics does (definition/analyze.ts); the workflow is CREATING for a few seconds of the
 * emulator's clock, then ACTIVE, or FAILED with a statusMessage when the package is unusable.
 */
import { analyzeDefinition } from "../definition/analyze";
import type { Engine } from "../definition/types";
import { ApiError } from "../errors";
import { parseS3Uri } from "../outputs/layout";
import { iso, workflowArn, type Identity } from "../records";
import { SEEDED_WORKFLOWS, type WorkflowRecord } from "../seed";
import { sha256Hex } from "../sigv4";
import type { ParameterTemplate } from "../validation";
import { int, str, type OpContext, type OpResult } from "./context";
import { durationScaleOf } from "./tags";

/** Created workflow ids start here, away from the seeded 100000x / 900000x ids. */
const FIRST_CREATED_WORKFLOW_ID = 2_000_001;
/** How long a created workflow is CREATING, at time scale 1 (botocore's waiter polls every 3 s). */
export const CREATING_MS = 3000;
/** HealthOmics' size limits for an inline zip and one in S3 (HealthOmics guide, "Workflow definition packaging"). */
export const MAX_INLINE_ZIP_BYTES = 4.4 * 1000 * 1000;
export const MAX_S3_ZIP_BYTES = 100 * 1000 * 1000;

/** A workflow's status at `now`. */
export function workflowStatus(w: WorkflowRecord, now: number): "CREATING" | "ACTIVE" | "FAILED" {
  if (w.readyAt === undefined) return "ACTIVE";
  if (now < w.readyAt) return "CREATING";
  return w.failure ? "FAILED" : "ACTIVE";
}

/** A workflow by id, seeded or created (not deleted); ResourceNotFoundException otherwise. */
export function findWorkflow(ctx: OpContext, id: string): WorkflowRecord {
  const workflow = SEEDED_WORKFLOWS.get(id) ?? ctx.store.getWorkflow(id);
  if (!workflow) throw new ApiError("ResourceNotFoundException", `Workflow ${id} not found`);
  return workflow;
}

function listItem(identity: Identity, w: WorkflowRecord, now: number): Record<string, unknown> {
  const item: Record<string, unknown> = {
    arn: workflowArn(identity, w.id),
    id: w.id,
    name: w.name,
    status: workflowStatus(w, now),
    type: w.type,
    creationTime: w.creationTime,
  };
  if (w.digest) item.digest = w.digest;
  return item;
}

function decodeBase64(text: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    throw new ApiError("SerializationException", "definitionZip is not valid base64");
  }
}

/** The definition zip's bytes, or the statusMessage of a FAILED workflow when it cannot be read. */
async function definitionBytes(ctx: OpContext, input: Record<string, unknown>): Promise<Uint8Array | { failure: string } | undefined> {
  const inline = str(input, "definitionZip");
  if (inline !== undefined) {
    const bytes = decodeBase64(inline);
    if (bytes.length > MAX_INLINE_ZIP_BYTES) {
      throw new ApiError(
        "ValidationException",
        `definitionZip is ${bytes.length} bytes, more than the ${MAX_INLINE_ZIP_BYTES}-byte limit: upload it to S3 and pass definitionUri`,
      );
    }
    return bytes;
  }
  const uri = str(input, "definitionUri");
  if (uri === undefined) return undefined;
  const target = parseS3Uri(uri);
  if (!target || target.key === "")
    throw new ApiError("ValidationException", `definitionUri must be an S3 URI of a ZIP archive (s3://bucket/key), got '${uri}'`);
  const object = await ctx.objects.get(`${target.bucket}/${target.key}`);
  if (!object) return { failure: `Unable to read the workflow definition at ${uri}: the object does not exist` };
  if (object.size > MAX_S3_ZIP_BYTES) {
    await object.body.cancel();
    return { failure: `The workflow definition at ${uri} is larger than ${MAX_S3_ZIP_BYTES} bytes` };
  }
  return new Uint8Array(await object.arrayBuffer());
}

/** POST /workflow → 201 {arn, id, status: CREATING, tags, uuid}; the same requestId returns the same workflow. */
export async function createWorkflow(ctx: OpContext, input: Record<string, unknown>): Promise<OpResult> {
  const requestId = str(input, "requestId")!;
  const body = (w: WorkflowRecord) => ({ arn: workflowArn(ctx.identity, w.id), id: w.id, status: "CREATING", tags: w.tags, uuid: w.uuid });
  const existing = ctx.store.getWorkflowByRequestId(requestId);
  if (existing) return { body: body(existing), requestId };
  const sources = ["definitionZip", "definitionUri", "definitionRepository"].filter((m) => input[m] !== undefined);
  if (sources.length !== 1) throw new ApiError("ValidationException", "Exactly one of definitionZip, definitionUri or definitionRepository is required");
  if (ctx.maxWorkflows !== undefined && ctx.store.countWorkflows() >= ctx.maxWorkflows) {
    throw new ApiError(
      "ServiceQuotaExceededException",
      `The maximum workflows quota (${ctx.maxWorkflows}) is reached: delete workflows or ask for a higher quota`,
    );
  }
  const bytes = await definitionBytes(ctx, input);
  // The read above let other calls in: one with the same requestId may have created the workflow meanwhile.
  const raced = ctx.store.getWorkflowByRequestId(requestId);
  if (raced) return { body: body(raced), requestId };
  const given = input.parameterTemplate as ParameterTemplate | undefined;
  const tags = (input.tags as Record<string, string> | undefined) ?? {};
  const stretch = durationScaleOf(tags) ?? 1;
  const id = String(ctx.store.nextCounter("nextWorkflowId", FIRST_CREATED_WORKFLOW_ID));
  const workflow: WorkflowRecord = {
    id,
    uuid: crypto.randomUUID(),
    name: str(input, "name") ?? `workflow-${id}`,
    engine: (str(input, "engine") as Engine | undefined) ?? "WDL",
    type: "PRIVATE",
    parameterTemplate: given ?? {},
    creationTime: iso(ctx.now),
    tags,
    requestId,
    storageType: (str(input, "storageType") as WorkflowRecord["storageType"]) ?? "DYNAMIC",
    readyAt: ctx.now + Math.round(CREATING_MS * ctx.timeScale * stretch),
  };
  if (bytes instanceof Uint8Array) {
    workflow.digest = await sha256Hex(bytes);
    const options: { main?: string; engine?: Engine; parameterTemplate?: ParameterTemplate } = {};
    if (str(input, "main") !== undefined) options.main = str(input, "main")!;
    if (str(input, "engine") !== undefined) options.engine = str(input, "engine") as Engine;
    if (given !== undefined) options.parameterTemplate = given;
    const analysis = analyzeDefinition(bytes, options);
    if ("failure" in analysis) workflow.failure = analysis.failure;
    else {
      workflow.definition = analysis;
      workflow.engine = analysis.engine;
      workflow.main = analysis.main;
      workflow.parameterTemplate = analysis.parameterTemplate;
    }
  } else if (bytes) workflow.failure = bytes.failure;
  const optional = {
    description: str(input, "description"),
    definitionUri: str(input, "definitionUri"),
    readmeMarkdown: str(input, "readmeMarkdown"),
    storageCapacity: int(input, "storageCapacity"),
    accelerators: str(input, "accelerators") as WorkflowRecord["accelerators"],
  };
  if (workflow.main === undefined && str(input, "main") !== undefined) workflow.main = str(input, "main")!;
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(workflow, { [k]: v });
  ctx.store.insertWorkflow(workflow);
  return { body: body(workflow), requestId };
}

/** GET /workflow/{id}?type&workflowOwnerId&export. */
export function getWorkflow(ctx: OpContext, input: Record<string, unknown>): OpResult {
  const id = str(input, "id")!;
  const workflow = findWorkflow(ctx, id);
  const type = str(input, "type");
  if (type !== undefined && type !== workflow.type) throw new ApiError("ResourceNotFoundException", `Workflow ${id} of type ${type} not found`);
  const owner = str(input, "workflowOwnerId");
  if (owner !== undefined && owner !== ctx.identity.accountId) throw new ApiError("ResourceNotFoundException", `Workflow ${id} not found for owner ${owner}`);
  const status = workflowStatus(workflow, ctx.now);
  const body: Record<string, unknown> = {
    ...listItem(ctx.identity, workflow, ctx.now),
    uuid: workflow.uuid,
    engine: workflow.engine,
    storageType: workflow.storageType,
    tags: workflow.tags,
  };
  // The model's template has at least one entry: a workflow without parameters shows none.
  if (Object.keys(workflow.parameterTemplate).length > 0) body.parameterTemplate = workflow.parameterTemplate;
  const optional: Record<string, unknown> = {
    description: workflow.description,
    main: workflow.main,
    storageCapacity: workflow.storageCapacity,
    accelerators: workflow.accelerators,
    statusMessage: status === "FAILED" ? workflow.failure?.slice(0, 1000) : undefined,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) body[k] = v;
  const exports = (input.export as string[] | undefined) ?? [];
  // Real HealthOmics answers a presigned S3 URL of the definition here; the emulator says where the definition came from.
  if (exports.includes("DEFINITION") && workflow.definitionUri) body.definition = workflow.definitionUri.slice(0, 256);
  return { body };
}

/** GET /workflow?type&name&startingToken&maxResults: seeded then created workflows, by id. */
export function listWorkflows(ctx: OpContext, input: Record<string, unknown>): OpResult {
  const type = str(input, "type");
  const name = str(input, "name");
  const max = int(input, "maxResults") ?? 100;
  const token = str(input, "startingToken");
  const after = token === undefined ? -1 : Number(token);
  if (token !== undefined && !Number.isInteger(after)) throw new ApiError("ValidationException", "Invalid startingToken");
  const all = [...SEEDED_WORKFLOWS.values(), ...ctx.store.listWorkflows()]
    .filter((w) => (type === undefined || w.type === type) && (name === undefined || w.name === name))
    .sort((a, b) => Number(a.id) - Number(b.id))
    .filter((w) => Number(w.id) > after);
  const page = all.slice(0, max);
  const body: Record<string, unknown> = { items: page.map((w) => listItem(ctx.identity, w, ctx.now)) };
  if (all.length > max) body.nextToken = page[page.length - 1]!.id;
  return { body };
}

/** DELETE /workflow/{id} → 202: GetWorkflow answers ResourceNotFoundException afterwards; runs already started go on. */
export function deleteWorkflow(ctx: OpContext, input: Record<string, unknown>): OpResult {
  const id = str(input, "id")!;
  if (SEEDED_WORKFLOWS.has(id)) throw new ApiError("ValidationException", `Workflow ${id} is one of the emulator's seeded workflows, which cannot be deleted`);
  findWorkflow(ctx, id);
  ctx.store.deleteWorkflow(id);
  return {};
}
