/**
 * GET /workflows — the HealthOmics workflows users may run (registered by hand, and Ready2Run),
 * each with its parameters, for the dashboard's submit form and any client that builds a run
 * request. Not a WES operation (WES 1.1 has no workflow listing): docs/usage.md, "Beyond WES".
 * The HealthOmics side lives in src/executors/healthomics/workflow-catalog.ts.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { requireUser } from "../auth/middleware";
import { WesError } from "../errors";
import { executorSettings } from "../executor-config";
import { omicsClient } from "../executors/healthomics/factory";
import { runnableWorkflows, type CatalogWorkflow } from "../executors/healthomics/workflow-catalog";
import { log } from "../log";
import { bookRequestCall } from "./budget-call";
import { redactText } from "./redact";
import { WORKFLOW_TYPES } from "./workflow-types";

/** One workflow as GET /workflows lists it. */
export interface WorkflowEntry {
  /** What to send as `workflow_url` to run it. */
  workflow_url: string;
  id: string;
  /** PRIVATE (registered in this account) or READY2RUN. */
  type: "PRIVATE" | "READY2RUN";
  name?: string;
  description?: string;
  /** HealthOmics engine. */
  engine?: string;
  /** The WES `workflow_type` and the versions accepted for it (absent for an engine the service does not run). */
  workflow_type?: string;
  workflow_type_versions?: string[];
  created_at?: string;
  /** The parameter template: send these in `workflow_params`. */
  parameters: Array<{ name: string; description?: string; required: boolean }>;
}

function entry(workflow: CatalogWorkflow): WorkflowEntry {
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

/** Registers GET /workflows. */
export function registerWorkflowsList(app: Hono<AppEnv>): void {
  app.get("/workflows", requireUser, async (c) => {
    const client = omicsClient(executorSettings(c.env));
    const result = await runnableWorkflows(client, (operation) => bookRequestCall(c.env, operation));
    if (result.kind === "busy") {
      throw new WesError(
        503,
        `The workflow list is being read from HealthOmics within its API budget (${redactText(result.reason)}); try again in a few seconds.`,
        {
          "Retry-After": String(result.retryAfterSeconds),
        },
      );
    }
    if (result.kind === "error") {
      log("error", "workflows.list_failed", { requestId: c.get("requestId"), message: result.message });
      // HealthOmics' own words may name the AWS account: masked, as in run logs (the log line keeps them).
      throw new WesError(502, redactText(result.message));
    }
    return c.json({ workflows: result.workflows.map(entry) });
  });
}
