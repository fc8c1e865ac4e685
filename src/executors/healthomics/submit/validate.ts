/**
 * What the HealthOmics executor checks in a submission beyond the WES fields: its run options
 * (`workflow_engine_parameters`), the workflow reference (`workflow_url`), which storage the
 * caller may name in `workflow_params`, the region, and the workflow itself (GetWorkflow, paced
 * by the API budget, skipped when no call is free).
 */
import { budgetStub } from "../../../budget/stub";
import { badRequest } from "../../../errors";
import { executorSettings } from "../../../executor-config";
import { log } from "../../../log";
import { checkInputs, refusalMessage } from "../../../wes/data-access";
import { allowedPrefixes, dataAccessSettings } from "../../../wes/data-access-config";
import type { RunSubmission } from "../../../wes/submission";
import type { Accepted, Caller } from "../../executor";
import { omicsClient } from "../client/factory";
import { parseRunOptions, type RunOptions } from "./engine-params";
import { checkWorkflow, type CheckedSubmission } from "./workflow-check";
import { parseWorkflowRef, type WorkflowRef } from "./workflow-ref";

/** The longest a submission waits for a GetWorkflow slot; a later one skips the check. */
const WORKFLOW_CHECK_MAX_WAIT_MS = 1000;

/** The run options the engine parameters ask for; a 400 WesError when one is unknown or invalid. */
export function checkEngineParameters(params: Record<string, string>): RunOptions {
  return parseRunOptions(params);
}

/** The workflow `url` names, agreeing with the engine parameters' version; a 400 WesError otherwise. */
export function checkWorkflowUrl(url: string, params: Record<string, string>): { workflow: WorkflowRef; options: RunOptions } {
  const options = parseRunOptions(params);
  const parsed = parseWorkflowRef(url);
  if (!parsed.ok) throw badRequest(parsed.message);
  const workflow = parsed.ref;
  if (workflow.versionName && options.workflowVersionName && workflow.versionName !== options.workflowVersionName) {
    throw badRequest(
      `workflow_url names version '${clip(workflow.versionName)}' but workflow_engine_parameters.workflowVersionName says '${clip(options.workflowVersionName)}'; give one.`,
    );
  }
  if (workflow.versionName) options.workflowVersionName = workflow.versionName;
  return { workflow, options };
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The rest of the checks (data access, region, the workflow itself); the run row's HealthOmics columns. */
export async function validateSubmission(env: Env, submission: RunSubmission, caller: Caller, requestId: string): Promise<Accepted> {
  const settings = executorSettings(env);
  // Data isolation: refuse inputs the user may not read before anything is looked up or stored.
  const refusal = checkInputs(submission.request.workflow_params, {
    user: caller.user,
    outputPrefix: settings.outputPrefix,
    allowed: allowedPrefixes(dataAccessSettings(env), caller.user, caller.groups),
  });
  if (refusal) throw badRequest(refusalMessage(refusal));
  const checked: CheckedSubmission = {
    request: submission.request,
    ...checkWorkflowUrl(submission.request.workflow_url, submission.request.workflow_engine_parameters),
  };
  const ref = checked.workflow;
  if (ref.region && ref.region !== settings.region) {
    throw badRequest(`workflow_url names a workflow in region ${ref.region}, but this service runs workflows in ${settings.region}.`);
  }
  // A quiet booking takes no slot when the line is busy (the check is then skipped, the run
  // accepted); a slot at most WORKFLOW_CHECK_MAX_WAIT_MS away is waited for.
  const gate = async () => {
    const booking = await budgetStub(env).book("GetWorkflow", "quiet");
    const wait = booking.at - Date.now();
    if (!booking.booked || wait > WORKFLOW_CHECK_MAX_WAIT_MS) return false;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return true;
  };
  const check = await checkWorkflow(omicsClient(settings), checked, gate);
  if (check.kind === "invalid") throw badRequest(check.message);
  if (check.kind === "unavailable") log("warn", "workflow.check_unavailable", { requestId, workflowId: ref.workflowId, reason: check.reason });
  return { omicsWorkflowType: check.kind === "ok" ? (check.workflowType ?? null) : null };
}
