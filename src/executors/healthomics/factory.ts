/** The HealthOmics client for this deployment's settings. */
import type { ExecutorSettings } from "../../executor-config";
import { HealthOmicsClient, type OmicsOperation } from "./client";

/**
 * A client signed with the configured credentials, aimed at AWS or HEALTHOMICS_ENDPOINT.
 * `onThrottle` hears about every ThrottlingException (the budget shrinks on it).
 */
export function omicsClient(settings: ExecutorSettings, onThrottle?: (operation: OmicsOperation) => void): HealthOmicsClient {
  return new HealthOmicsClient({
    ...settings.credentials,
    region: settings.region,
    endpoint: settings.endpoint,
    onCall: onThrottle ? (record) => record.errorType === "ThrottlingException" && onThrottle(record.operation) : undefined,
  });
}
