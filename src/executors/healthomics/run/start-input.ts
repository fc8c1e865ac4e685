/**
 * The StartRun request for a stored WES run. Derived again from the stored request on every
 * attempt (deterministic), so a retried start sends the same body with the same `requestId`.
 */
import type { RunRow } from "../../../db/schema";
import type { ExecutorSettings } from "../../../executor-config";
import type { StartRunInput } from "../client/client";
import { startRunProblems } from "../submit/start-run-limits";
import { parseWorkflowRef } from "../submit/workflow-ref";
import { userOutputPrefix } from "../../../wes/data-access";
import { parseRunOptions } from "../submit/engine-params";
import type { RunRequestBody } from "../../../wes/submission";

/** Tag keys this service adds to every HealthOmics run (so users may set at most 48 of their own). */
export const SERVICE_TAGS = ["wes-run-id", "wes-owner"] as const;

/**
 * Each run writes under its owner's folder: `<HEALTHOMICS_OUTPUT_BUCKET>/users/<owner>/runs/<run_id>/`
 * (the owner encoded by `ownerSegment`). Derived from the stored owner, so a run queued before this
 * layout existed also starts under it; the submit-time input check (data-access.ts) keeps every
 * user out of the other folders.
 */
export function runOutputPrefix(settings: ExecutorSettings, owner: string, runId: string): string {
  return `${userOutputPrefix(settings.outputPrefix, owner)}runs/${runId}/`;
}

/**
 * Builds StartRun; `requestId` is the WES run id, the idempotency token of every attempt. Throws
 * when the request cannot be built or breaks a limit StartRun is known to enforce
 * (start-run-limits.ts): the run then ends SYSTEM_ERROR with the reason.
 */
export function startRunInput(run: Pick<RunRow, "id" | "owner" | "request" | "omicsWorkflowType">, settings: ExecutorSettings): StartRunInput {
  const request = run.request as unknown as RunRequestBody;
  const parsed = parseWorkflowRef(request.workflow_url);
  if (!parsed.ok) throw new Error(`stored run ${run.id} has an invalid workflow_url: ${parsed.message}`);
  const options = parseRunOptions(request.workflow_engine_parameters ?? {});
  const workflowType = run.omicsWorkflowType ?? parsed.ref.workflowType;
  const input: StartRunInput = {
    requestId: run.id,
    workflowId: parsed.ref.workflowId,
    roleArn: settings.roleArn,
    outputUri: runOutputPrefix(settings, run.owner, run.id),
    name: options.name ?? `wes-${run.id}`,
    parameters: (request.workflow_params ?? {}) as StartRunInput["parameters"],
    retentionMode: options.retentionMode,
    tags: { ...request.tags, "wes-run-id": run.id, "wes-owner": run.owner.slice(0, 256) },
  };
  if (workflowType === "PRIVATE" || workflowType === "READY2RUN") input.workflowType = workflowType;
  // A version named in the workflow ARN (…/version/<name>) counts like the engine parameter.
  if (parsed.ref.versionName && !options.workflowVersionName) options.workflowVersionName = parsed.ref.versionName;
  const optional = [
    "storageType",
    "storageCapacity",
    "priority",
    "runGroupId",
    "cacheId",
    "cacheBehavior",
    "logLevel",
    "workflowVersionName",
    "workflowOwnerId",
  ] as const;
  for (const key of optional) {
    if (options[key] !== undefined) Object.assign(input, { [key]: options[key] });
  }
  const problems = startRunProblems(input);
  if (problems.length > 0) throw new Error(`HealthOmics StartRun would refuse it: ${problems.join("; ")}.`);
  return input;
}
