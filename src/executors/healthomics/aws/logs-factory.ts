/** The CloudWatch Logs client for this deployment's settings. */
import type { ExecutorSettings } from "../../../executor-config";
import { assumedRoleCredentials } from "../client/credentials";
import { LogsClient } from "./logs";

/** A client signed like HealthOmics calls, aimed at the region's CloudWatch Logs or AWS_LOGS_ENDPOINT. */
export function logsClient(settings: ExecutorSettings): LogsClient {
  return new LogsClient({
    ...settings.credentials,
    credentials: settings.assumeRole ? assumedRoleCredentials(settings.credentials, settings.region, settings.assumeRole) : undefined,
    region: settings.region,
    endpoint: settings.logsEndpoint,
  });
}
