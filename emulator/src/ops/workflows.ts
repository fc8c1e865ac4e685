/** CreateWorkflow, GetWorkflow, ListWorkflows, and the lookup StartRun uses. */
import { ApiError } from "../errors";
import { iso, workflowArn, type Identity } from "../records";
import { SEEDED_WORKFLOWS, type WorkflowRecord } from "../seed";
import type { ParameterTemplate } from "../validation";
import { int, str, type OpContext, type OpResult } from "./context";

/** Created workflow ids start here, away from the seeded 100000x / 900000x ids. */
const FIRST_CREATED_WORKFLOW_ID = 2_000_001;

/** A workflow by id, seeded or created; ResourceNotFoundException otherwise. */
export function findWorkflow(ctx: OpContext, id: string): WorkflowRecord {
  const workflow = SEEDED_WORKFLOWS.get(id) ?? ctx.store.getWorkflow(id);
  if (!workflow) throw new ApiError("ResourceNotFoundException", `Workflow ${id} not found`);
  return workflow;
}

function listItem(identity: Identity, w: WorkflowRecord): Record<string, unknown> {
  const item: Record<string, unknown> = {
    arn: workflowArn(identity, w.id),
    id: w.id,
    name: w.name,
    status: "ACTIVE",
    type: w.type,
    creationTime: w.creationTime,
  };
  if (w.digest) item.digest = w.digest;
  return item;
}

/** POST /workflow → 201 {arn, id, status, tags, uuid}; the same requestId returns the same workflow. */
export function createWorkflow(ctx: OpContext, input: Record<string, unknown>): OpResult {
  const requestId = str(input, "requestId")!;
  const existing = ctx.store.getWorkflowByRequestId(requestId);
  const body = (w: WorkflowRecord) => ({ arn: workflowArn(ctx.identity, w.id), id: w.id, status: "ACTIVE", tags: w.tags, uuid: w.uuid });
  if (existing) return { body: body(existing), requestId };
  if (input.definitionZip === undefined && input.definitionUri === undefined && input.definitionRepository === undefined) {
    throw new ApiError("ValidationException", "One of definitionZip, definitionUri or definitionRepository is required");
  }
  const id = String(ctx.store.nextCounter("nextWorkflowId", FIRST_CREATED_WORKFLOW_ID));
  const workflow: WorkflowRecord = {
    id,
    uuid: crypto.randomUUID(),
    name: str(input, "name") ?? `workflow-${id}`,
    engine: (str(input, "engine") as WorkflowRecord["engine"] | undefined) ?? "WDL",
    type: "PRIVATE",
    parameterTemplate: (input.parameterTemplate as ParameterTemplate | undefined) ?? {},
    creationTime: iso(ctx.now),
    tags: (input.tags as Record<string, string> | undefined) ?? {},
    requestId,
    storageType: (str(input, "storageType") as WorkflowRecord["storageType"]) ?? "DYNAMIC",
  };
  const optional = {
    description: str(input, "description"),
    main: str(input, "main"),
    definitionUri: str(input, "definitionUri"),
    readmeMarkdown: str(input, "readmeMarkdown"),
    storageCapacity: int(input, "storageCapacity"),
    accelerators: str(input, "accelerators") as WorkflowRecord["accelerators"],
  };
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
  const body: Record<string, unknown> = {
    ...listItem(ctx.identity, workflow),
    uuid: workflow.uuid,
    engine: workflow.engine,
    parameterTemplate: workflow.parameterTemplate,
    storageType: workflow.storageType,
    tags: workflow.tags,
  };
  const optional: Record<string, unknown> = {
    description: workflow.description,
    main: workflow.main,
    storageCapacity: workflow.storageCapacity,
    accelerators: workflow.accelerators,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) body[k] = v;
  const exports = (input.export as string[] | undefined) ?? [];
  // Real HealthOmics answers a presigned S3 URL here; the emulator has no S3, so it says where the definition came from.
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
  const body: Record<string, unknown> = { items: page.map((w) => listItem(ctx.identity, w)) };
  if (all.length > max) body.nextToken = page[page.length - 1]!.id;
  return { body };
}
