/** HealthOmics' CloudWatch Logs names (HealthOmics guide, "Monitoring HealthOmics with CloudWatch Logs"). */

/** The log group HealthOmics writes run logs to. */
export const WORKFLOW_LOG_GROUP = "/aws/omics/WorkflowLog";

/** The stream names of a run: `run/<id>`, `run/<id>/engine`, `run/<id>/task/<taskId>`. */
export function streamNames(runId: string): { run: string; engine: string; task: (taskId: string) => string } {
  return { run: `run/${runId}`, engine: `run/${runId}/engine`, task: (id) => `run/${runId}/task/${id}` };
}

/** A log stream ARN, as GetRun's `logLocation` and GetRunTask's `logStream` give them. */
export function logStreamArn(region: string, accountId: string, stream: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${WORKFLOW_LOG_GROUP}:log-stream:${stream}`;
}

/** The run id a stream name belongs to (`run/<id>...`), if any. */
export function runIdOfStream(stream: string): string | undefined {
  return /^run\/(\d{1,18})(\/|$)/.exec(stream)?.[1];
}
