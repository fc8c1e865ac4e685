/**
 * OpenAPI path items of the routes WES does not define: the overview, the workflow catalog,
 * auth instructions, admin metrics, the HealthOmics events endpoint and this document itself.
 * Paths are absolute (the document's server is the Worker's origin). `x-scope` names the route
 * table's scope (src/routes.ts) — null for routes that answer anonymous callers but check
 * credentials that are sent, "public" for routes that never read credentials, "events" for the
 * shared-secret endpoint; document.ts turns it into security requirements.
 */
import { FILTER_PARAMETERS, PAGING_PARAMETERS } from "./parameters";

type Operation = Record<string, unknown>;

const json = (schema: string, description = "OK") => ({
  description,
  content: { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } },
});
const error = (description: string) => json("ErrorResponse", description);

/** The errors every authenticated route may answer. */
const AUTH_ERRORS = {
  "401": error("No credentials, or wrong ones."),
  "403": error("The credentials lack the scope this route needs."),
  "429": error("Too many failed sign-ins from this address (Retry-After says how long)."),
  "503": error("No way to sign in is configured, or a setting is invalid."),
};

const runIdParameter = { name: "run_id", in: "path", required: true, schema: { type: "string" } };
const streamParameter = { name: "stream", in: "path", required: true, schema: { type: "string", enum: ["stdout", "stderr"] } };
const LOG_PARAMETERS = [
  { name: "tail", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 10_000 }, description: "Only the last N lines." },
  {
    name: "limit",
    in: "query",
    required: false,
    schema: { type: "integer", minimum: 1, maximum: 1_000_000 },
    description: "At most N lines from the start (default 100,000).",
  },
];
const TEXT = { description: "The log text", content: { "text/plain": { schema: { type: "string" } } } };
const LOG_ERRORS = {
  "400": error("Bad tail or limit."),
  ...AUTH_ERRORS,
  "404": error("No such run (or task) for the caller, or no such log."),
  "502": error("CloudWatch Logs refused the read."),
  "503": error("CloudWatch Logs' API budget is busy (Retry-After), or the service is not configured."),
};

