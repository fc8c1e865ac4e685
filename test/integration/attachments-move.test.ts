/**
 * The cron's mover of attachment blobs stored in D1 before R2 (src/wes/attachments-move.ts): rows
 * inserted the old way (data set, no object_key) end up in ATTACHMENTS under
 * `runs/<run_id>/attachments/<path>` with their sha256 and no blob; a move interrupted after the R2
 * write completes next time; a row whose run is deleted during its move leaves no object behind.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { moveAttachmentBlobs } from "../../src/wes/attachments-move";
import { attachmentKey } from "../../src/wes/run-files";

const bytes = (text: string) => new TextEncoder().encode(text);

async function hex(data: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", data))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A run with attachments stored as before R2: the bytes in the D1 row. */
async function oldRun(files: Record<string, string>): Promise<string> {
  const id = crypto.randomUUID();
  const now = Date.now();
  await env.DB.prepare(
    "INSERT INTO runs (id, owner, state, request, tags, created_at, updated_at, request_hash) VALUES (?1, 'demo', 'COMPLETE', '{}', '{}', ?2, ?2, 'x')",
  )
    .bind(id, now)
    .run();
  for (const [path, content] of Object.entries(files)) {
    await env.DB.prepare("INSERT INTO attachments (run_id, path, content_type, size, data) VALUES (?1, ?2, 'text/plain', ?3, ?4)")
      .bind(id, path, content.length, bytes(content))
      .run();
  }
  return id;
}

async function rows(runId: string) {
  return (
    await env.DB.prepare("SELECT path, object_key, sha256, data IS NULL AS moved FROM attachments WHERE run_id = ?1 ORDER BY path")
      .bind(runId)
      .all<{ path: string; object_key: string | null; sha256: string | null; moved: number }>()
  ).results;
}

async function moveAll(): Promise<void> {
  for (let i = 0; i < 100 && (await moveAttachmentBlobs(env, 3)); i++);
}

describe("moving D1 attachment blobs to R2", () => {
  it("moves every old row to runs/<run_id>/attachments/<path> in bounded batches, then has nothing to do", async () => {
    const a = await oldRun({ "main.wdl": "version 1.0\nworkflow w {}\n", "data/in.txt": "one\ntwo\n" });
    const b = await oldRun({ "x.cwl": "cwlVersion: v1.2\n", "y.txt": "y", "z.txt": "z" });
    const first = await moveAttachmentBlobs(env, 3);
    expect(first).toMatchObject({ moved: 3, failed: 0 });
    await moveAll();
    expect(await moveAttachmentBlobs(env, 3)).toBeNull();
    for (const [runId, path, content] of [
      [a, "data/in.txt", "one\ntwo\n"],
      [b, "z.txt", "z"],
    ] as const) {
      const object = await env.ATTACHMENTS.get(attachmentKey(runId, path));
      expect(object && (await object.text())).toBe(content);
      expect(object?.httpMetadata?.contentType).toBe("text/plain");
    }
    const moved = await rows(a);
    expect(moved).toEqual([
      { path: "data/in.txt", object_key: `runs/${a}/attachments/data/in.txt`, sha256: await hex(bytes("one\ntwo\n")), moved: 1 },
      { path: "main.wdl", object_key: `runs/${a}/attachments/main.wdl`, sha256: await hex(bytes("version 1.0\nworkflow w {}\n")), moved: 1 },
    ]);
  });

  it("completes a move interrupted after the R2 write, and leaves rows already in R2 alone", async () => {
    const runId = await oldRun({ "a.txt": "a" });
    // The interrupted tick wrote the object but never updated the row.
    await env.ATTACHMENTS.put(attachmentKey(runId, "a.txt"), bytes("a"));
    await moveAll();
    expect(await rows(runId)).toEqual([{ path: "a.txt", object_key: `runs/${runId}/attachments/a.txt`, sha256: await hex(bytes("a")), moved: 1 }]);
    expect(await moveAttachmentBlobs(env)).toBeNull();
  });

  it("leaves no object for a row whose run is deleted while it moves", async () => {
    const runId = await oldRun({ "gone.txt": "bye" });
    // DELETE /runs/{id} lands between the mover's read and its R2 write.
    const racing = {
      ...env,
      ATTACHMENTS: {
        put: async (key: string, value: Uint8Array, options?: R2PutOptions) => {
          await env.DB.prepare("DELETE FROM runs WHERE id = ?1").bind(runId).run();
          return await env.ATTACHMENTS.put(key, value, options);
        },
        delete: async (key: string) => await env.ATTACHMENTS.delete(key),
      },
    } as unknown as Env;
    const result = await moveAttachmentBlobs(racing, 1000);
    expect(result?.gone).toBeGreaterThanOrEqual(1);
    expect(await env.DB.prepare("SELECT 1 FROM attachments WHERE run_id = ?1").bind(runId).first()).toBeNull();
    expect(await env.ATTACHMENTS.head(attachmentKey(runId, "gone.txt"))).toBeNull();
  });
});
