/** The S3 client for this deployment's settings. */
import type { ExecutorSettings } from "../../../executor-config";
import { assumedRoleCredentials } from "../client/credentials";
import { S3Client } from "./s3";

/**
 * A client signed like HealthOmics calls (the static key, or the assumed role's temporary
 * credentials), aimed at AWS or, path-style, at AWS_S3_ENDPOINT.
 */
export function s3Client(settings: ExecutorSettings): S3Client {
  return new S3Client({
    ...settings.credentials,
    credentials: settings.assumeRole ? assumedRoleCredentials(settings.credentials, settings.region, settings.assumeRole) : undefined,
    region: settings.region,
    endpoint: settings.s3Endpoint,
  });
}
