/** Emptying an S3 folder a bounded batch at a time (list, then delete), against an in-memory store. */
import { describe, expect, it } from "vitest";
import { deleteKeys, listBatch, type PrefixStore, splitPrefixUri } from "../../src/executors/healthomics/aws/s3-prefix-delete";

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
      if (key === failOn) return { ok: false, error: { type: "AccessDenied", message: "no s3:DeleteObject", retryable: false } };
      store.delete(key);
      return { ok: true, value: undefined };
    },
  };
}

const files = (n: number, prefix = "users/demo/runs/r1/inputs/") => Array.from({ length: n }, (_, i) => `${prefix}f${String(i).padStart(3, "0")}`);

const INPUTS = "s3://bucket/users/demo/runs/r1/inputs/";

/** Empties `uri` batch by batch as the remove step does; returns the number of rounds. */
async function empty(store: PrefixStore, uri: string, max: number): Promise<number> {
  for (let round = 1; ; round++) {
    const listed = await listBatch(store, uri, max);
    if (!listed.ok) throw new Error(listed.error);
    if (listed.keys.length === 0) return round;
    const deleted = await deleteKeys(store, uri, listed.keys);
    if (!deleted.ok) throw new Error(deleted.error);
  }
}

describe("listBatch and deleteKeys", () => {
  it("empty the folder batch by batch, and nothing else", async () => {
    const store = memoryStore([...files(7), "users/demo/runs/r1/out.txt", "users/demo/runs/r10/inputs/x"], 1000);
    expect(await empty(store, INPUTS, 3)).toBe(4); // 3 + 3 + 1, then an empty listing
    expect([...store.keys].sort()).toEqual(["users/demo/runs/r1/out.txt", "users/demo/runs/r10/inputs/x"]);
  });

  it("a batch holds at most `max` keys of one listing", async () => {
    const store = memoryStore(files(8), 5);
    const listed = await listBatch(store, INPUTS, 3);
    expect(listed).toEqual({ ok: true, keys: files(3) });
    expect(await deleteKeys(store, INPUTS, files(3))).toEqual({ ok: true, deleted: 3 });
    expect(store.keys.size).toBe(5);
    expect(await listBatch(memoryStore([]), "s3://bucket/p/", 10)).toEqual({ ok: true, keys: [] });
  });

  it("a refused DeleteObject stops the batch, names the error and says which keys remain", async () => {
    const store = memoryStore(files(14), 100, "users/demo/runs/r1/inputs/f012");
    const result = await deleteKeys(store, INPUTS, files(14));
    expect(result).toEqual({
      ok: false,
      deleted: 13,
      remaining: ["users/demo/runs/r1/inputs/f012"],
      retryable: false,
      error: "DeleteObject: AccessDenied: no s3:DeleteObject",
    });
  });

  it("a failed listing says whether to retry", async () => {
    const store: PrefixStore = {
      listObjects: async () => ({ ok: false, error: { type: "SlowDown", message: "reduce your request rate", retryable: true } }),
      deleteObject: async () => ({ ok: true, value: undefined }),
    };
    expect(await listBatch(store, INPUTS, 10)).toEqual({ ok: false, retryable: true, error: "ListObjectsV2: SlowDown: reduce your request rate" });
  });

  it("refuses anything but an s3:// folder URI (never a whole bucket), and keys outside the folder", async () => {
    for (const uri of ["s3://bucket/", "s3://bucket", "s3://bucket/file.txt", "https://x/y/"]) {
      expect(splitPrefixUri(uri), uri).toBeUndefined();
      expect((await listBatch(memoryStore(files(1)), uri, 10)).ok, uri).toBe(false);
      expect((await deleteKeys(memoryStore(files(1)), uri, files(1))).ok, uri).toBe(false);
    }
    const store = memoryStore(["packages/abc.zip", ...files(1)]);
    const outside = await deleteKeys(store, INPUTS, ["packages/abc.zip"]);
    expect(outside.ok).toBe(false);
    expect(store.keys.has("packages/abc.zip")).toBe(true);
  });
});
