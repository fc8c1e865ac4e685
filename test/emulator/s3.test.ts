/**
 * The emulated S3 through the Worker's fetch, signed like aws4fetch signs for S3 (header
 * SigV4 with UNSIGNED-PAYLOAD or a payload hash, and presigned query strings): objects round
 * trip with their metadata, ranges, listings with S3's XML, S3's error documents, and the
 * routing by signing service.
 */
import { AwsClient } from "aws4fetch";
import { describe, expect, it } from "vitest";
import { decodeAwsChunked } from "../../emulator/src/s3/chunked";
import { CREDENTIALS, local, plain as fetchPlain, presign, s3 } from "./helpers";

const bucket = `s3-test-${crypto.randomUUID().slice(0, 8)}`;
const text = (n: number) => "0123456789".repeat(Math.ceil(n / 10)).slice(0, n);

/** The text of an XML element (first occurrence). */
function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

async function md5Hex(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("MD5", new TextEncoder().encode(body));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function put(key: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return s3("PUT", `/${bucket}/${key}`, { body, headers });
}

describe("objects", () => {
  it("puts, heads, gets and deletes an object with its metadata; the ETag is the body's MD5", async () => {
    const body = "hello, S3\n";
    const stored = await put("dir/hello.txt", body, { "content-type": "text/plain", "x-amz-meta-sample": "s1", "cache-control": "no-cache" });
    expect(stored.status).toBe(200);
    expect(stored.headers.get("etag")).toBe(`"${await md5Hex(body)}"`);
    expect(stored.headers.get("x-amz-request-id")).toBeTruthy();
    const head = await s3("HEAD", `/${bucket}/dir/hello.txt`);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(body.length));
    expect(head.headers.get("content-type")).toBe("text/plain");
    expect(head.headers.get("x-amz-meta-sample")).toBe("s1");
    expect(head.headers.get("cache-control")).toBe("no-cache");
    expect(head.headers.get("accept-ranges")).toBe("bytes");
    expect(Date.parse(head.headers.get("last-modified")!)).toBeGreaterThan(0);
    const got = await s3("GET", `/${bucket}/dir/hello.txt`);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe(body);
    expect((await s3("DELETE", `/${bucket}/dir/hello.txt`)).status).toBe(204);
    expect((await s3("DELETE", `/${bucket}/dir/hello.txt`)).status).toBe(204);
    const gone = await s3("GET", `/${bucket}/dir/hello.txt`);
    expect(gone.status).toBe(404);
    const xml = await gone.text();
    expect(tag(xml, "Code")).toBe("NoSuchKey");
    expect(tag(xml, "Key")).toBe("dir/hello.txt");
    expect(gone.headers.get("content-type")).toBe("application/xml");
    const missingHead = await s3("HEAD", `/${bucket}/dir/hello.txt`);
    expect(missingHead.status).toBe(404);
    expect(await missingHead.text()).toBe("");
  });

  it("keeps keys with spaces, unicode and plus signs, and answers binary/octet-stream without a content type", async () => {
    const key = "odd keys/ü + more/a=b&c.txt";
    const encoded = key.split("/").map(encodeURIComponent).join("/");
    // A byte body: fetch gives a string body a text/plain content type.
    expect((await s3("PUT", `/${bucket}/${encoded}`, { body: new TextEncoder().encode("x") })).status).toBe(200);
    const got = await s3("GET", `/${bucket}/${encoded}`);
    expect(await got.text()).toBe("x");
    expect(got.headers.get("content-type")).toBe("binary/octet-stream");
  });

  it("serves ranges as S3 does: 206 with Content-Range, suffixes, unsatisfiable 416, multiple ranges ignored", async () => {
    await put("range.txt", text(100));
    const r = async (range: string) => s3("GET", `/${bucket}/range.txt`, { headers: { range } });
    const first = await r("bytes=0-9");
    expect(first.status).toBe(206);
    expect(first.headers.get("content-range")).toBe("bytes 0-9/100");
    expect(await first.text()).toBe("0123456789");
    const open = await r("bytes=95-");
    expect(open.headers.get("content-range")).toBe("bytes 95-99/100");
    expect(await open.text()).toBe("56789");
    const suffix = await r("bytes=-3");
    expect(await suffix.text()).toBe("789");
    const clipped = await r("bytes=90-500");
    expect(clipped.headers.get("content-range")).toBe("bytes 90-99/100");
    await clipped.text();
    const beyond = await r("bytes=100-200");
    expect(beyond.status).toBe(416);
    expect(tag(await beyond.text(), "Code")).toBe("InvalidRange");
    const multiple = await r("bytes=0-1,5-6");
    expect(multiple.status).toBe(200);
    expect((await multiple.text()).length).toBe(100);
  });

  it("answers If-None-Match with 304 and a failed If-Match with 412", async () => {
    const etag = (await put("cond.txt", "c")).headers.get("etag")!;
    expect((await s3("GET", `/${bucket}/cond.txt`, { headers: { "if-none-match": etag } })).status).toBe(304);
    const failed = await s3("GET", `/${bucket}/cond.txt`, { headers: { "if-match": '"0000"' } });
    expect(failed.status).toBe(412);
    expect(tag(await failed.text(), "Code")).toBe("PreconditionFailed");
  });

  it("checks a signed payload hash and Content-MD5, and keeps the old object when they do not match", async () => {
    const signer = new AwsClient({ ...CREDENTIALS, service: "s3", region: "us-east-1", retries: 0 });
    await put("hashed.txt", "original");
    const good = await signer.sign(`http://127.0.0.1:8788/${bucket}/hashed.txt`, { method: "PUT", body: "signed body" });
    expect(good.headers.get("x-amz-content-sha256")).toBe("UNSIGNED-PAYLOAD");
    const sha = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("signed body")))]
      .map((b) => b.toString(16).padStart(2, "0"))
      .join("");
    const withHash = await s3("PUT", `/${bucket}/hashed.txt`, { body: "signed body", headers: { "x-amz-content-sha256": sha } });
    expect(withHash.status).toBe(200);
    const wrongHash = await s3("PUT", `/${bucket}/hashed.txt`, { body: "other body!", headers: { "x-amz-content-sha256": sha } });
    expect(wrongHash.status).toBe(400);
    expect(tag(await wrongHash.text(), "Code")).toBe("XAmzContentSHA256Mismatch");
    const wrongMd5 = await s3("PUT", `/${bucket}/hashed.txt`, { body: "md5 body", headers: { "content-md5": btoa("0123456789abcdef") } });
    expect(wrongMd5.status).toBe(400);
    expect(tag(await wrongMd5.text(), "Code")).toBe("BadDigest");
    expect(await (await s3("GET", `/${bucket}/hashed.txt`)).text()).toBe("signed body");
  });

  it("decodes aws-chunked uploads (the SDKs' streaming form), trailer and all, and refuses broken framing", async () => {
    const encoded = "5\r\nhello\r\n7;chunk-signature=abc\r\n, world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
    const headers = {
      "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
      "content-encoding": "aws-chunked",
      "x-amz-decoded-content-length": "12",
      "x-amz-trailer": "x-amz-checksum-crc32",
    };
    const stored = await s3("PUT", `/${bucket}/chunked.txt`, { body: new TextEncoder().encode(encoded), headers });
    expect(stored.status).toBe(200);
    const got = await s3("GET", `/${bucket}/chunked.txt`);
    expect(await got.text()).toBe("hello, world");
    expect(got.headers.get("content-encoding")).toBeNull();
    const broken = await s3("PUT", `/${bucket}/chunked.txt`, { body: new TextEncoder().encode("5\r\nhel"), headers });
    expect(broken.status).toBe(400);
    expect(tag(await broken.text(), "Code")).toBe("IncompleteBody");
    const pieces = ["5\r", "\nhel", "lo\r\n0\r\n\r\n"].map((p) => new TextEncoder().encode(p));
    const split = decodeAwsChunked(new ReadableStream({ start: (c) => (pieces.forEach((p) => c.enqueue(p)), c.close()) }));
    expect(await new Response(split).text()).toBe("hello");
  });

  it("streams a 24 MiB body in and out unchanged", async () => {
    const size = 24 * 1024 * 1024;
    const chunk = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < size / chunk.length; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const body = new FixedLengthStream(size);
    void stream.pipeTo(body.writable);
    const stored = await s3("PUT", `/${bucket}/big.bin`, { body: body.readable, headers: { "content-length": String(size) } });
    expect(stored.status).toBe(200);
    const got = await s3("GET", `/${bucket}/big.bin`);
    expect(got.headers.get("content-length")).toBe(String(size));
    let total = 0;
    let sample = -1;
    for await (const part of got.body!) {
      if (sample < 0) sample = part[300]!;
      total += part.length;
    }
    expect(total).toBe(size);
    expect(sample).toBe(300 % 251);
  });
});

