/**
 * The service's S3 client against the emulator's S3 (path-style, SigV4 service `s3`): PutObject
 * with bytes and with a stream of known length, keys that need encoding, DeleteObject, S3's XML
 * errors as plain data, and the URLs it builds for AWS.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { executorSettings } from "../../src/executor-config";
import { encodeKey, parseS3Uri, S3Client, s3Url } from "../../src/executors/healthomics/aws/s3";
import { s3Client } from "../../src/executors/healthomics/aws/s3-factory";

const bucket = `s3-client-${crypto.randomUUID().slice(0, 8)}`;
const client = () => s3Client(executorSettings(env));

async function readBack(key: string): Promise<Response> {
  const c = client();
  const result = await c.send({ operation: "GetObject", method: "GET", bucket, key });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe("S3 client", () => {
  it("puts bytes and reads them back; the ETag is the MD5", async () => {
    const put = await client().putObject(bucket, "a/hello.txt", "hello\n", { contentType: "text/plain" });
    expect(put).toEqual({ ok: true, value: { etag: '"b1946ac92492d2347c6235b4d2611184"' } });
    const got = await readBack("a/hello.txt");
    expect(await got.text()).toBe("hello\n");
    expect(got.headers.get("content-type")).toBe("text/plain");
  });

  it("streams a body of known length without reading it first", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(65);
    let sent = 0;
    const chunks = 32;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === chunks) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const put = await client().putObject(bucket, "big/stream.bin", stream, { contentLength: chunk.length * chunks });
    expect(put.ok).toBe(true);
    const got = await readBack("big/stream.bin");
    expect(got.headers.get("content-length")).toBe(String(chunk.length * chunks));
    await got.body?.cancel();
  });

  it("keeps keys with spaces, unicode, plus signs and parentheses", async () => {
    const key = "users/alice/runs/r1/inputs/my file+(1) ünï!*'.txt";
    expect((await client().putObject(bucket, key, "x")).ok).toBe(true);
    expect(await (await readBack(key)).text()).toBe("x");
    expect((await client().deleteObject(bucket, key)).ok).toBe(true);
    const gone = await client().send({ operation: "GetObject", method: "GET", bucket, key });
    expect(gone.ok).toBe(false);
    if (!gone.ok) expect(gone.error).toMatchObject({ type: "NoSuchKey", status: 404, retryable: false });
  });

  it("returns S3's error code, never the secret, for a wrong secret key", async () => {
    const settings = executorSettings(env);
    const wrong = new S3Client({ ...settings.credentials, secretAccessKey: "wrong-secret-key", region: settings.region, endpoint: settings.s3Endpoint });
    const put = await wrong.putObject(bucket, "x.txt", "x");
    expect(put.ok).toBe(false);
    if (!put.ok) {
      expect(put.error).toMatchObject({ type: "SignatureDoesNotMatch", status: 403, retryable: false });
      expect(put.error.message).toContain(`s3://${bucket}/x.txt`);
      expect(put.error.message).not.toContain("wrong-secret-key");
    }
  });

  it("refuses a stream without its length instead of sending it chunked", async () => {
    const put = await client().putObject(bucket, "x", new ReadableStream());
    expect(put.ok).toBe(false);
    if (!put.ok) expect(put.error.message).toContain("contentLength");
  });
});

describe("S3 URLs", () => {
  it("are virtual-hosted on AWS, path-style for dotted buckets and with an endpoint", () => {
    expect(s3Url("eu-west-1", "my-bucket", "a b/c+d.txt")).toBe("https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/c%2Bd.txt");
    expect(s3Url("cn-north-1", "b1", "k")).toBe("https://b1.s3.cn-north-1.amazonaws.com.cn/k");
    expect(s3Url("us-east-1", "my.bucket", "k")).toBe("https://s3.us-east-1.amazonaws.com/my.bucket/k");
    expect(s3Url("us-east-1", "b1", "", "http://127.0.0.1:8788/")).toBe("http://127.0.0.1:8788/b1");
    expect(s3Url("us-east-1", "b1", "k/(x)", "http://127.0.0.1:8788")).toBe("http://127.0.0.1:8788/b1/k/%28x%29");
    expect(() => s3Url("US EAST", "b1", "k")).toThrow(TypeError);
  });

  it("encode keys as S3's canonical URI and parse s3:// URIs", () => {
    expect(encodeKey("a/b c/ü!")).toBe("a/b%20c/%C3%BC%21");
    expect(parseS3Uri("s3://b/k/x")).toEqual({ bucket: "b", key: "k/x" });
    expect(parseS3Uri("s3://b")).toEqual({ bucket: "b", key: "" });
    expect(parseS3Uri("https://b/k")).toBeUndefined();
  });
});
