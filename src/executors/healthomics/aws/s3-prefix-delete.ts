/**
 * Emptying an S3 folder (a deleted run's uploaded inputs, and, when the operator asks for it, its
 * outputs) one bounded batch at a time, in two halves that draw from different budget lines:
 * `listBatch` (ListObjectsV2, S3's GET class) names up to `max` keys under the folder, and
 * `deleteKeys` (DeleteObject, S3's PUT/DELETE class) deletes them. The caller books each half on
 * its own line and repeats until a listing comes back empty, so a huge output folder is finished
 * over many steps instead of exceeding a Worker invocation's subrequest limit. Listing from the
 * start each time is right: S3 lists are strongly consistent, so deleted keys are gone from it.
 * Works against any client with these two calls (the shared S3 client, aws/s3.ts).
 */

/** An S3 failure as the shared S3 client answers it (data, never thrown). */
interface StoreError {
  type: string;
  message: string;
  /** Whether trying again later may succeed (throttling, 5xx, a dropped connection). */
  retryable?: boolean;
}

/** The S3 calls it needs, answered as data (never thrown), as the shared S3 client answers. */
export interface PrefixStore {
  listObjects(
    bucket: string,
    prefix: string,
    continuationToken?: string,
  ): Promise<{ ok: true; value: { objects: Array<{ key: string }>; nextToken?: string } } | { ok: false; error: StoreError }>;
  deleteObject(bucket: string, key: string): Promise<{ ok: true; value: unknown } | { ok: false; error: StoreError }>;
}

/** What listing a batch found: up to `max` keys (none: the folder is empty). */
export type ListedBatch = { ok: true; keys: string[] } | { ok: false; retryable: boolean; error: string };

/** What deleting a batch did; `remaining` are the keys not deleted when a call failed. */
export type DeletedBatch = { ok: true; deleted: number } | { ok: false; deleted: number; remaining: string[]; retryable: boolean; error: string };

/** Deletes concurrently at most this many keys at a time. */
const CONCURRENCY = 10;

/** `s3://bucket/prefix/` → bucket and prefix; undefined for anything else (a prefix must end in `/`). */
export function splitPrefixUri(uri: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+\/)$/.exec(uri);
  return match ? { bucket: match[1]!, prefix: match[2]! } : undefined;
}

/** Up to `max` keys under the folder `uri` (one ListObjectsV2 page); no keys: it is empty. */
export async function listBatch(store: PrefixStore, uri: string, max: number): Promise<ListedBatch> {
  const where = splitPrefixUri(uri);
  if (!where) return { ok: false, retryable: false, error: `not an S3 folder URI: ${uri}` };
  const page = await store.listObjects(where.bucket, where.prefix);
  if (!page.ok) return { ok: false, retryable: page.error.retryable === true, error: `ListObjectsV2: ${page.error.type}: ${page.error.message}` };
  // Only keys inside the folder, whatever the store answers.
  const keys = page.value.objects.map((o) => o.key).filter((key) => key.startsWith(where.prefix));
  return { ok: true, keys: keys.slice(0, max) };
}

/**
 * Deletes `keys` of the folder `uri` (keys outside it are refused). A failed call stops the batch
 * and says which keys remain; what was deleted stays deleted, and deleting a missing key is no
 * error in S3, so repeating the batch is harmless.
 */
export async function deleteKeys(store: PrefixStore, uri: string, keys: readonly string[]): Promise<DeletedBatch> {
  const where = splitPrefixUri(uri);
  if (!where) return { ok: false, deleted: 0, remaining: [...keys], retryable: false, error: `not an S3 folder URI: ${uri}` };
  const outside = keys.find((key) => !key.startsWith(where.prefix));
  if (outside !== undefined) return { ok: false, deleted: 0, remaining: [...keys], retryable: false, error: `key ${outside} is not in ${uri}` };
  let deleted = 0;
  for (let i = 0; i < keys.length; i += CONCURRENCY) {
    const chunk = keys.slice(i, i + CONCURRENCY);
    const results = await Promise.all(chunk.map((key) => store.deleteObject(where.bucket, key)));
    const failed = results.findIndex((r) => !r.ok);
    if (failed === -1) {
      deleted += chunk.length;
      continue;
    }
    const remaining = [...chunk.filter((_, j) => !results[j]!.ok), ...keys.slice(i + CONCURRENCY)];
    deleted += chunk.length - chunk.filter((_, j) => !results[j]!.ok).length;
    const error = (results[failed] as { ok: false; error: StoreError }).error;
    return { ok: false, deleted, remaining, retryable: error.retryable === true, error: `DeleteObject: ${error.type}: ${error.message}` };
  }
  return { ok: true, deleted };
}
