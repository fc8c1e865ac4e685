/**
 * The HealthOmics workflows users may run, for GET /workflows (the dashboard's submit form): every
 * ACTIVE private workflow (registered by hand) and every Ready2Run workflow, each with its
 * parameter template — never the package workflows the service creates from users' files (they
 * carry the tag `wes:package`).
 *
 * ListWorkflows has no tags, so each workflow needs a GetWorkflow, through the same caches as the
 * submit-time check (workflow-check.ts: five minutes per workflow). Every call is booked on the API
 * budget; when the budget has no call free, or more workflows than one request may describe are
 * still unknown, the answer is "busy" (the route's 503 with Retry-After) — never a partial list
 * shown as complete. What was learnt is cached, so the next request gets further. The assembled
 * list is cached for a minute.
 */
import type { WorkflowEntry } from "../../executor";
import type { HealthOmicsClient } from "../client/client";
import type { WorkflowListItemOutput } from "../client/wire-types";
import { WORKFLOW_TYPES } from "./languages";
import { PACKAGE_TAG } from "../packages/register";
import { lookupWorkflow, type CallGate } from "./workflow-check";

/** One runnable workflow. */
export interface CatalogWorkflow {
  id: string;
  type: "PRIVATE" | "READY2RUN";
  name?: string;
  description?: string;
  /** HealthOmics engine (WDL, WDL_LENIENT, CWL, NEXTFLOW). */
  engine?: string;
  creationTime?: string;
  /** The parameter template, in its own order: name, description, whether a value is required. */
  parameters: Array<{ name: string; description?: string; required: boolean }>;
}

/** The catalog, or why there is none right now. */
export type CatalogResult =
  | { kind: "ok"; workflows: CatalogWorkflow[] }
  | { kind: "busy"; retryAfterSeconds: number; reason: string }
  | { kind: "error"; message: string };

/** Asks the API budget for one call of an operation now. */
export type OperationGate = (operation: "ListWorkflows" | "GetWorkflow") => Promise<boolean>;

const TYPES = ["PRIVATE", "READY2RUN"] as const;
const PAGE_SIZE = 100;
/** At most this many workflows are listed (ten ListWorkflows pages per type). */
export const MAX_WORKFLOWS = 1000;
/** GetWorkflow calls one request may make; the rest come with the next request (Workers subrequest limits). */
export const DETAILS_PER_REQUEST = 20;
const LIST_TTL_MS = 60_000;

const assembled = new Map<string, { expires: number; workflows: CatalogWorkflow[] }>();

/** Forgets the assembled lists (tests). */
export function clearCatalogCache(): void {
  assembled.clear();
}

async function listAll(client: HealthOmicsClient, gate: OperationGate): Promise<WorkflowListItemOutput[] | CatalogResult> {
  const items: WorkflowListItemOutput[] = [];
  for (const type of TYPES) {
    let token: string | undefined;
    do {
      if (!(await gate("ListWorkflows").catch(() => false))) return busy("no ListWorkflows call is free in the API budget right now");
      const page = await client.listWorkflows({ type, maxResults: PAGE_SIZE, startingToken: token });
      if (!page.ok) {
        if (page.error.retryable) return busy(`ListWorkflows: ${page.error.type}`);
        return { kind: "error", message: `HealthOmics ListWorkflows failed: ${page.error.type}: ${page.error.message}` };
      }
      for (const item of page.value.items ?? []) if (item.id && item.status === "ACTIVE") items.push({ ...item, type: item.type ?? type });
      if (items.length > MAX_WORKFLOWS)
        return { kind: "error", message: `More than ${MAX_WORKFLOWS} HealthOmics workflows are visible; the catalog lists at most ${MAX_WORKFLOWS}.` };
      token = page.value.nextToken ?? undefined;
    } while (token);
  }
  return items;
}

function busy(reason: string): CatalogResult {
  return { kind: "busy", retryAfterSeconds: 2, reason };
}

function describe(
  item: WorkflowListItemOutput,
  details: { description?: string; engine?: string; parameterTemplate?: Record<string, { description?: string; optional?: boolean } | undefined> },
): CatalogWorkflow {
  const workflow: CatalogWorkflow = {
    id: item.id!,
    type: item.type === "READY2RUN" ? "READY2RUN" : "PRIVATE",
    parameters: Object.entries(details.parameterTemplate ?? {}).map(([name, p]) => ({
      name,
      ...(p?.description ? { description: p.description } : {}),
      required: p?.optional === false,
    })),
  };
  if (item.name) workflow.name = item.name;
  if (details.description) workflow.description = details.description;
  if (details.engine) workflow.engine = details.engine;
  if (item.creationTime) workflow.creationTime = item.creationTime;
  return workflow;
}

/** The runnable workflows, sorted by name then id. */
export async function runnableWorkflows(client: HealthOmicsClient, gate: OperationGate): Promise<CatalogResult> {
  const key = client.baseUrl;
  const cached = assembled.get(key);
  if (cached && cached.expires > Date.now()) return { kind: "ok", workflows: cached.workflows };
  const listed = await listAll(client, gate);
  if (!Array.isArray(listed)) return listed;
  // Lookups answered from a cache never reach the gate: it counts the GetWorkflow calls only.
  let calls = 0;
  let limited = false;
  const getGate: CallGate = async () => {
    if (calls >= DETAILS_PER_REQUEST) {
      limited = true;
      return false;
    }
    calls++;
    return await gate("GetWorkflow");
  };
  const workflows: CatalogWorkflow[] = [];
  // One at a time: each lookup is a cache hit or a single booked GetWorkflow.
  for (const item of listed) {
    const type = item.type === "READY2RUN" ? "READY2RUN" : "PRIVATE";
    const found = await lookupWorkflow(client, item.id!, type, getGate);
    if ("error" in found) {
      return busy(limited ? `more than ${DETAILS_PER_REQUEST} workflows are new to this service; their details are being read` : found.error);
    }
    if (!found.found) continue; // deleted since it was listed
    if (found.workflow.status && found.workflow.status !== "ACTIVE") continue;
    if (found.workflow.tags && Object.hasOwn(found.workflow.tags, PACKAGE_TAG)) continue;
    workflows.push(
      describe(item, {
        ...(found.workflow.description ? { description: found.workflow.description } : {}),
        ...(found.workflow.engine ? { engine: found.workflow.engine } : {}),
        ...(found.workflow.parameterTemplate ? { parameterTemplate: found.workflow.parameterTemplate } : {}),
      }),
    );
  }
  workflows.sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "") || a.id.localeCompare(b.id));
  assembled.set(key, { expires: Date.now() + LIST_TTL_MS, workflows });
  return { kind: "ok", workflows };
}

/** A catalog workflow as GET /workflows lists it: run by `healthomics:<id>`, with its WES type when the engine has one. */
export function workflowEntry(workflow: CatalogWorkflow): WorkflowEntry {
  const type = Object.entries(WORKFLOW_TYPES).find(([, info]) => workflow.engine && info.engines.includes(workflow.engine));
  return {
    workflow_url: `healthomics:${workflow.id}`,
    id: workflow.id,
    type: workflow.type,
    ...(workflow.name ? { name: workflow.name } : {}),
    ...(workflow.description ? { description: workflow.description } : {}),
    ...(workflow.engine ? { engine: workflow.engine } : {}),
    ...(type ? { workflow_type: type[0], workflow_type_versions: type[1].versions } : {}),
    ...(workflow.creationTime ? { created_at: new Date(workflow.creationTime).toISOString() } : {}),
    parameters: workflow.parameters,
  };
}
