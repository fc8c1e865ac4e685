/**
 * Deleting every object under an S3 prefix (a deleted run's uploaded inputs, and, when the
 * operator asks for it, its outputs): ListObjectsV2 page by page, DeleteObject per key. Bounded:
 * at most `maxObjects` deletions per call, so a huge output folder is finished over several calls
 * (the caller tries again later) instead of exceeding a Worker invocation's subrequest limit.
 * Works against any client with these two calls (the shared S3 client, aws/s3.ts).
 */

/** The S3 calls it needs, answered as data (never thrown), as the shared S3 client answers. */
export interface PrefixStore {
  listObjects(
    bucket: string,
    prefix: string,
    continuationToken?: string,
  ): Promise<{ ok: true; value: { objects: Array<{ key: string }>; nextToken?: string } } | { ok: false; error: { type: string; message: string } }>;
  deleteObject(bucket: string, key: string): Promise<{ ok: true; value: unknown } | { ok: false; error: { type: string; message: string } }>;
}

/** What a call did. */
export type PrefixDeletion = { ok: true; deleted: number; complete: boolean } | { ok: false; deleted: number; error: string };

/** Deletes concurrently at most this many keys at a time (one page holds up to 1,000). */
const CONCURRENCY = 10;

/** `s3://bucket/prefix/` → bucket and prefix; undefined for anything else (a prefix must end in `/`). */
export function splitPrefixUri(uri: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+\/)$/.exec(uri);
  return match ? { bucket: match[1]!, prefix: match[2]! } : undefined;
}

/**
 * Deletes up to `maxObjects` objects under `s3://bucket/prefix/`. `complete` says whether the
 * prefix is now empty (as far as the listing showed). A failed call stops at once and says why;
 * what it deleted stays deleted, and a repeat carries on (deleting a missing key is not an error).
 */
export async function deletePrefix(store: PrefixStore, uri: string, maxObjects: number): Promise<PrefixDeletion> {
  const where = splitPrefixUri(uri);
  if (!where) return { ok: false, deleted: 0, error: `not an S3 folder URI: ${uri}` };
  let deleted = 0;
  let token: string | undefined;
  // Listing again from the start after each page would see the deleted keys gone; the token
  // walks on instead, which S3 allows while keys are deleted behind it.
  do {
    const page = await store.listObjects(where.bucket, where.prefix, token);
    if (!page.ok) return { ok: false, deleted, error: `ListObjectsV2: ${page.error.type}: ${page.error.message}` };
    const keys = page.value.objects.map((o) => o.key).filter((key) => key.startsWith(where.prefix));
    const room = maxObjects - deleted;
    const batch = keys.slice(0, room);
    for (let i = 0; i < batch.length; i += CONCURRENCY) {
      const results = await Promise.all(batch.slice(i, i + CONCURRENCY).map((key) => store.deleteObject(where.bucket, key)));
      for (const result of results) {
        if (!result.ok) return { ok: false, deleted, error: `DeleteObject: ${result.error.type}: ${result.error.message}` };
        deleted += 1;
      }
    }
    if (keys.length > room) return { ok: true, deleted, complete: false };
    token = page.value.nextToken;
  } while (token !== undefined);
  return { ok: true, deleted, complete: true };
}
