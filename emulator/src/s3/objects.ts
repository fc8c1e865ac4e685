/**
 * PutObject, GetObject (with Range and If-Match / If-None-Match), HeadObject and DeleteObject on
 * the R2 bucket that holds the emulated S3 (keys `<bucket>/<key>`). Bodies stream straight
 * between the request and R2, never whole in memory. A signed payload hash, or Content-MD5, is
 * handed to R2, which refuses the write when the bytes differ (so a bad upload never replaces an
 * object). R2 keeps the metadata S3 answers with: size, ETag (the MD5 of a single-part upload, as
 * S3's), upload time, content headers and `x-amz-meta-*`.
 */
import { decodeAwsChunked } from "./chunked";
import { S3Error, s3Errors } from "./errors";
import { parseRange } from "./range";
import { maxKeyBytes } from "./request";

/** The headers PutObject stores and GetObject/HeadObject return. */
const CONTENT_HEADERS: [string, keyof R2HTTPMetadata][] = [
  ["content-type", "contentType"],
  ["content-encoding", "contentEncoding"],
  ["content-disposition", "contentDisposition"],
  ["content-language", "contentLanguage"],
  ["cache-control", "cacheControl"],
];

/** GetObject's `response-*` query parameters override these answer headers (presigned download links use them). */
const OVERRIDES: Record<string, string> = {
  "response-content-type": "content-type",
  "response-content-disposition": "content-disposition",
  "response-content-encoding": "content-encoding",
  "response-content-language": "content-language",
  "response-cache-control": "cache-control",
  "response-expires": "expires",
};

function storageKey(bucket: string, key: string): string {
  if (new TextEncoder().encode(key).length > maxKeyBytes(bucket)) {
    throw new S3Error(400, "KeyTooLongError", "Your key is too long", { MaxSizeAllowed: String(maxKeyBytes(bucket)) });
  }
  return `${bucket}/${key}`;
}

