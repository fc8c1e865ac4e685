/**
 * Picks the executor for this deployment by WORKFLOW_EXECUTOR, and the routes executors add
 * beside the WES API. Adding an executor: docs/architecture.md, "Where to add".
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { registerHealthOmicsEvents } from "../events/healthomics-events";
import { perEnv, readGroup } from "../settings/read";
import { EXECUTOR_CHOICE } from "../settings/schema";
import type { RunExecutor } from "./executor";
import { healthOmicsExecutor } from "./healthomics/executor";

/** Every executor by its WORKFLOW_EXECUTOR name (the settings schema lists the same names). */
const EXECUTORS: Record<string, (env: Env) => RunExecutor> = { healthomics: healthOmicsExecutor };

/**
 * The executor that runs this deployment's runs (default `healthomics`), cached per env object;
 * a bad WORKFLOW_EXECUTOR is the settings schema's ConfigError.
 */
export const runExecutor = perEnv((env: Env): RunExecutor => {
  const name = readGroup(EXECUTOR_CHOICE, env).WORKFLOW_EXECUTOR;
  return EXECUTORS[name]!(env);
});

/** Routes executors serve outside the WES API (HealthOmics: the EventBridge events endpoint). */
export function registerExecutorRoutes(app: Hono<AppEnv>): void {
  registerHealthOmicsEvents(app);
}
