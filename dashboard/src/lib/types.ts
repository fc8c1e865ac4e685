/** The API's answers as the dashboard reads them (WES 1.1 and the service's own routes, docs/usage.md). */

export interface RunOverview {
  run_id: string;
  state: string;
  tags: Record<string, string>;
  start_time?: string;
  end_time?: string;
  submitted_at: string;
  workflow_type: string;
  workflow_type_version: string;
  workflow_url: string;
  name?: string;
  owner?: string;
}

export interface RunOverviewList {
  runs: RunOverview[];
  next_page_token: string;
}

export interface RunOverviewDetail extends RunOverview {
  timeline: Array<{ state: string; time: string }>;
}

export interface WesLog {
  name?: string;
  start_time?: string;
  end_time?: string;
  stdout?: string;
  stderr?: string;
  exit_code?: number;
  system_logs?: string[];
}

export interface RunLog {
  run_id: string;
  request: Record<string, unknown>;
  state: string;
  run_log: WesLog;
  task_logs_url: string;
  outputs: Record<string, unknown>;
}

export interface TaskLog extends WesLog {
  id: string;
  name: string;
}

export interface TaskList {
  task_logs: TaskLog[];
  next_page_token: string;
}

export interface RunnableWorkflow {
  workflow_url: string;
  id: string;
  type: "PRIVATE" | "READY2RUN";
  name?: string;
  description?: string;
  engine?: string;
  workflow_type?: string;
  workflow_type_versions?: string[];
  created_at?: string;
  parameters: Array<{ name: string; description?: string; required: boolean }>;
}

export interface EngineParameter {
  name: string;
  type: string;
  default_value?: string;
}

export interface ServiceInfo {
  name: string;
  default_workflow_engine_parameters?: EngineParameter[];
  tags?: Record<string, string>;
}

export interface BudgetLine {
  operation: string;
  quota_per_second: number;
  budget_per_second: number;
  share_of_quota: number;
  calls_booked: number;
  backlog_seconds: number;
  throttles: number;
}

export interface ServiceMetrics {
  time: string;
  healthomics_budget: { mode: string; headroom: number; operations: BudgetLine[] };
  start_queue: { length: number; users: number; oldest_wait_seconds: number };
  runs_by_state: Record<string, number>;
  oldest_queued_run: { run_id: string; queued_seconds: number } | null;
  polling: { runs_polled: number; longest_since_last_poll_seconds: number };
}

export interface OidcConfig {
  enabled: boolean;
  issuer?: string;
  authorization_endpoint?: string;
  end_session_endpoint?: string;
  client_id?: string;
  scope?: string;
  audience?: string;
  redirect_path?: string;
}
