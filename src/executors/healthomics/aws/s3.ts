/**
 * The service's S3 client: SigV4 (aws4fetch, service `s3`), virtual-hosted URLs on AWS and
 * path-style ones when `AWS_S3_ENDPOINT` is set (the emulator), S3's XML errors mapped onto the
 * same plain-data errors as HealthOmics calls. Bodies are streamed (`UNSIGNED-PAYLOAD`), never
 * read into memory here. One method per operation; `send` is the shared exchange that further
 * operations (HeadObject, ListObjectsV2, presigned GETs) build on.
 * Reference: Amazon S3 API Reference (PutObject, DeleteObject; "Authenticating Requests (AWS
 * Signature Version 4)"; "Virtual hosting of buckets").
 */
import { AwsClient } from "aws4fetch";
import { localOmicsError, parseOmicsError, redactSecrets, type OmicsResult } from "../client/errors";
import type { AwsCredentials } from "../client/transport";

/** Settings of an `S3Client`. */
export interface S3ClientOptions {
  region: string;
  /** Static credentials, used when `credentials` is not set. */
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  /** A provider of fresh credentials (assumed role; credentials.ts), asked before every call. */
  credentials?: (() => Promise<OmicsResult<AwsCredentials>>) | undefined;
  /** An S3-compatible endpoint addressed path-style (`<endpoint>/<bucket>/<key>`); default AWS. */
  endpoint?: string | undefined;
  /** Per-call deadline in ms covering the response (default 60 000: uploads are larger than API calls). */
  timeoutMs?: number | undefined;
  /** Stand-in for the global `fetch` (tests). */
  fetch?: typeof fetch | undefined;
}

/** A body PutObject accepts: bytes in memory, or a stream of known length. */
export type S3Body = string | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array>;

/** Options of PutObject. */
export interface PutObjectOptions {
  /** Required for a stream body (S3 refuses uploads without `Content-Length`). */
  contentLength?: number;
  contentType?: string;
}

