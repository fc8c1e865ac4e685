/**
 * What the HealthOmics executor checks in a submission beyond the WES fields: its run options
 * (`workflow_engine_parameters`), the workflow reference (`workflow_url`), which storage the
 * caller may name in `workflow_params`, the region, and the workflow itself (GetWorkflow, paced
 * by the API budget, skipped when no call is free).
 */
import { database } from "../../../db/client";
import { wdlInputNames } from "../inputs/rewrite-params";
import { givenNames, missingMessage, missingRequired } from "../packages/param-check";
import type { ParameterTemplate } from "../packages/register";
import { type PackageRow, packageOfWorkflow } from "../packages/store";
import { packageSubmission, workflowSourceKind } from "./workflow-files";
import { bookRequestCall } from "../../../budget/request-call";
import { badRequest, WesError } from "../../../errors";
import { type ExecutorSettings, executorSettings } from "../../../executor-config";
import { log } from "../../../log";
import { checkInputs, refusalMessage } from "../../../wes/data-access";
import { allowedPrefixes, dataAccessSettings } from "../../../wes/data-access-config";
import type { RunSubmission } from "../../../wes/submission";
import type { Accepted, Caller, Submitted } from "../../executor";
import { omicsClient } from "../client/factory";
import { startRunInput } from "../run/start-input";
import { parseRunOptions, type RunOptions } from "./engine-params";
import { clientEngineNote } from "./languages";
import { workflowParamsSizeProblem } from "./start-run-limits";
import { checkWorkflow, type CheckedSubmission, lookupWorkflow, unknownWorkflowMessage } from "./workflow-check";
import { parseWorkflowRef, type WorkflowRef } from "./workflow-ref";

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

/**
 * The rest of the checks (HealthOmics' parameter size limit, data access, region, the workflow
 * itself, the StartRun the run will send); the run row's HealthOmics columns.
 */
export async function validateSubmission(env: Env, submission: RunSubmission, caller: Caller, ids: Submitted): Promise<Accepted> {
  // HealthOmics' own limit, checked before anything reads the parameters.
  const tooLarge = workflowParamsSizeProblem(submission.request.workflow_params);
  if (tooLarge) throw badRequest(tooLarge);
  const settings = executorSettings(env);
  // Data isolation: refuse inputs the user may not read before anything is looked up or stored.
  const refusal = checkInputs(submission.request.workflow_params, {
    user: caller.user,
    outputPrefix: settings.outputPrefix,
    allowed: allowedPrefixes(dataAccessSettings(env), caller.user, caller.groups),
  });
  if (refusal) throw badRequest(refusalMessage(refusal));
  const engineNote = clientEngineNote(submission.request);
  if (workflowSourceKind(submission.request.workflow_url) !== "registered") {
    // Workflow files: packaged now, registered with HealthOmics by the run's prepare step.
    const options = parseRunOptions(submission.request.workflow_engine_parameters);
    const { packageHash, notes, row } = await packageSubmission(env, submission, caller.user);
    await checkPackageInputs(env, settings, row, submission.request.workflow_params);
    return { omicsWorkflowType: "PRIVATE", runName: options.name ?? null, packageHash, ...systemLogs([engineNote, ...notes]) };
  }
  const checked: CheckedSubmission = {
    request: submission.request,
    ...checkWorkflowUrl(submission.request.workflow_url, submission.request.workflow_engine_parameters),
  };
  const ref = checked.workflow;
  // A package workflow is reachable only through submissions of its content; admins excepted, whose
  // run then counts as a use of the package, so retirement never deletes the workflow under it.
  const pkg = await packageOfWorkflow(database(env.DB), ref.workflowId);
  if (pkg && !caller.admin) throw badRequest(unknownWorkflowMessage(ref.workflowId));
  if (ref.region && ref.region !== settings.region) {
    throw badRequest(`workflow_url names a workflow in region ${ref.region}, but this service runs workflows in ${settings.region}.`);
  }
  // No call free on the budget within a second: the check is skipped and the run accepted.
  const gate = () => bookRequestCall(env, "GetWorkflow");
  const check = await checkWorkflow(omicsClient(settings), checked, gate, { hidePackages: !caller.admin });
  if (check.kind === "invalid") throw badRequest(check.message);
  if (check.kind === "unavailable") {
    log("warn", "workflow.check_unavailable", { requestId: ids.requestId, workflowId: ref.workflowId, reason: check.reason });
  }
  const omicsWorkflowType = check.kind === "ok" ? (check.workflowType ?? null) : null;
  // The StartRun this run will send, built as the start step builds it: what HealthOmics is known
  // to refuse is a 400 now rather than a SYSTEM_ERROR later.
  try {
    startRunInput({ id: ids.runId, owner: caller.user, request: submission.request, omicsWorkflowType }, settings);
  } catch (error) {
    if (error instanceof WesError) throw error;
    throw badRequest(`This run cannot be submitted: ${error instanceof Error ? error.message : String(error)}`);
  }
  // The name the run will have in HealthOmics.
  return { omicsWorkflowType, runName: checked.options.name ?? null, ...(pkg ? { packageHash: pkg.hash } : {}), ...systemLogs([engineNote]) };
}

/**
 * Required inputs of a package HealthOmics already has ACTIVE: a 400 naming the missing ones now
 * (the template D1 keeps from GetWorkflow, else GetWorkflow through the cached lookup, skipped
 * when no call is free). A package not ACTIVE yet is checked by the run's prepare step.
 */
async function checkPackageInputs(env: Env, settings: ExecutorSettings, row: PackageRow, params: Record<string, unknown>): Promise<void> {
  if (row.status !== "ACTIVE" || !row.workflowId) return;
  let template = row.parameterTemplate ?? undefined;
  if (!template) {
    const found = await lookupWorkflow(omicsClient(settings), row.workflowId, "PRIVATE", () => bookRequestCall(env, "GetWorkflow"));
    if ("found" in found && found.found) template = found.workflow.parameterTemplate as ParameterTemplate | undefined;
  }
  // The names StartRun will send (run-inputs.ts): WDL's `<workflow>.name` keys lose their prefix.
  const missing = template ? missingRequired(template, givenNames(row.engine === "WDL" ? wdlInputNames(params) : params)) : [];
  if (missing.length > 0) throw badRequest(missingMessage(missing, template!));
}

/** The run's first log lines (none: no field, so the row's default applies). */
function systemLogs(notes: Array<string | undefined>): Pick<Accepted, "systemLogs"> {
  const at = new Date().toISOString();
  const lines = notes.filter((n) => n !== undefined).map((n) => `${at} ${n}`);
  return lines.length > 0 ? { systemLogs: lines } : {};
}
