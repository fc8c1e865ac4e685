/**
 * The HealthOmics executor: each run is driven by its own Durable Object (run/run-object.ts)
 * against AWS HealthOmics, paced by the deployment's API budget (src/budget/).
 */
import type { RunExecutor } from "../executor";
import { sweepRuns } from "./run/sweep";
import { ENGINE_PARAMETERS } from "./submit/engine-params";
import { HEALTHOMICS_LANGUAGES } from "./submit/languages";
import { checkEngineParameters, checkWorkflowUrl, validateSubmission } from "./submit/validate";

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
    checkWorkflowUrl: (url, params) => void checkWorkflowUrl(url, params),
    validate: (submission, caller, requestId) => validateSubmission(env, submission, caller, requestId),
    submit: async (runId) => await stub(runId).start(runId),
    cancel: async (runId, by) => await stub(runId).cancel(runId, by),
    sweep: async (now) => await sweepRuns(env, now),
  };
}
