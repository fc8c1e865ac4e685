/**
 * Submit-time check of the HealthOmics workflow a run names (a 400 at submit beats a failure an
 * hour later): it exists and is ACTIVE, its engine matches `workflow_type`, and `workflow_params`
 * has every required parameter and none the workflow does not declare.
 *
 * GetWorkflow has its own API quota, so its answers are cached per workflow id and type — in the
 * isolate and in the Workers cache — and concurrent checks of one workflow share one call. When
 * HealthOmics cannot answer (throttled, down, no permission), the run is accepted and the start
 * step reports any problem.
 */
import type { RunRequestBody } from "../../../wes/submission";
import type { GetWorkflowOutput, HealthOmicsClient } from "../client/client";
import type { RunOptions } from "./engine-params";
import { describeTemplate, missingRequired } from "../packages/param-check";
import { PACKAGE_TAG } from "../packages/register";
import { WORKFLOW_TYPES } from "./languages";
import type { WorkflowRef } from "./workflow-ref";

/** A submission as the check sees it: the request, its workflow reference and run options. */
export interface CheckedSubmission {
  request: RunRequestBody;
  workflow: WorkflowRef;
  options: RunOptions;
}

/** Outcome of the check. */
export type WorkflowCheck =
  | { kind: "ok"; workflowType?: "PRIVATE" | "READY2RUN" }
  | { kind: "invalid"; message: string }
  | { kind: "unavailable"; reason: string };

/** A GetWorkflow answer as the caches keep it. */
export type Lookup = { found: true; workflow: GetWorkflowOutput } | { found: false } | { error: string };

const TTL_FOUND_MS = 5 * 60_000;
const TTL_MISSING_MS = 30_000;
const memory = new Map<string, { expires: number; value: Promise<Lookup> }>();

/** Asks the API budget for a GetWorkflow call now; false when none is free (the check is then skipped). */
export type CallGate = () => Promise<boolean>;

async function fetchWorkflow(client: HealthOmicsClient, id: string, type: "PRIVATE" | "READY2RUN" | undefined, gate?: CallGate): Promise<Lookup> {
  const cacheKey = new Request(`https://wes-healthomics.cache/workflow/${id}?type=${type ?? ""}&endpoint=${encodeURIComponent(client.baseUrl)}`);
  const cache = typeof caches === "undefined" ? undefined : caches.default;
  const hit = await cache?.match(cacheKey);
  if (hit) return (await hit.json()) as Lookup;
  if (gate && !(await gate().catch(() => false))) return { error: "no GetWorkflow call is free in the API budget right now" };
  const result = await client.getWorkflow(id, type ? { type } : {});
  let value: Lookup;
  if (result.ok) value = { found: true, workflow: result.value };
  else if (result.error.type === "ResourceNotFoundException") value = { found: false };
  else return { error: `${result.error.type}: ${result.error.message}` };
  const ttl = value.found ? TTL_FOUND_MS : TTL_MISSING_MS;
  await cache?.put(cacheKey, new Response(JSON.stringify(value), { headers: { "Cache-Control": `max-age=${ttl / 1000}` } }));
  return value;
}

/** GetWorkflow through both caches, sharing one in-flight call per key (the workflow catalog shares them too). */
export function lookupWorkflow(client: HealthOmicsClient, id: string, type: "PRIVATE" | "READY2RUN" | undefined, gate?: CallGate): Promise<Lookup> {
  const key = `${client.baseUrl}|${id}|${type ?? ""}`;
  const now = Date.now();
  const cached = memory.get(key);
  if (cached && cached.expires > now) return cached.value;
  const value = fetchWorkflow(client, id, type, gate);
  memory.set(key, { expires: now + TTL_FOUND_MS, value });
  void value.then((v) => {
    if ("error" in v) memory.delete(key);
    else if (!v.found) memory.set(key, { expires: Date.now() + TTL_MISSING_MS, value });
  });
  return value;
}

/** The answer for a workflow that does not exist, or that the caller may not name. */
export function unknownWorkflowMessage(id: string): string {
  return `workflow_url names HealthOmics workflow ${id}, which does not exist (or is not visible to this service's account and region).`;
}