describe("ListObjectsV2", () => {
  const listBucket = `s3-list-${crypto.randomUUID().slice(0, 8)}`;
  const keys = ["a/1.txt", "a/2.txt", "b.txt", "c/x/1.txt", "c/y.txt", "d.txt", "e/1.txt"];
  const list = async (query: string) => {
    const res = await s3("GET", `/${listBucket}?list-type=2&${query}`);
    expect(res.status).toBe(200);
    return res.text();
  };
  const all = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, "g"))].map((m) => m[1]!);

  it("answers S3's XML document (ETags quoted as &quot;, as S3 writes them)", async () => {
    for (const key of keys) await s3("PUT", `/${listBucket}/${key}`, { body: new Uint8Array([1]) });
    const xml = await list("prefix=a/");
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
    expect(xml).toMatch(
      new RegExp(
        `^[^\\n]*\\n<ListBucketResult[^>]*><Name>${listBucket}</Name><Prefix>a/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>a/1.txt</Key><LastModified>\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z</LastModified><ETag>&quot;[0-9a-f]{32}&quot;</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      ),
    );
  });

  it("groups common prefixes with a delimiter, counting them against max-keys, and pages with continuation tokens", async () => {
    const first = await list("delimiter=/&max-keys=2");
    expect(all(first, "Key")).toEqual(["b.txt"]);
    expect(all(first, "Prefix")).toEqual(["", "a/"]);
    expect(tag(first, "KeyCount")).toBe("2");
    expect(tag(first, "IsTruncated")).toBe("true");
    const seen: string[] = [];
    let token = tag(first, "NextContinuationToken");
    seen.push(...all(first, "Key"), ...all(first, "Prefix").slice(1));
    while (token) {
      const page = await list(`delimiter=/&max-keys=2&continuation-token=${encodeURIComponent(token)}`);
      expect(tag(page, "ContinuationToken")).toBe(token);
      seen.push(...all(page, "Key"), ...all(page, "Prefix").slice(1));
      token = tag(page, "NextContinuationToken");
    }
    expect(seen.sort()).toEqual(["a/", "b.txt", "c/", "d.txt", "e/"]);
  });

  it("pages every key exactly once without a delimiter, starts after start-after, and URL-encodes on request", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await list(`max-keys=3${token ? `&continuation-token=${encodeURIComponent(token)}` : ""}`);
      seen.push(...all(page, "Key"));
      token = tag(page, "NextContinuationToken");
    } while (token);
    expect(seen).toEqual(keys);
    const after = await list("start-after=c/x/1.txt");
    expect(tag(after, "StartAfter")).toBe("c/x/1.txt");
    expect(all(after, "Key")).toEqual(["c/y.txt", "d.txt", "e/1.txt"]);
    await s3("PUT", `/${listBucket}/sp%20ace.txt`, { body: new Uint8Array([1]) });
    const encoded = await list("prefix=sp&encoding-type=url");
    expect(all(encoded, "Key")).toEqual(["sp+ace.txt"]);
    expect(tag(encoded, "EncodingType")).toBe("url");
  });

  it("refuses a bad continuation token and max-keys", async () => {
    const bad = await s3("GET", `/${listBucket}?list-type=2&continuation-token=nonsense`);
    expect(bad.status).toBe(400);
    expect(tag(await bad.text(), "Code")).toBe("InvalidArgument");
    expect((await s3("GET", `/${listBucket}?list-type=2&max-keys=-1`)).status).toBe(400);
  });
});

describe("errors and authentication", () => {
  it("refuses anonymous, wrongly signed and unknown-key requests with S3's codes", async () => {
    const anonymous = await fetchPlain(`/${bucket}/x`);
    expect(anonymous.status).toBe(403);
    expect(tag(await anonymous.text(), "Code")).toBe("AccessDenied");
    const wrong = new AwsClient({ ...CREDENTIALS, secretAccessKey: "wrong", service: "s3", region: "us-east-1", retries: 0 });
    const mismatch = await s3("GET", `/${bucket}/x`, {}, wrong);
    expect(mismatch.status).toBe(403);
    expect(tag(await mismatch.text(), "Code")).toBe("SignatureDoesNotMatch");
    const unknown = new AwsClient({ ...CREDENTIALS, accessKeyId: "AKIAUNKNOWNKEY000000", service: "s3", region: "us-east-1", retries: 0 });
    const unknownKey = await s3("GET", `/${bucket}/x`, {}, unknown);
    expect(tag(await unknownKey.text(), "Code")).toBe("InvalidAccessKeyId");
    const otherRegion = new AwsClient({ ...CREDENTIALS, service: "s3", region: "eu-west-1", retries: 0 });
    const region = await s3("GET", `/${bucket}/x`, {}, otherRegion);
    expect(region.status).toBe(400);
    const regionXml = await region.text();
    expect(tag(regionXml, "Code")).toBe("AuthorizationHeaderMalformed");
    expect(tag(regionXml, "Region")).toBe("us-east-1");
  });

  it("refuses invalid bucket names, answers NoSuchBucket for buckets outside a configured list, and NotImplemented for what it lacks", async () => {
    const invalid = await s3("GET", "/Bad_Bucket/x");
    expect(invalid.status).toBe(400);
    expect(tag(await invalid.text(), "Code")).toBe("InvalidBucketName");
    await local("PUT", "/__emulator/config", { s3Buckets: [bucket] });
    try {
      const missing = await s3("GET", "/no-such-bucket-here/x");
      expect(missing.status).toBe(404);
      const xml = await missing.text();
      expect(tag(xml, "Code")).toBe("NoSuchBucket");
      expect(tag(xml, "BucketName")).toBe("no-such-bucket-here");
      expect((await s3("HEAD", `/${bucket}`)).status).toBe(200);
    } finally {
      await local("PUT", "/__emulator/config", { s3Buckets: "*" });
    }
    const multipart = await s3("POST", `/${bucket}/x?uploads`);
    expect(multipart.status).toBe(501);
    expect(tag(await multipart.text(), "Code")).toBe("NotImplemented");
  });

  it("routes by the signing service: an s3-signed /run/1 is an object, an omics-signed one a run", async () => {
    expect((await s3("PUT", "/run/1", { body: new Uint8Array([7]) })).status).toBe(200);
    expect(new Uint8Array(await (await s3("GET", "/run/1")).arrayBuffer())).toEqual(new Uint8Array([7]));
    const log = (await local("GET", "/__emulator/requests")).json.requests as { service: string; operation: string }[];
    expect(log.filter((e) => e.service === "s3").map((e) => e.operation)).toEqual(expect.arrayContaining(["PutObject", "GetObject"]));
  });

  it("injects S3 faults per operation: SlowDown 503 for a throttle, InternalError 500 for an error", async () => {
    await put("faulty.txt", "f");
    await local("POST", "/__emulator/faults", { service: "s3", operation: "GetObject", kind: "throttle", count: 1 });
    const throttled = await s3("GET", `/${bucket}/faulty.txt`);
    expect(throttled.status).toBe(503);
    expect(tag(await throttled.text(), "Code")).toBe("SlowDown");
    await local("POST", "/__emulator/faults", { operation: "GetObject", kind: "error", count: 1 });
    const failed = await s3("GET", `/${bucket}/faulty.txt`);
    expect(failed.status).toBe(500);
    expect(tag(await failed.text(), "Code")).toBe("InternalError");
    expect(await (await s3("GET", `/${bucket}/faulty.txt`)).text()).toBe("f");
    expect((await local("POST", "/__emulator/faults", { service: "s3", operation: "GetRun", kind: "error" })).status).toBe(400);
  });
});

describe("presigned URLs", () => {
  it("serves a presigned GET, with response-* overrides", async () => {
    await put("shared/report.txt", "report");
    const url = await presign(`/${bucket}/shared/report.txt?response-content-disposition=${encodeURIComponent('attachment; filename="r.txt"')}`, 300);
    expect(url).toContain("X-Amz-Signature=");
    const res = await fetchPlain(url.replace("http://127.0.0.1:8788", ""));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("report");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="r.txt"');
  });

  it("refuses an expired URL (AccessDenied, Request has expired), an expiry over a week, and a tampered one", async () => {
    await put("shared/old.txt", "old");
    const signedAt = new Date(Date.now() - 120_000)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const expired = await fetchPlain((await presign(`/${bucket}/shared/old.txt`, 60, signedAt)).replace("http://127.0.0.1:8788", ""));
    expect(expired.status).toBe(403);
    const xml = await expired.text();
    expect(tag(xml, "Code")).toBe("AccessDenied");
    expect(tag(xml, "Message")).toBe("Request has expired");
    expect(tag(xml, "X-Amz-Expires")).toBe("60");
    const long = await fetchPlain((await presign(`/${bucket}/shared/old.txt`, 604_801)).replace("http://127.0.0.1:8788", ""));
    expect(long.status).toBe(400);
    expect(tag(await long.text(), "Code")).toBe("AuthorizationQueryParametersError");
    const week = await fetchPlain((await presign(`/${bucket}/shared/old.txt`, 604_800)).replace("http://127.0.0.1:8788", ""));
    expect(week.status).toBe(200);
    await week.text();
    const tampered = (await presign(`/${bucket}/shared/old.txt`, 60)).replace("old.txt", "other.txt").replace("http://127.0.0.1:8788", "");
    const refused = await fetchPlain(tampered);
    expect(refused.status).toBe(403);
    expect(tag(await refused.text(), "Code")).toBe("SignatureDoesNotMatch");
  });
});
