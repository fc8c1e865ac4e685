/**
 * SigV4 verification: AWS's worked example (IAM ListUsers, 20150830T123600Z) reproduced exactly,
 * then requests signed by aws4fetch accepted, and tampered ones rejected with AWS's error types.
 */
import { AwsClient } from "aws4fetch";
import { describe, expect, it } from "vitest";
import { authenticateS3 } from "../../emulator/src/s3/auth";
import { canonicalQuery, canonicalUri, canonicalUriS3, computeSignature, sha256Hex, verifySignature, type SignedParts } from "../../emulator/src/sigv4";

const EXAMPLE_KEY = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "iam" };
const EXAMPLE_TIME = Date.UTC(2015, 7, 30, 12, 36, 0);
const SETTINGS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "omics" };

/** AWS's example: GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08 (IAM User Guide, "Signature Version 4" examples). */
function iamExample(): SignedParts {
  return {
    method: "GET",
    path: "/",
    query: "Action=ListUsers&Version=2010-05-08",
    headers: new Headers({
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      host: "iam.amazonaws.com",
      "x-amz-date": "20150830T123600Z",
    }),
    body: new Uint8Array(),
  };
}

async function partsOf(request: Request): Promise<SignedParts> {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname,
    query: url.search.slice(1),
    headers: request.headers,
    body: new Uint8Array(await request.arrayBuffer()),
    host: url.host,
  };
}

const client = new AwsClient({ ...SETTINGS, retries: 0 });

