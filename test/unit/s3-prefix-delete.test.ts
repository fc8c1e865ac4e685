/** Deleting an S3 prefix page by page, bounded per call, against an in-memory store. */
import { describe, expect, it } from "vitest";
import { deletePrefix, type PrefixStore, splitPrefixUri } from "../../src/executors/healthomics/aws/s3-prefix-delete";

/** A bucket in memory that lists `pageSize` keys per page (sorted, as S3 does) and can fail on cue. */
function memoryStore(keys: string[], pageSize = 3, failOn?: string): PrefixStore & { keys: Set<string>; calls: string[] } {
  const store = new Set(keys);
  const calls: string[] = [];
  return {
    keys: store,
    calls,
    async listObjects(bucket, prefix, token) {
      calls.push(`list ${bucket} ${prefix} ${token ?? ""}`);
      const sorted = [...store].filter((k) => k.startsWith(prefix)).sort();
      const after = token ? sorted.filter((k) => k > token) : sorted;
      const page = after.slice(0, pageSize);
      const more = after.length > pageSize;
      return { ok: true, value: more ? { objects: page.map((key) => ({ key })), nextToken: page.at(-1)! } : { objects: page.map((key) => ({ key })) } };
    },
    async deleteObject(_bucket, key) {
      if (key === failOn) return { ok: false, error: { type: "AccessDenied", message: "no s3:DeleteObject" } };
      store.delete(key);
      return { ok: true, value: undefined };
    },
  };
}

const files = (n: number, prefix = "users/demo/runs/r1/inputs/") => Array.from({ length: n }, (_, i) => `${prefix}f${String(i).padStart(3, "0")}`);

describe("deletePrefix", () => {
  it("deletes every key under the prefix across pages, and nothing else", async () => {
    const store = memoryStore([...files(7), "users/demo/runs/r1/out.txt", "users/demo/runs/r10/inputs/x"]);
    expect(await deletePrefix(store, "s3://bucket/users/demo/runs/r1/inputs/", 100)).toEqual({ ok: true, deleted: 7, complete: true });
    expect([...store.keys].sort()).toEqual(["users/demo/runs/r1/out.txt", "users/demo/runs/r10/inputs/x"]);
  });

  it("stops at maxObjects and says it is not complete; the next call finishes", async () => {
    const store = memoryStore(files(8));
    expect(await deletePrefix(store, "s3://bucket/users/demo/runs/r1/inputs/", 5)).toEqual({ ok: true, deleted: 5, complete: false });
    expect(store.keys.size).toBe(3);
    expect(await deletePrefix(store, "s3://bucket/users/demo/runs/r1/inputs/", 5)).toEqual({ ok: true, deleted: 3, complete: true });
    expect(store.keys.size).toBe(0);
  });

  it("an empty prefix is complete at once; a repeat after success deletes nothing", async () => {
    const store = memoryStore([]);
    expect(await deletePrefix(store, "s3://bucket/p/", 10)).toEqual({ ok: true, deleted: 0, complete: true });
  });

  it("a refused DeleteObject stops the call and names the error", async () => {
    const store = memoryStore(files(4), 10, "users/demo/runs/r1/inputs/f002");
    const result = await deletePrefix(store, "s3://bucket/users/demo/runs/r1/inputs/", 100);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBe("DeleteObject: AccessDenied: no s3:DeleteObject");
  });

  it("refuses anything but an s3:// folder URI (never a whole bucket)", async () => {
    for (const uri of ["s3://bucket/", "s3://bucket", "s3://bucket/file.txt", "https://x/y/"]) {
      expect(splitPrefixUri(uri), uri).toBeUndefined();
      expect((await deletePrefix(memoryStore(files(1)), uri, 10)).ok, uri).toBe(false);
    }
  });
});
