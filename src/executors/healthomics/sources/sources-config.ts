/** The workflow source settings (src/settings/schema.ts WORKFLOW_SOURCES), read once per env. */
import { perEnv, readGroup } from "../../../settings/read";
import { WORKFLOW_SOURCES } from "../../../settings/schema";
import type { CollectLimits } from "../package/collect";
import type { UrlPolicy } from "./url-policy";

/** Where workflows may come from, and when their packages retire. */
export interface SourceSettings {
  policy: UrlPolicy;
  /** Days a package may stay unused before DeleteWorkflow; 0: never. */
  retireDays: number;
}

/**
 * Bounds of one workflow's files, whatever their source: at most 200 files, 10 MiB and 16 levels
 * of imports (large pipelines such as nf-core ones have ~100-300 files of a few MiB).
 */
export const COLLECT_LIMITS: CollectLimits = { maxFiles: 200, maxBytes: 10 * 1024 * 1024, maxDepth: 16 };

/** Parses the settings; throws one ConfigError naming every problem. */
export const sourceSettings = perEnv((env: Env): SourceSettings => {
  const e = readGroup(WORKFLOW_SOURCES, env);
  return { policy: { allowLocal: e.WES_WORKFLOW_URLS_ALLOW_LOCAL, allowHosts: e.WES_WORKFLOW_URL_HOSTS }, retireDays: e.WES_PACKAGE_RETIRE_DAYS };
});
