/**
 * The HealthOmics executor: each run is driven by its own Durable Object (run/run-object.ts)
 * against AWS HealthOmics, paced by the deployment's API budget (src/budget/).
 */
import { workflowSourceKind } from "./submit/workflow-files";
import { bookRequestCall } from "../../budget/request-call";
import { executorSettings } from "../../executor-config";
import type { RunExecutor } from "../executor";
import { omicsClient } from "./client/factory";
import { removalRequest } from "./run/removal-request";
import { stateChanges } from "./run/state-changes";
import { sweepRuns } from "./run/sweep";
import { retirementTick } from "./packages/retire";
import { ENGINE_PARAMETERS } from "./submit/engine-params";
import { readLog } from "./logs/read-log";
import { outputLink } from "./outputs/download";
import { HEALTHOMICS_LANGUAGES } from "./submit/languages";
import { checkEngineParameters, checkWorkflowUrl, validateSubmission } from "./submit/validate";
import { runnableWorkflows, workflowEntry } from "./submit/workflow-catalog";

/** The HealthOmics executor of a deployment. */
export function healthOmicsExecutor(env: Env): RunExecutor {
  const stub = (runId: string) => env.RUN_OBJECT.get(env.RUN_OBJECT.idFromName(runId));
  return {
    describe: () => ({
      languages: HEALTHOMICS_LANGUAGES,
      engineParameters: ENGINE_PARAMETERS.map(({ name, type, default_value }) =>
        default_value === undefined ? { name, type } : { name, type, default_value },
      ),
      filesystemProtocols: ["s3", "omics"],
      tags: { executor: "healthomics", ...(env.HEALTHOMICS_REGION ? { healthomics_region: env.HEALTHOMICS_REGION } : {}) },
    }),
    checkEngineParameters: (params) => void checkEngineParameters(params),
    checkWorkflowUrl: (url, params) => void (workflowSourceKind(url) === "registered" ? checkWorkflowUrl(url, params) : checkEngineParameters(params)),
    validate: (submission, caller, ids) => validateSubmission(env, submission, caller, ids),
    submit: async (runId) => await stub(runId).start(runId),
    cancel: async (runId, by) => await stub(runId).cancel(runId, by),
    forget: async (run, options) => await stub(run.id).forget(removalRequest(executorSettings(env), run, options)),
    listWorkflows: async () => {
      const result = await runnableWorkflows(omicsClient(executorSettings(env)), (operation) => bookRequestCall(env, operation));
      return result.kind === "ok" ? { kind: "ok", workflows: result.workflows.map(workflowEntry) } : result;
    },
    stateChanges,
    readLog: (run, request) => readLog(env, run, request),
    outputLink: (run, path) => outputLink(env, run, path),
    sweep: async (now) => {
      const counts = await sweepRuns(env, now);
      await retirementTick(env, now);
      return counts;
    },
    evict: async (runId) => {
      try {
        await stub(runId).evict();
      } catch {
        // Expected: the object aborts itself, so the call that asked for it ends with that error.
      }
    },
  };
}
