/** The prepare step's dependencies in the Worker: D1, HealthOmics, S3 and the ATTACHMENTS bucket. */
import { database } from "../../../db/client";
import type { ExecutorSettings } from "../../../executor-config";
import { s3Client } from "../aws/s3-factory";
import type { HealthOmicsClient } from "../client/client";
import type { PackageSteps } from "../run/step-context";
import { nextOperation, registerStep } from "./register";
import { uploadRunInputs } from "./run-inputs";
import { packageRow } from "./store";

/** The package steps for `env`, calling HealthOmics through `omics`. */
export function runPackages(env: Env, settings: ExecutorSettings, omics: HealthOmicsClient): PackageSteps {
  const db = database(env.DB);
  const s3 = s3Client(settings);
  return {
    nextOperation: async (hash) => nextOperation(await packageRow(db, hash)),
    register: (hash) => registerStep({ db, omics, s3, bucket: env.ATTACHMENTS, outputPrefix: settings.outputPrefix }, hash),
    uploadInputs: (run) => uploadRunInputs(db, s3, env.ATTACHMENTS, settings, run),
  };
}
