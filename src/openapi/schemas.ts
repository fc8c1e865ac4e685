/**
 * JSON Schemas (OpenAPI 3.1 components) of the answers of the service's own routes — the ones WES
 * does not define. The node tests validate live answers against these, so they stay true.
 */
import { SIDE_OPERATIONS } from "../settings/side-quotas";

type Schema = Record<string, unknown>;

const string: Schema = { type: "string" };
const time: Schema = { type: "string", format: "date-time" };
const number: Schema = { type: "number" };
const integer: Schema = { type: "integer" };
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** The service's own component schemas, by name (none clashes with a WES schema name). */
export const SERVICE_SCHEMAS: Record<string, Schema> = {
  RunOverview: {
    description: "A run as the overview lists it: the WES RunSummary plus what a list shows at a glance.",
    allOf: [
      ref("RunSummary"),
      {
        type: "object",
        required: ["submitted_at", "workflow_type", "workflow_type_version", "workflow_url"],
        properties: {
          submitted_at: { ...time, description: "When the run was submitted." },
          workflow_type: string,
          workflow_type_version: string,
          workflow_url: string,
          name: { ...string, description: "The run's name (workflow_engine_parameters.name, or the HealthOmics run name)." },
          owner: { ...string, description: "Who submitted the run (admins only)." },
        },
      },
    ],
  },
  OutputDownload: {
    type: "object",
    required: ["url", "expires_at"],
    properties: {
      url: { ...string, description: "A presigned S3 GET URL; needs no other credentials." },
      expires_at: { ...time, description: "When the URL stops working." },
    },
  },
  RunOverviewListResponse: {
    type: "object",
    required: ["runs", "next_page_token"],
    properties: {
      runs: { type: "array", items: ref("RunOverview") },
      next_page_token: { ...string, description: "Pass as page_token for the next page; empty on the last page." },
    },
  },
  TimelineEntry: {
    type: "object",
    required: ["state", "time"],
    properties: { state: ref("State"), time },
  },
  RunOverviewDetail: {
    allOf: [
      ref("RunOverview"),
      {
        type: "object",
        required: ["timeline"],
        properties: { timeline: { type: "array", items: ref("TimelineEntry"), description: "When the run entered each state, oldest first." } },
      },
    ],
  },
  RunnableWorkflow: {
    type: "object",
    required: ["workflow_url", "id", "type", "parameters"],
    properties: {
      workflow_url: { ...string, description: "What to send as workflow_url to run it." },
      id: string,
      type: { type: "string", enum: ["PRIVATE", "READY2RUN"] },
      name: string,
      description: string,
      engine: { ...string, description: "HealthOmics engine: WDL, WDL_LENIENT, CWL or NEXTFLOW." },
      workflow_type: string,
      workflow_type_versions: { type: "array", items: string },
      created_at: time,
      parameters: {
        type: "array",
        items: {
          type: "object",
          required: ["name", "required"],
          properties: { name: string, description: string, required: { type: "boolean" } },
        },
      },
    },
  },
  WorkflowListResponse: {
    type: "object",
    required: ["workflows"],
    properties: { workflows: { type: "array", items: ref("RunnableWorkflow") } },
  },
  ServiceMetrics: {
    type: "object",
    description:
      "The HealthOmics API budget at work, the start queue, runs by state, the last sweep, deletions and retention, the per-user limits, and workflow packages.",
    required: [
      "time",
      "healthomics_budget",
      "logs_s3_budget",
      "start_queue",
      "runs_by_state",
      "oldest_queued_run",
      "polling",
      "last_sweep",
      "deletions",
      "retention",
      "fair_use",
      "workflow_packages",
    ],
    properties: {
      time,
      healthomics_budget: {
        type: "object",
        required: ["mode", "headroom", "operations"],
        properties: {
          mode: { type: "string", enum: ["per-operation", "shared"] },
          headroom: number,
          operations: {
            type: "array",
            items: {
              type: "object",
              required: ["operation", "quota_per_second", "budget_per_second", "share_of_quota", "calls_booked", "backlog_seconds", "throttles"],
              properties: {
                operation: string,
                quota_per_second: number,
                budget_per_second: number,
                share_of_quota: number,
                calls_booked: { ...integer, description: "Calls booked since the budget object started (a counter)." },
                backlog_seconds: number,
                throttles: integer,
              },
            },
          },
        },
      },
      logs_s3_budget: {
        type: "object",
        description: "The CloudWatch Logs and S3 budget lines (AWS_LOGS_S3_QUOTAS): quotas of their own, never in the shared HealthOmics bucket.",
        required: ["headroom", "lines"],
        properties: {
          headroom: number,
          lines: {
            type: "array",
            items: {
              type: "object",
              required: ["line", "quota_per_second", "budget_per_second", "share_of_quota", "calls_booked", "backlog_seconds", "throttles"],
              properties: {
                line: { type: "string", enum: [...SIDE_OPERATIONS] },
                quota_per_second: number,
                budget_per_second: number,
                share_of_quota: number,
                calls_booked: { ...integer, description: "Calls booked since the budget object started (a counter)." },
                backlog_seconds: number,
                throttles: integer,
              },
            },
          },
        },
      },
      start_queue: {
        type: "object",
        required: ["length", "users", "oldest_wait_seconds"],
        properties: { length: integer, users: integer, oldest_wait_seconds: number },
      },
      runs_by_state: { type: "object", additionalProperties: integer },
      oldest_queued_run: {
        oneOf: [{ type: "null" }, { type: "object", required: ["run_id", "queued_seconds"], properties: { run_id: string, queued_seconds: number } }],
      },
      polling: {
        type: "object",
        required: ["runs_polled", "longest_since_last_poll_seconds"],
        properties: { runs_polled: integer, longest_since_last_poll_seconds: number },
      },
      last_sweep: { description: "What the last scheduled sweep found (null before the first)." },
      deletions: {
        type: "object",
        required: ["last_24h"],
        properties: {
          last_24h: { type: "object", required: ["by_request", "by_retention"], properties: { by_request: integer, by_retention: integer } },
        },
      },
      retention: {
        type: "object",
        required: ["days", "batch_per_tick", "deleted_last_24h", "last_deleted_at"],
        properties: {
          days: { oneOf: [{ type: "null" }, integer], description: "WES_RETENTION_DAYS; null: runs are kept forever." },
          batch_per_tick: integer,
          deleted_last_24h: integer,
          last_deleted_at: { oneOf: [{ type: "null" }, time] },
        },
      },
      workflow_packages: {
        type: "object",
        description: "Submitted workflow files registered as HealthOmics workflows (packages) and their retirement (WES_PACKAGE_RETIRE_DAYS).",
        required: ["active", "retiring", "retired", "retire_days"],
        properties: {
          active: { ...integer, description: "Packages whose HealthOmics workflow is ACTIVE." },
          retiring: { ...integer, description: "Packages whose workflow the cron sweep is deleting." },
          retired: { ...integer, description: "Packages retired and not submitted again since (no workflow now)." },
          retire_days: { oneOf: [{ type: "null" }, integer], description: "WES_PACKAGE_RETIRE_DAYS; null: packages are never retired." },
        },
      },
      fair_use: {
        type: "object",
        required: ["max_active_runs_per_user", "submissions_per_minute_per_user", "users"],
        properties: {
          max_active_runs_per_user: { oneOf: [{ type: "null" }, integer], description: "WES_USER_MAX_ACTIVE_RUNS; null: no limit." },
          submissions_per_minute_per_user: { oneOf: [{ type: "null" }, integer], description: "WES_USER_SUBMISSIONS_PER_MINUTE; null: no limit." },
          users: {
            type: "array",
            description: "Users with queued or active runs or a submission within the last minute, the busiest first (at most 100).",
            items: {
              type: "object",
              required: ["user", "active_runs", "submissions_last_minute"],
              properties: { user: string, active_runs: integer, submissions_last_minute: integer },
            },
          },
        },
      },
    },
  },
  DashboardOidcConfig: {
    type: "object",
    required: ["enabled"],
    properties: {
      enabled: { type: "boolean" },
      issuer: string,
      authorization_endpoint: string,
      end_session_endpoint: string,
      client_id: string,
      scope: string,
      audience: string,
      redirect_path: string,
    },
  },
  TokenResponse: {
    type: "object",
    required: ["access_token"],
    properties: { access_token: string, token_type: string, expires_in: number, id_token: string, scope: string },
  },
  EventAnswer: {
    type: "object",
    required: ["accepted"],
    properties: { accepted: { type: "boolean" }, run_id: string, reason: string },
  },
};