/** Path items by absolute path. */
export function servicePaths(base: string): Record<string, Record<string, Operation>> {
  return {
    [`${base}/auth-instructions`]: {
      get: {
        tags: ["Service Info"],
        summary: "How to authenticate here (plain text for humans)",
        operationId: "GetAuthInstructions",
        "x-scope": null,
        responses: { "200": { description: "Instructions", content: { "text/plain": { schema: { type: "string" } } } } },
      },
    },
    [`${base}/runs/{run_id}`]: {
      delete: {
        tags: ["Workflow Runs"],
        summary: "DeleteRun",
        description:
          "Deletes a finished run (COMPLETE, EXECUTOR_ERROR, SYSTEM_ERROR, CANCELED) and what the service stored for it: its record, tasks, attachments, scheduler state and the attached inputs it uploaded to the run's S3 folder (removed in the background right after the answer). Its outputs in S3 are kept unless the operator set WES_DELETE_OUTPUTS, and its HealthOmics run unless HEALTHOMICS_DELETE_RUNS. The owner or an admin may delete; GetRunLog then answers 404, and resubmitting with the run's Idempotency-Key answers 409. Not part of WES 1.1 (GA4GH WES proposal #218).",
        operationId: "DeleteRun",
        "x-scope": "wes:delete",
        parameters: [runIdParameter],
        responses: {
          "200": json("RunId", "The run was deleted (or had just been deleted by another request)."),
          "404": error("No such run (or not yours, or already deleted)."),
          "409": error("The run has not finished: cancel it first."),
          ...AUTH_ERRORS,
        },
      },
    },
    [`${base}/overview/runs`]: {
      get: {
        tags: ["Beyond WES"],
        summary: "ListRunOverviews",
        description: "The runs of GET /runs (same order, filters and page tokens) with submission time, workflow and name; admins also get each run's owner.",
        operationId: "ListRunOverviews",
        "x-scope": "wes:read",
        parameters: [...PAGING_PARAMETERS, ...FILTER_PARAMETERS],
        responses: { "200": json("RunOverviewListResponse"), "400": error("A bad page size, page token or filter."), ...AUTH_ERRORS },
      },
    },
    [`${base}/overview/runs/{run_id}`]: {
      get: {
        tags: ["Beyond WES"],
        summary: "GetRunOverview",
        description: "One run's overview and state timeline. Another user's run is a 404, as for GetRunLog.",
        operationId: "GetRunOverview",
        "x-scope": "wes:read",
        parameters: [runIdParameter],
        responses: { "200": json("RunOverviewDetail"), "404": error("No such run (or not yours)."), ...AUTH_ERRORS },
      },
    },
    [`${base}/workflows`]: {
      get: {
        tags: ["Beyond WES"],
        summary: "ListWorkflows",
        description:
          "The HealthOmics workflows users may run (private and Ready2Run) with their parameters. Read within the HealthOmics API budget and cached; 503 with Retry-After while the list cannot be read whole.",
        operationId: "ListRunnableWorkflows",
        "x-scope": "wes:read",
        responses: {
          "200": json("WorkflowListResponse"),
          ...AUTH_ERRORS,
          "502": error("HealthOmics refused to list the workflows."),
          "503": error("The list is being read within the API budget (Retry-After), or the service is not configured."),
        },
      },
    },
    [`${base}/runs/{run_id}/logs/{stream}`]: {
      get: {
        tags: ["Beyond WES"],
        summary: "GetRunLogText",
        description:
          "The run's log as text, where RunLog `run_log.stdout` and `run_log.stderr` point: stdout is the HealthOmics engine log, stderr the run log followed by HealthOmics' failure reason and message. Streamed from CloudWatch Logs; a live run's lines so far; empty while no log exists. An answer cut at `limit` ends with a line saying so.",
        operationId: "GetRunLogText",
        "x-scope": "wes:read",
        parameters: [runIdParameter, streamParameter, ...LOG_PARAMETERS],
        responses: { "200": TEXT, ...LOG_ERRORS },
      },
    },
    [`${base}/runs/{run_id}/tasks/{task_id}/logs/{stream}`]: {
      get: {
        tags: ["Beyond WES"],
        summary: "GetTaskLogText",
        description: "A task's log as text, where TaskLog `stdout` and `stderr` point (both are the task's one HealthOmics log stream).",
        operationId: "GetTaskLogText",
        "x-scope": "wes:read",
        parameters: [runIdParameter, { name: "task_id", in: "path", required: true, schema: { type: "string" } }, streamParameter, ...LOG_PARAMETERS],
        responses: { "200": TEXT, ...LOG_ERRORS },
      },
    },
    [`${base}/runs/{run_id}/outputs/{path}`]: {
      get: {
        tags: ["Beyond WES"],
        summary: "DownloadRunOutput",
        description:
          'One output file of a run, by its path relative to the run\'s output location (`outputs["wes:run"].files[].path`): a redirect to a short-lived presigned S3 URL, or with `Accept: application/json` the URL and its expiry.',
        operationId: "DownloadRunOutput",
        "x-scope": "wes:read",
        parameters: [runIdParameter, { name: "path", in: "path", required: true, schema: { type: "string" }, description: "Relative path; may contain '/'." }],
        responses: {
          "200": json("OutputDownload", "The presigned URL (Accept: application/json)."),
          "302": { description: "Redirect to the presigned S3 URL (Location)." },
          "400": error("The path is not a plain relative path ('..', encoded traversal, a URI)."),
          ...AUTH_ERRORS,
          "404": error("No such run for the caller, or no such file under the run's output location."),
          "502": error("S3 refused the check."),
          "503": error("S3's API budget is busy (Retry-After), or the service is not configured."),
        },
      },
    },
    "/admin/metrics": {
      get: {
        tags: ["Admin"],
        summary: "GetServiceMetrics",
        description:
          "The HealthOmics API budget at work: per operation quota, budget, calls, backlog and throttles; the start queue; runs by state; deletions and retention; each user's counts against the per-user limits.",
        operationId: "GetServiceMetrics",
        "x-scope": "wes:admin",
        responses: { "200": json("ServiceMetrics"), ...AUTH_ERRORS },
      },
    },
    "/integrations/healthomics/events": {
      post: {
        tags: ["Integrations"],
        summary: "ReceiveHealthOmicsEvent",
        description:
          "HealthOmics Run/Task Status Change events from an EventBridge API destination (docs/deployment.md). Authenticated by the shared secret header, not by a user.",
        operationId: "ReceiveHealthOmicsEvent",
        "x-scope": "events",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { type: "object", description: "An EventBridge event (source aws.omics)." } } },
        },
        responses: {
          "200": json("EventAnswer", "The run was woken."),
          "202": json("EventAnswer", "Accepted but not used (another event type, or no such run)."),
          "400": error("Not a HealthOmics event."),
          "401": error("Missing or wrong secret header."),
          "413": error("Larger than 256 KiB."),
          "503": error("Events are not enabled (no secret configured)."),
        },
      },
    },
    "/oidc/config": {
      get: {
        tags: ["Dashboard sign-in"],
        summary: "GetDashboardOidcConfig",
        description: "Whether the dashboard signs in with OpenID Connect, and what it asks the identity provider for (authorization code with PKCE).",
        operationId: "GetDashboardOidcConfig",
        "x-scope": "public",
        responses: { "200": json("DashboardOidcConfig"), "503": error("The identity provider's discovery document cannot be read, or a setting is invalid.") },
      },
    },
    "/oidc/token": {
      post: {
        tags: ["Dashboard sign-in"],
        summary: "ExchangeDashboardToken",
        description:
          "Passes the dashboard's authorization_code grant (with its PKCE code_verifier) on to the identity provider's token endpoint, adding the dashboard's client id.",
        operationId: "ExchangeDashboardToken",
        "x-scope": "public",
        requestBody: {
          required: true,
          content: {
            "application/x-www-form-urlencoded": {
              schema: {
                type: "object",
                required: ["grant_type", "code", "code_verifier", "redirect_uri"],
                properties: {
                  grant_type: { type: "string", enum: ["authorization_code"] },
                  code: { type: "string" },
                  code_verifier: { type: "string", pattern: "^[A-Za-z0-9._~-]{43,128}$" },
                  redirect_uri: { type: "string", description: "This dashboard's callback: <origin>/auth/callback." },
                },
              },
            },
          },
        },
        responses: {
          "200": json("TokenResponse"),
          "400": error("A malformed request, or the provider refused it (a used code, a wrong verifier)."),
          "404": error("The dashboard's OpenID Connect sign-in is not configured."),
          "413": error("Larger than 16 KiB."),
          "415": error("Not a form."),
          "502": error("The provider failed."),
          "503": error("The provider cannot be reached."),
        },
      },
    },
    "/openapi.json": {
      get: {
        tags: ["Service Info"],
        summary: "This document",
        operationId: "GetOpenApiDocument",
        "x-scope": "public",
        responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } } },
      },
    },
  };
}
