/**
 * GET /workflows — the HealthOmics workflows users may run (registered by hand, and Ready2Run),
 * each with its parameters, for the dashboard's submit form and any client that builds a run
 * request. Not a WES operation (WES 1.1 has no workflow listing): docs/usage.md, "Beyond WES".
 * The executor makes the list (HealthOmics: src/executors/healthomics/submit/workflow-catalog.ts).
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { requireUser } from "../auth/middleware";
import { WesError } from "../errors";
import { runExecutor } from "../executors/registry";
import { log } from "../log";
import { redactText } from "./redact";

/** Registers GET /workflows. */
export function registerWorkflowsList(app: Hono<AppEnv>): void {
  app.get("/workflows", requireUser, async (c) => {
    const result = await runExecutor(c.env).listWorkflows();
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
    return c.json({ workflows: result.workflows });
  });
}
