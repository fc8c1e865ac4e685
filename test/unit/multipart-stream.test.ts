/**
 * The streaming multipart reader: the same parts whatever the chunking (down to one byte), the
 * header forms clients send, the framing errors as 400s and the body bound as 413; and a part
 * streamed into R2 in one put or as equal 5 MiB parts, with its SHA-256.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WesError } from "../../src/errors";
import { PART_BYTES, stageAttachment } from "../../src/wes/attachment-staging";
import { boundaryOf, MultipartReader } from "../../src/wes/multipart-stream";

const B = "----wesBoundary7MA4YWxkTrZu0gW";
const encoder = new TextEncoder();

function body(text: string): Uint8Array {
  return encoder.encode(text.replace(/\n/g, "\r\n"));
}

const SAMPLE = body(
  [
    "preamble to ignore",
    `--${B}`,
    'Content-Disposition: form-data; name="workflow_url"',
    "",
    "main.wdl",
    `--${B}`,
    'Content-Disposition: form-data; name="workflow_attachment"; filename="tasks/say \\"hi\\".wdl"',
    "Content-Type: text/plain",
    "",
    "line one",
    `--${B.slice(0, 12)}-not-the-boundary`,
    "line three",
    `--${B}`,
    'Content-Disposition: form-data; name="workflow_attachment"; filename="x"; filename*=UTF-8\'\'d%C3%A9j%C3%A0.txt',
    "",
    "",
    `--${B}--`,
    "epilogue",
  ].join("\n"),
);

function chunked(bytes: Uint8Array, size: (i: number) => number): ReadableStream<Uint8Array> {
  let offset = 0;
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      const n = Math.max(1, size(i++));
      controller.enqueue(bytes.slice(offset, offset + n));
      offset += n;
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>, max = 1e9) {
  const reader = new MultipartReader(stream, B, max, "too big");
  const parts: Array<{ name: string; filename?: string; contentType?: string; text: string }> = [];
  for (let p = await reader.next(); p; p = await reader.next()) parts.push({ ...p, text: await reader.text(1e6, p.name) });
  return parts;
}

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof WesError) return e.status;
    throw e;
  }
  return 200;
}

describe("MultipartReader", () => {
  const expected = [
    { name: "workflow_url", text: "main.wdl" },
    {
      name: "workflow_attachment",
      filename: 'tasks/say "hi".wdl',
      contentType: "text/plain",
      text: `line one\r\n--${B.slice(0, 12)}-not-the-boundary\r\nline three`,
    },
    { name: "workflow_attachment", filename: "déjà.txt", text: "" },
  ];

  it.each([
    ["whole", () => SAMPLE.length],
    ["1 byte", () => 1],
    ["7 bytes", () => 7],
    ["boundary-sized", () => B.length + 3],
    ["varying", (i: number) => (i * 13) % 29],
  ])("reads the same parts in %s chunks", async (_name, size) => {
    expect(await readAll(chunked(SAMPLE, size))).toEqual(expected);
  });

  it("reads the boundary from the content type, quoted or not", () => {
    expect(boundaryOf(`multipart/form-data; boundary=${B}`)).toBe(B);
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"')).toBe("a b");
    expect(() => boundaryOf("multipart/form-data")).toThrow(WesError);
  });

  it.each([
    ["no boundary line", "just text"],
    ["no closing boundary", `--${B}\nContent-Disposition: form-data; name="a"\n\nvalue`],
    ["no Content-Disposition", `--${B}\nContent-Type: text/plain\n\nx\n--${B}--`],
    ["no name", `--${B}\nContent-Disposition: form-data; filename="a"\n\nx\n--${B}--`],
  ])("answers 400 for %s", async (_name, text) => {
    expect(await status(readAll(chunked(body(text), () => 5)))).toBe(400);
  });

  it("answers 413 as soon as the body passes its bound, without reading the rest", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(body(`--${B}\nContent-Disposition: form-data; name="workflow_attachment"; filename="big"\n\n`));
      },
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    expect(await status(readAll(endless, 1024 * 1024))).toBe(413);
    expect(pulled).toBeLessThan(20);
  });
});

describe("stageAttachment", () => {
  async function stage(size: number) {
    const head = body(`--${B}\nContent-Disposition: form-data; name="workflow_attachment"; filename="f"\n\n`);
    const tail = body(`\n--${B}--`);
    const content = new Uint8Array(size);
    for (let i = 0; i < size; i += 4096) content[i] = i % 251;
    const all = new Uint8Array(head.length + size + tail.length);
    all.set(head);
    all.set(content, head.length);
    all.set(tail, head.length + size);
    const reader = new MultipartReader(
      chunked(all, () => 64 * 1024),
      B,
      1e9,
      "too big",
    );
    await reader.next();
    const key = `test/${crypto.randomUUID()}`;
    const staged = await stageAttachment(env.ATTACHMENTS, key, reader, "f", "application/octet-stream");
    const digest = await crypto.subtle.digest("SHA-256", content);
    return { staged, content, sha: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("") };
  }

  it.each([
    ["a small file in one put", 1000],
    ["exactly one part", PART_BYTES],
    ["a file over 5 MiB as a multipart upload", 2 * PART_BYTES + 12345],
  ])("stores %s with its size and SHA-256", async (_name, size) => {
    const { staged, content, sha } = await stage(size);
    expect(staged).toMatchObject({ path: "f", size, sha256: sha, contentType: "application/octet-stream" });
    const object = await env.ATTACHMENTS.get(staged.key);
    expect(object?.size).toBe(size);
    // Compared by digest: a deep equality of megabytes of bytes takes the test runner down.
    const stored = await crypto.subtle.digest("SHA-256", await object!.arrayBuffer());
    expect([...new Uint8Array(stored)].map((b) => b.toString(16).padStart(2, "0")).join("")).toBe(sha);
    expect(content.byteLength).toBe(size);
  });
});
