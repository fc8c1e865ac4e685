/**
 * Which S3 operation a path-style request names (`/<bucket>/<key>`), and the bucket-name rules.
 * Pure: method, path and query in, operation out.
 */
import { S3Error, s3Errors } from "./errors";

/** The S3 operations the emulator implements (docs/emulator.md, "S3"). */
export const S3_OPERATIONS = ["PutObject", "GetObject", "HeadObject", "DeleteObject", "ListObjectsV2", "HeadBucket", "GetBucketLocation"] as const;
/** One of them. */
export type S3Operation = (typeof S3_OPERATIONS)[number];

/** A request resolved to its operation, bucket and key. */
export interface S3Target {
  operation: S3Operation;
  bucket: string;
  /** The object key (decoded); "" for bucket operations. */
  key: string;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new S3Error(400, "InvalidURI", "Couldn't parse the specified URI.");
  }
}

/**
 * The operation a request names. Everything S3 has that the emulator lacks (ListBuckets,
 * multipart uploads, CopyObject, DeleteObjects, ACLs, ...) is a NotImplemented error naming it.
 */
export function resolveS3Target(method: string, path: string, query: URLSearchParams, headers: Headers): S3Target {
  const slash = path.indexOf("/", 1);
  const bucket = decode(slash < 0 ? path.slice(1) : path.slice(1, slash));
  const key = slash < 0 ? "" : decode(path.slice(slash + 1));
  if (bucket === "") throw s3Errors.notImplemented(method === "GET" ? "ListBuckets" : `${method} /`);
  const subresources = ["uploads", "uploadId", "delete", "acl", "tagging", "versioning", "policy", "cors", "lifecycle", "versions", "attributes", "restore"];
  const sub = subresources.find((name) => query.has(name));
  if (sub) throw s3Errors.notImplemented(`the ?${sub} subresource`);
  if (key === "") {
    if (method === "GET" && query.has("location")) return { operation: "GetBucketLocation", bucket, key };
    if (method === "GET" && query.get("list-type") === "2") return { operation: "ListObjectsV2", bucket, key };
    if (method === "GET") throw s3Errors.notImplemented("ListObjects (version 1): use list-type=2");
    if (method === "HEAD") return { operation: "HeadBucket", bucket, key };
    throw s3Errors.notImplemented(method === "PUT" ? "CreateBucket (buckets exist as soon as they are named)" : `${method} on a bucket`);
  }
  if (method === "PUT" && headers.has("x-amz-copy-source")) throw s3Errors.notImplemented("CopyObject");
  if (method === "PUT") return { operation: "PutObject", bucket, key };
  if (method === "GET") return { operation: "GetObject", bucket, key };
  if (method === "HEAD") return { operation: "HeadObject", bucket, key };
  if (method === "DELETE") return { operation: "DeleteObject", bucket, key };
  throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.", { Method: method, ResourceType: "OBJECT" });
}

/**
 * S3's general purpose bucket naming rules: 3–63 characters of lower-case letters, digits, dots
 * and hyphens, starting and ending with a letter or digit, no `..`, not an IP address, and none
 * of the reserved prefixes and suffixes (S3 User Guide, "Bucket naming rules").
 */
export function isValidBucketName(name: string): boolean {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) return false;
  if (name.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return false;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return false;
  return !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name);
}

/** Object keys are at most 1,024 bytes of UTF-8 in S3; here less the bucket name and a slash (they share R2's 1,024-byte key). */
export function maxKeyBytes(bucket: string): number {
  return 1024 - new TextEncoder().encode(bucket).length - 1;
}
