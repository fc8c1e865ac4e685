/**
 * S3's errors: an HTTP status, a code and a message, sent as `<Error>` XML with the request id
 * (nothing in the body of a HEAD answer, as S3 does). Codes and messages are S3's own (S3 API
 * Reference, "Error responses" / "List of error codes").
 */
import { element, XML_DECLARATION } from "./xml";

/** An S3 error to answer with; `extra` adds elements after `<Message>` (e.g. `<Key>`). */
export class S3Error extends Error {
  readonly status: number;
  readonly code: string;
  readonly extra: Record<string, string>;
  constructor(status: number, code: string, message: string, extra: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

/** The headers every S3 answer carries. */
export function s3Headers(requestId: string): Record<string, string> {
  return { "x-amz-request-id": requestId, "x-amz-id-2": btoa(requestId), server: "AmazonS3" };
}

/** The XML error response (empty body for HEAD). */
export function s3ErrorResponse(error: S3Error, requestId: string, method: string): Response {
  const headers = s3Headers(requestId);
  if (method === "HEAD") return new Response(null, { status: error.status, headers });
  const extra = Object.entries(error.extra)
    .map(([name, value]) => element(name, value))
    .join("");
  const body = `${XML_DECLARATION}<Error>${element("Code", error.code)}${element("Message", error.message)}${extra}${element("RequestId", requestId)}${element("HostId", btoa(requestId))}</Error>`;
  return new Response(body, { status: error.status, headers: { ...headers, "content-type": "application/xml" } });
}

/** The common errors, with S3's wording. */
export const s3Errors = {
  accessDenied: () => new S3Error(403, "AccessDenied", "Access Denied"),
  noSuchKey: (key: string) => new S3Error(404, "NoSuchKey", "The specified key does not exist.", { Key: key }),
  noSuchBucket: (bucket: string) => new S3Error(404, "NoSuchBucket", "The specified bucket does not exist", { BucketName: bucket }),
  invalidBucketName: (bucket: string) => new S3Error(400, "InvalidBucketName", "The specified bucket is not valid.", { BucketName: bucket }),
  notImplemented: (what: string) =>
    new S3Error(501, "NotImplemented", `A header you provided implies functionality that is not implemented (the emulator's S3 does not implement ${what})`),
  signatureMismatch: (accessKeyId: string) =>
    new S3Error(
      403,
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
      {
        AWSAccessKeyId: accessKeyId,
      },
    ),
  invalidAccessKey: (accessKeyId: string) =>
    new S3Error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", { AWSAccessKeyId: accessKeyId }),
  slowDown: () => new S3Error(503, "SlowDown", "Please reduce your request rate."),
  internalError: () => new S3Error(500, "InternalError", "We encountered an internal error. Please try again."),
};
