/**
 * Picks the executor for this deployment by WORKFLOW_EXECUTOR, and the routes executors add
 * beside the WES API. Adding an executor: docs/architecture.md, "Where to add".
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { ConfigError } from "../config";
import { registerHealthOmicsEvents } from "../events/healthomics-events";
import type { RunExecutor } from "./executor";
import { healthOmicsExecutor } from "./healthomics/executor";

/** Every executor by its WORKFLOW_EXECUTOR name. */
const EXECUTORS: Record<string, (env: Env) => RunExecutor> = { healthomics: healthOmicsExecutor };

/** The executor that runs this deployment's runs (default `healthomics`). */
export function runExecutor(env: Env): RunExecutor {
  const name = (env.WORKFLOW_EXECUTOR || "healthomics").trim();
  const create = EXECUTORS[name];
  if (!create) throw new ConfigError([`WORKFLOW_EXECUTOR must be one of ${Object.keys(EXECUTORS).join(", ")}, got '${name.slice(0, 40)}'`]);
  return create(env);
}

/** Routes executors serve outside the WES API (HealthOmics: the EventBridge events endpoint). */
export function registerExecutorRoutes(app: Hono<AppEnv>): void {
  registerHealthOmicsEvents(app);
}
