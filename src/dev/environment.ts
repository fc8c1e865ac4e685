import { serviceSettings } from "../config";

/**
 * Whether a deployment is a development stack: `WES_ENVIRONMENT` (read through the settings
 * schema, so trimmed like every other variable) exactly `development`, nothing looser.
 */
export function isDevelopment(env: Env): boolean {
  return serviceSettings(env).environment === "development";
}
