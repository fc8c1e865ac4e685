/**
 * AWS_LOGS_S3_QUOTAS: the account's quotas for the CloudWatch Logs and S3 calls the service makes
 * for logs and outputs, `Line=requestsPerSecond` entries. They are separate from HealthOmics'
 * quotas, so they get their own budget lines, never HealthOmics' shared bucket. Defaults:
 * - `GetLogEvents` 25 per second per account and Region: UNVERIFIED (AWS's quota table in
 *   https://docs.aws.amazon.com/general/latest/gr/cwl_region.html could not be read here; the
 *   commonly quoted value). Check Service Quotas.
 * - `S3Read` 5,500 per second: S3's published rate for GET/HEAD per partitioned prefix
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html). The
 *   service's HeadObject, GetObject and ListObjectsV2 calls draw from it; that LIST requests count
 *   in the GET/HEAD class is UNVERIFIED.
 * - `S3Write` 3,500 per second: S3's published rate for PUT/COPY/POST/DELETE per partitioned
 *   prefix (same page). The DeleteObject calls of a run's deletion draw from it.
 */
import type { Problem } from "./values";

/** The budget lines of the calls to services other than HealthOmics. */
export const SIDE_OPERATIONS = ["GetLogEvents", "S3Read", "S3Write"] as const;
/** One of them. */
export type SideOperation = (typeof SIDE_OPERATIONS)[number];

/** Default rates (requests per second), see above. */
export const DEFAULT_SIDE_QUOTAS: Record<SideOperation, number> = { GetLogEvents: 25, S3Read: 5500, S3Write: 3500 };

/** Highest rate an entry may name (a typo guard). */
const MAX_RATE = 100_000;

/** Whether `name` is a side line. */
export function isSideOperation(name: string): name is SideOperation {
  return (SIDE_OPERATIONS as readonly string[]).includes(name);
}

/** Reads `Line=rate` entries over the defaults; lines left out keep theirs. */
export function parseSideQuotas(text: string, problem: Problem): Record<SideOperation, number> {
  const quotas = { ...DEFAULT_SIDE_QUOTAS };
  for (const entry of text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [name, value] = entry.split("=").map((p) => p.trim());
    const rate = Number(value);
    if (!name || !Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE) problem(`entry '${entry.slice(0, 40)}' must look like Line=requestsPerSecond`);
    else if (isSideOperation(name)) quotas[name] = rate;
    else problem(`names unknown line '${name.slice(0, 40)}' (known: ${SIDE_OPERATIONS.join(", ")})`);
  }
  return quotas;
}