/** Options of the check. */
export interface CheckOptions {
  /** Answer for a package workflow (tag `wes:package`) as for an unknown one: only admins may name them. */
  hidePackages?: boolean;
}

/** Checks the submission's workflow against HealthOmics. */
export async function checkWorkflow(
  client: HealthOmicsClient,
  submission: CheckedSubmission,
  gate?: CallGate,
  options: CheckOptions = {},
): Promise<WorkflowCheck> {
  const ref = submission.workflow;
  let type = ref.workflowType;
  let result = await lookupWorkflow(client, ref.workflowId, type, gate);
  if ("error" in result) return { kind: "unavailable", reason: result.error };
  if (!result.found && type === undefined) {
    // A bare id may name a Ready2Run workflow, which GetWorkflow only finds with type=READY2RUN.
    type = "READY2RUN";
    result = await lookupWorkflow(client, ref.workflowId, type, gate);
    if ("error" in result) return { kind: "unavailable", reason: result.error };
  }
  // Package workflows are reachable only through submissions of their content.
  const hidden = result.found && options.hidePackages && result.workflow.tags !== undefined && Object.hasOwn(result.workflow.tags, PACKAGE_TAG);
  if (!result.found || hidden) {
    return {
      kind: "invalid",
      message: unknownWorkflowMessage(ref.workflowId),
    };
  }
  const workflow = result.workflow;
  if (workflow.status && workflow.status !== "ACTIVE") {
    return { kind: "invalid", message: `HealthOmics workflow ${ref.workflowId} is ${workflow.status}; only ACTIVE workflows can run.` };
  }
  const wesType = submission.request.workflow_type;
  const engines = WORKFLOW_TYPES[wesType]?.engines ?? [];
  if (workflow.engine && !engines.includes(workflow.engine)) {
    const matching = Object.entries(WORKFLOW_TYPES).find(([, info]) => info.engines.includes(workflow.engine!))?.[0];
    return {
      kind: "invalid",
      message: `workflow_type ${wesType} does not match HealthOmics workflow ${ref.workflowId}, whose engine is ${workflow.engine}${matching ? `; use workflow_type ${matching}` : ""}.`,
    };
  }
  // A named version may declare other parameters; HealthOmics checks those at start.
  if (workflow.parameterTemplate && !submission.options.workflowVersionName) {
    const template = workflow.parameterTemplate;
    const given = new Set(Object.keys(submission.request.workflow_params).map((name) => (wesType === "WDL" ? unqualified(name, template) : name)));
    const missing = missingRequired(template, given);
    // Own keys only: `constructor` or `__proto__` must not pass as declared through Object.prototype.
    const unknown = [...given].filter((name) => !Object.hasOwn(template, name));
    if (missing.length > 0)
      return {
        kind: "invalid",
        message: `workflow_params is missing required parameter(s) ${missing.join(", ")} of HealthOmics workflow ${ref.workflowId}; it takes: ${describeTemplate(template)}.`,
      };
    if (unknown.length > 0)
      return {
        kind: "invalid",
        message: `workflow_params has parameter(s) ${unknown.map((n) => n.slice(0, 60)).join(", ")} that HealthOmics workflow ${ref.workflowId} does not declare; it takes: ${describeTemplate(template)}.`,
      };
  }
  // Trust the workflow's own type over how we found it (StartRun needs READY2RUN for Ready2Run).
  const resolved = workflow.type === "READY2RUN" || workflow.type === "PRIVATE" ? workflow.type : type;
  return resolved ? { kind: "ok", workflowType: resolved } : { kind: "ok" };
}

/**
 * A WDL input as the template names it: HealthOmics also takes `<workflow name>.<input>`
 * (https://docs.aws.amazon.com/omics/latest/dev/workflow-languages-wdl.html, "Namespace definition
 * in input.json"), as Cromwell-style clients write it. GetWorkflow does not say the WDL workflow's
 * name, so any single identifier is taken here and HealthOmics judges the name at start.
 */
function unqualified(name: string, template: Record<string, unknown>): string {
  if (Object.hasOwn(template, name)) return name;
  const dot = /^[A-Za-z_]\w*\./.exec(name);
  const rest = dot ? name.slice(dot[0].length) : name;
  return dot && Object.hasOwn(template, rest) ? rest : name;
}
