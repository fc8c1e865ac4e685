/** The HealthOmics client for this deployment's settings. */
import type { ExecutorSettings } from "../../executor-config";
import { HealthOmicsClient } from "./client";

/** A client signed with the configured credentials, aimed at AWS or HEALTHOMICS_ENDPOINT. */
export function omicsClient(settings: ExecutorSettings): HealthOmicsClient {
  return new HealthOmicsClient({ ...settings.credentials, region: settings.region, endpoint: settings.endpoint });
}