/** One S3 request, before signing. */
export interface S3Request {
  /** Name used in error messages and call records (`PutObject`, `HeadObject`, …). */
  operation: string;
  method: "GET" | "PUT" | "HEAD" | "DELETE" | "POST";
  bucket: string;
  /** Object key; empty for bucket-level operations such as ListObjectsV2. */
  key?: string;
  query?: URLSearchParams;
  headers?: Record<string, string>;
  body?: S3Body;
  /** Length of a stream body (sent as `Content-Length`). */
  contentLength?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const REGION = /^[a-z0-9-]{1,40}$/;

/**
 * Encodes an object key for a URL path as S3's canonical URI wants it: every byte but the
 * unreserved ones and `/` percent-encoded (RFC 3986), so aws4fetch's decode-and-re-encode of the
 * path gives back the same string and the signature matches what S3 computes.
 */
export function encodeKey(key: string): string {
  return key
    .split("/")
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}

/**
 * The URL of a bucket or object. With an endpoint: path-style. On AWS: virtual-hosted
 * (`https://<bucket>.s3.<region>.amazonaws.com/<key>`), except for bucket names with dots, which
 * do not match the wildcard TLS certificate and are addressed path-style, as the AWS SDKs do.
 */
export function s3Url(region: string, bucket: string, key = "", endpoint?: string): string {
  const path = key ? `/${encodeKey(key)}` : "/";
  if (endpoint) return `${endpoint.replace(/\/+$/, "")}/${bucket}${key ? path : ""}`;
  if (!REGION.test(region)) throw new TypeError(`Invalid AWS region: ${JSON.stringify(region)}`);
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  if (bucket.includes(".")) return `https://s3.${region}.${suffix}/${bucket}${key ? path : ""}`;
  return `https://${bucket}.s3.${region}.${suffix}${path}`;
}

/** Splits `s3://bucket/key` into its parts; undefined for anything else. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match?.[1]) return undefined;
  return { bucket: match[1], key: match[2] ?? "" };
}

function xmlElement(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return match?.[1]
    ?.replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

function message(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e);
}

/**
 * A stream body with a known length: workerd sends a plain ReadableStream chunked (S3 answers
 * 411 MissingContentLength), a FixedLengthStream with `Content-Length`.
 */
function sized(body: S3Body, contentLength: number | undefined): BodyInit {
  if (!(body instanceof ReadableStream)) return body as BodyInit;
  if (contentLength === undefined) throw new TypeError("A stream body needs its contentLength");
  const fixed = new FixedLengthStream(contentLength);
  // Errors surface on the fetch that reads the other end.
  body.pipeTo(fixed.writable).catch(() => {});
  return fixed.readable;
}

/** Signs and sends S3 requests. Never throws: every outcome is an `OmicsResult`. */
export class S3Client {
  readonly #options: S3ClientOptions;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(options: S3ClientOptions) {
    this.#options = options;
    const f = options.fetch ?? fetch;
    // workerd's fetch throws "Illegal invocation" unless called with globalThis as receiver.
    this.#fetch = (input, init) => f.call(globalThis, input, init);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The URL of an object (path-style with an endpoint). */
  url(bucket: string, key = ""): string {
    return s3Url(this.#options.region, bucket, key, this.#options.endpoint);
  }

  /** The credentials to sign with now. */
  async credentials(): Promise<OmicsResult<AwsCredentials>> {
    if (this.#options.credentials) return this.#options.credentials();
    const { accessKeyId, secretAccessKey, sessionToken } = this.#options;
    return { ok: true, value: sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey } };
  }

  /** A signer for these credentials (service `s3`, no retries of its own: callers schedule retries). */
  signer(credentials: AwsCredentials): AwsClient {
    return new AwsClient({ ...credentials, service: "s3", region: this.#options.region, retries: 0 });
  }

  /**
   * Sends one request and returns the response when it is 2xx (body unread), otherwise S3's
   * error as an `OmicsError` (its `Code` as `type`). Network failures and timeouts are retryable.
   */
  async send(request: S3Request): Promise<OmicsResult<Response>> {
    const current = await this.credentials();
    if (!current.ok) return current;
    const secrets = [current.value.secretAccessKey, current.value.sessionToken, current.value.accessKeyId];
    const query = request.query?.toString();
    const url = `${this.url(request.bucket, request.key)}${query ? `?${query}` : ""}`;
    const signal = AbortSignal.timeout(this.#timeoutMs);
    const what = `S3 ${request.operation} of s3://${request.bucket}/${request.key ?? ""}`;
    let response: Response;
    try {
      const headers: Record<string, string> = { ...request.headers };
      if (request.body !== undefined) headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
      const signed = await this.signer(current.value).sign(url, {
        method: request.method,
        headers,
        ...(request.body !== undefined ? { body: sized(request.body, request.contentLength) } : {}),
        signal,
        // S3 redirects to another region with 301/307; following would resend a signed request elsewhere.
        redirect: "manual",
      });
      response = await this.#fetch(signed);
    } catch (e) {
      const timedOut = signal.aborted;
      const error = localOmicsError(
        timedOut ? "Timeout" : "NetworkError",
        redactSecrets(`${what} failed: ${timedOut ? `no answer within ${this.#timeoutMs} ms` : message(e)}`, secrets),
      );
      return { ok: false, error };
    }
    if (response.ok) return { ok: true, value: response };
    const text = request.method === "HEAD" ? "" : await response.text().catch(() => "");
    const code = xmlElement(text, "Code");
    const parsed = parseOmicsError(
      response.status,
      code ? { "x-amzn-errortype": code } : response.headers,
      JSON.stringify({ message: xmlElement(text, "Message") ?? response.statusText }),
    );
    return { ok: false, error: { ...parsed, message: redactSecrets(`${what}: ${parsed.message}`, secrets) } };
  }

  /**
   * PutObject. A stream body is sent as it arrives (never buffered) and needs `contentLength`.
   * Returns the object's ETag.
   */
  async putObject(bucket: string, key: string, body: S3Body, options: PutObjectOptions = {}): Promise<OmicsResult<{ etag: string }>> {
    const headers: Record<string, string> = {};
    if (options.contentType) headers["content-type"] = options.contentType;
    const result = await this.send({
      operation: "PutObject",
      method: "PUT",
      bucket,
      key,
      headers,
      body,
      ...(options.contentLength !== undefined ? { contentLength: options.contentLength } : {}),
    });
    if (!result.ok) return result;
    await result.value.body?.cancel();
    return { ok: true, value: { etag: result.value.headers.get("etag") ?? "" } };
  }

  /** DeleteObject (S3 answers 204 whether or not the key existed). */
  async deleteObject(bucket: string, key: string): Promise<OmicsResult<void>> {
    const result = await this.send({ operation: "DeleteObject", method: "DELETE", bucket, key });
    if (!result.ok) return result;
    await result.value.body?.cancel();
    return { ok: true, value: undefined };
  }
}