function base64ToHex(text: string): string | undefined {
  try {
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    return bytes.length === 16 ? [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("") : undefined;
  } catch {
    return undefined;
  }
}

/** The object's answer headers (GET and HEAD). */
function objectHeaders(object: R2Object, query: URLSearchParams): Headers {
  const headers = new Headers({
    etag: object.httpEtag,
    "last-modified": object.uploaded.toUTCString(),
    "accept-ranges": "bytes",
    "content-type": object.httpMetadata?.contentType ?? "binary/octet-stream",
  });
  for (const [header, field] of CONTENT_HEADERS) {
    const value = object.httpMetadata?.[field];
    if (typeof value === "string" && header !== "content-type") headers.set(header, value);
  }
  if (object.httpMetadata?.cacheExpiry) headers.set("expires", object.httpMetadata.cacheExpiry.toUTCString());
  for (const [name, value] of Object.entries(object.customMetadata ?? {})) headers.set(`x-amz-meta-${name}`, value);
  for (const [param, header] of Object.entries(OVERRIDES)) {
    const value = query.get(param);
    if (value !== null) headers.set(header, value);
  }
  return headers;
}

/** Whether the upload is aws-chunked (the SDKs' streaming uploads). */
function isChunked(headers: Headers, payloadHash: string): boolean {
  return payloadHash.startsWith("STREAMING-") || (headers.get("content-encoding") ?? "").split(",").some((e) => e.trim() === "aws-chunked");
}

/** The body to store and its length: decoded from aws-chunked when so encoded. */
function storedBody(request: { headers: Headers; body: ReadableStream<Uint8Array> | null }, payloadHash: string): ReadableStream<Uint8Array> | string {
  if (request.body === null) return "";
  if (!isChunked(request.headers, payloadHash)) {
    if (request.headers.get("content-length") === null) throw new S3Error(411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
    return request.body;
  }
  const decoded = request.headers.get("x-amz-decoded-content-length");
  if (decoded === null || !/^\d+$/.test(decoded))
    throw new S3Error(411, "MissingContentLength", "You must provide the x-amz-decoded-content-length header for aws-chunked uploads.");
  // R2 needs the length of a streamed body up front: the decoded length the client declared.
  const fixed = new FixedLengthStream(Number(decoded));
  decodeAwsChunked(request.body)
    .pipeTo(fixed.writable)
    .catch(() => undefined);
  return fixed.readable;
}

/** PUT /bucket/key → 200 with the ETag. */
export async function putObject(
  objects: R2Bucket,
  bucket: string,
  key: string,
  request: { headers: Headers; body: ReadableStream<Uint8Array> | null },
  payloadHash: string,
): Promise<Response> {
  const target = storageKey(bucket, key);
  const body = storedBody(request, payloadHash);
  const httpMetadata: R2HTTPMetadata = {};
  for (const [header, field] of CONTENT_HEADERS) {
    const value = request.headers.get(header);
    if (value !== null) (httpMetadata as Record<string, string>)[field] = value;
  }
  // aws-chunked is how the body travelled, not how it is stored (S3 drops it too).
  const encoding = httpMetadata.contentEncoding
    ?.split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "aws-chunked" && e !== "")
    .join(", ");
  if (encoding) httpMetadata.contentEncoding = encoding;
  else delete httpMetadata.contentEncoding;
  const expires = request.headers.get("expires");
  if (expires !== null && !Number.isNaN(Date.parse(expires))) httpMetadata.cacheExpiry = new Date(expires);
  const customMetadata: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (name.startsWith("x-amz-meta-")) customMetadata[name.slice("x-amz-meta-".length)] = value;
  });
  const options: R2PutOptions = { httpMetadata, customMetadata };
  if (/^[0-9a-f]{64}$/.test(payloadHash)) options.sha256 = payloadHash;
  const md5 = request.headers.get("content-md5");
  if (md5 !== null) {
    const hex = base64ToHex(md5);
    if (!hex) throw new S3Error(400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
    options.md5 = hex;
  }
  let stored: R2Object | null;
  try {
    stored = await objects.put(target, body, options);
  } catch (error) {
    const text = String(error);
    if (/SHA-256/i.test(text))
      throw new S3Error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
    if (/MD5/i.test(text)) throw new S3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
    // A body shorter or longer than declared, or broken aws-chunked framing.
    throw new S3Error(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.");
  }
  return new Response(null, { status: 200, headers: { etag: stored!.httpEtag } });
}

/** Whether the request's If-Match / If-None-Match let the answer through: 412 / 304 otherwise. */
function checkConditions(object: R2Object, headers: Headers): Response | undefined {
  const tags = (value: string) => value.split(",").map((t) => t.trim().replace(/^W\//, ""));
  const ifMatch = headers.get("if-match");
  if (ifMatch !== null && !tags(ifMatch).some((t) => t === "*" || t === object.httpEtag)) {
    throw new S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", { Condition: "If-Match" });
  }
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== null && tags(ifNoneMatch).some((t) => t === "*" || t === object.httpEtag)) {
    return new Response(null, { status: 304, headers: { etag: object.httpEtag, "last-modified": object.uploaded.toUTCString() } });
  }
  return undefined;
}

/** GET or HEAD /bucket/key: the object (or the asked range of it) with its headers. */
export async function getObject(
  objects: R2Bucket,
  bucket: string,
  key: string,
  method: "GET" | "HEAD",
  headers: Headers,
  query: URLSearchParams,
): Promise<Response> {
  const target = storageKey(bucket, key);
  const head = await objects.head(target);
  if (!head) throw s3Errors.noSuchKey(key);
  const notModified = checkConditions(head, headers);
  if (notModified) return notModified;
  const answer = objectHeaders(head, query);
  const range = method === "GET" ? parseRange(headers.get("range"), head.size) : undefined;
  if (range === "unsatisfiable") {
    throw new S3Error(416, "InvalidRange", "The requested range is not satisfiable", {
      RangeRequested: headers.get("range") ?? "",
      ActualObjectSize: String(head.size),
    });
  }
  if (method === "HEAD") {
    answer.set("content-length", String(head.size));
    return new Response(null, { status: 200, headers: answer });
  }
  const object = await objects.get(target, range ? { range } : {});
  // Deleted between the HEAD and the GET.
  if (!object || !("body" in object)) throw s3Errors.noSuchKey(key);
  if (range) {
    answer.set("content-range", `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`);
    answer.set("content-length", String(range.length));
    return new Response(object.body, { status: 206, headers: answer });
  }
  answer.set("content-length", String(head.size));
  return new Response(object.body, { status: 200, headers: answer });
}

/** DELETE /bucket/key → 204, whether or not the object existed (as S3 without versioning). */
export async function deleteObject(objects: R2Bucket, bucket: string, key: string): Promise<Response> {
  await objects.delete(storageKey(bucket, key));
  return new Response(null, { status: 204 });
}
