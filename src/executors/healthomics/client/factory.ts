/** The HealthOmics client for this deployment's settings. */
import type { ExecutorSettings } from "../../../executor-config";
import { HealthOmicsClient, type OmicsOperation } from "./client";
import { assumedRoleCredentials } from "./credentials";

/**
 * A client signed with the configured credentials, aimed at AWS or HEALTHOMICS_ENDPOINT.
 * `onThrottle` hears about every ThrottlingException (the budget shrinks on it).
 */
export function omicsClient(settings: ExecutorSettings, onThrottle?: (operation: OmicsOperation) => void): HealthOmicsClient {
  return new HealthOmicsClient({
    ...settings.credentials,
    // With a role to assume, calls are signed with its temporary credentials (renewed as needed).
    credentials: settings.assumeRole ? assumedRoleCredentials(settings.credentials, settings.region, settings.assumeRole) : undefined,
    region: settings.region,
    endpoint: settings.endpoint,
    onCall: onThrottle ? (record) => record.errorType === "ThrottlingException" && onThrottle(record.operation) : undefined,
  });
}