describe("AWS's worked example", () => {
  it("reproduces the canonical request hash and the signature", async () => {
    const parts = iamExample();
    const result = await computeSignature(parts, ["content-type", "host", "x-amz-date"], await sha256Hex(""), "20150830T123600Z", EXAMPLE_KEY);
    expect(await sha256Hex(result.canonicalRequest)).toBe("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
    expect(result.signature).toBe("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  });

  it("verifies the example's Authorization header", async () => {
    const parts = iamExample();
    parts.headers.set(
      "authorization",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    );
    expect(await verifySignature(parts, EXAMPLE_KEY, EXAMPLE_TIME)).toEqual({ ok: true, accessKeyId: "AKIDEXAMPLE" });
    expect(await verifySignature(parts, { ...EXAMPLE_KEY, secretAccessKey: "other" }, EXAMPLE_TIME)).toMatchObject({
      ok: false,
      type: "InvalidSignatureException",
    });
  });
});

describe("canonical forms", () => {
  it("double-encodes path segments (non-S3 services) and sorts the query", () => {
    expect(canonicalUri("/run/123/task")).toBe("/run/123/task");
    expect(canonicalUri("/a%20b/c")).toBe("/a%2520b/c");
    expect(canonicalUri("/a/./b/../c")).toBe("/a/c");
    expect(canonicalQuery("b=2&a=1&a=0&c=x%2Fy&d")).toBe("a=0&a=1&b=2&c=x%2Fy&d=");
    expect(canonicalQuery("name=a b")).toBe("name=a%20b");
  });
});

describe("requests signed by aws4fetch", () => {
  const url = "http://workflows-omics.us-east-1.amazonaws.com/run?maxResults=5&status=RUNNING";

  it("accepts a valid signature on any host", async () => {
    for (const host of [url, "http://127.0.0.1:8788/run/1234567", "http://localhost/workflow/1000001?type=PRIVATE"]) {
      const signed = await client.sign(host, { method: "GET" });
      expect(await verifySignature(await partsOf(signed), SETTINGS, Date.now())).toMatchObject({ ok: true });
    }
  });

  it("accepts a signed body and rejects a tampered one", async () => {
    const signed = await client.sign("http://127.0.0.1/run", { method: "POST", body: JSON.stringify({ requestId: "a" }) });
    expect(await verifySignature(await partsOf(signed.clone()), SETTINGS, Date.now())).toMatchObject({ ok: true });
    const tampered = new Request(signed.url, { method: "POST", headers: signed.headers, body: JSON.stringify({ requestId: "b" }) });
    expect(await verifySignature(await partsOf(tampered), SETTINGS, Date.now())).toMatchObject({ ok: false, type: "InvalidSignatureException" });
  });

  it("rejects a wrong secret, an unknown key, a missing header and a stale or future date", async () => {
    const wrongSecret = await new AwsClient({ ...SETTINGS, secretAccessKey: "not-the-secret", retries: 0 }).sign(url);
    expect(await verifySignature(await partsOf(wrongSecret), SETTINGS, Date.now())).toMatchObject({ ok: false, type: "InvalidSignatureException" });
    const unknownKey = await new AwsClient({ ...SETTINGS, accessKeyId: "AKIAUNKNOWN000000000", retries: 0 }).sign(url);
    expect(await verifySignature(await partsOf(unknownKey), SETTINGS, Date.now())).toMatchObject({ ok: false, type: "UnrecognizedClientException" });
    expect(await verifySignature(await partsOf(new Request(url)), SETTINGS, Date.now())).toMatchObject({
      ok: false,
      type: "MissingAuthenticationTokenException",
    });
    const old = await client.sign(url, { aws: { datetime: "20150830T123600Z" } });
    const stale = await verifySignature(await partsOf(old), SETTINGS, Date.now());
    expect(stale).toMatchObject({ ok: false, type: "InvalidSignatureException" });
    expect(stale.ok ? "" : stale.message).toMatch(/^Signature expired: 20150830T123600Z is now earlier than/);
    const future = await verifySignature(await partsOf(old), SETTINGS, EXAMPLE_TIME - 16 * 60 * 1000);
    expect(future).toMatchObject({ ok: false, type: "InvalidSignatureException" });
    expect(await verifySignature(await partsOf(old), SETTINGS, EXAMPLE_TIME + 14 * 60 * 1000)).toMatchObject({ ok: true });
  });

  it("rejects another region or service scope", async () => {
    const otherRegion = await new AwsClient({ ...SETTINGS, region: "eu-west-1", retries: 0 }).sign(url);
    expect(await verifySignature(await partsOf(otherRegion), SETTINGS, Date.now())).toMatchObject({ ok: false, type: "InvalidSignatureException" });
    const otherService = await new AwsClient({ ...SETTINGS, service: "s3", retries: 0 }).sign(url);
    expect(await verifySignature(await partsOf(otherService), SETTINGS, Date.now())).toMatchObject({ ok: false, type: "InvalidSignatureException" });
  });

  it("accepts a session token when one is signed", async () => {
    const signed = await new AwsClient({ ...SETTINGS, sessionToken: "token-123", retries: 0 }).sign(url);
    expect(signed.headers.get("x-amz-security-token")).toBe("token-123");
    expect(await verifySignature(await partsOf(signed), SETTINGS, Date.now())).toMatchObject({ ok: true });
  });
});

describe("S3's worked examples (S3 API Reference, 'Signature Calculations for the Authorization Header' and 'Query String Authentication')", () => {
  const S3_KEY = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "s3" };
  const vars = {
    EMULATOR_ACCESS_KEY_ID: S3_KEY.accessKeyId,
    EMULATOR_SECRET_ACCESS_KEY: S3_KEY.secretAccessKey,
    EMULATOR_REGION: "us-east-1",
    EMULATOR_ACCOUNT_ID: "123456789012",
    EMULATOR_TIME_SCALE: "1",
  };
  const at = Date.UTC(2013, 4, 24, 0, 0, 0);

  it("signs GET /test.txt with a Range header as S3's example does (canonical URI encoded once)", async () => {
    const parts: SignedParts = {
      method: "GET",
      path: "/test.txt",
      query: "",
      headers: new Headers({
        host: "examplebucket.s3.amazonaws.com",
        range: "bytes=0-9",
        "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "x-amz-date": "20130524T000000Z",
      }),
      body: new Uint8Array(),
    };
    const result = await computeSignature(
      parts,
      ["host", "range", "x-amz-content-sha256", "x-amz-date"],
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "20130524T000000Z",
      S3_KEY,
      "s3",
    );
    expect(result.signature).toBe("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    expect(canonicalUriS3("/a%20b//c/../d")).toBe("/a%20b//c/../d");
  });

  it("accepts S3's presigned example URL within its 86400 s, and refuses it after", async () => {
    const parts: SignedParts = {
      method: "GET",
      path: "/test.txt",
      query:
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
      headers: new Headers({ host: "examplebucket.s3.amazonaws.com" }),
      body: new Uint8Array(),
    };
    await expect(authenticateS3(parts, vars, at + 3_600_000, false)).resolves.toMatchObject({ presigned: true, accessKeyId: "AKIAIOSFODNN7EXAMPLE" });
    await expect(authenticateS3(parts, vars, at + 86_401_000, false)).rejects.toMatchObject({ code: "AccessDenied", message: "Request has expired" });
    const tampered = { ...parts, query: parts.query.replace("X-Amz-Expires=86400", "X-Amz-Expires=86401") };
    await expect(authenticateS3(tampered, vars, at + 3_600_000, false)).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
  });
});
