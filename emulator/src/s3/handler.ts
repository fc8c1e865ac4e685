/**
 * The emulated S3 (path-style `/<bucket>/<key>`, SigV4 service `s3`): authenticate, resolve the
 * operation, ask the state object for faults, quota and the bucket's existence (which also writes
 * completed runs' outputs into the bucket), perform the operation on R2, log it. Every bucket
 * with a valid name exists (auto-created) unless EMULATOR_S3_BUCKETS / `s3Buckets` lists the
 * buckets that do.
 */
import { type FrontRequest, signedParts } from "../front";
import { delay, dropped } from "../http";
import type { Admission } from "../state";
import { authenticateS3 } from "./auth";
import { S3Error, s3ErrorResponse, s3Errors, s3Headers } from "./errors";
import { listObjectsV2, listParams } from "./list";
import { deleteObject, getObject, putObject } from "./objects";
import { isValidBucketName, resolveS3Target, type S3Target } from "./request";
import { S3_NAMESPACE, XML_DECLARATION } from "./xml";

function xml(body: string): Response {
  return new Response(body, { status: 200, headers: { "content-type": "application/xml" } });
}

async function perform(front: FrontRequest, target: S3Target, payloadHash: string): Promise<Response> {
  const { request, url, objects, vars } = front;
  switch (target.operation) {
    case "PutObject":
      return putObject(objects, target.bucket, target.key, { headers: request.headers, body: request.body }, payloadHash);
    case "GetObject":
    case "HeadObject":
      return getObject(objects, target.bucket, target.key, request.method as "GET" | "HEAD", request.headers, url.searchParams);
    case "DeleteObject":
      return deleteObject(objects, target.bucket, target.key);
    case "ListObjectsV2":
      return xml(await listObjectsV2(objects, target.bucket, listParams(url.searchParams)));
    case "GetBucketLocation": {
      // us-east-1 buckets answer an empty LocationConstraint (S3 API Reference, GetBucketLocation).
      const region = vars.EMULATOR_REGION === "us-east-1" ? "" : vars.EMULATOR_REGION;
      return xml(`${XML_DECLARATION}<LocationConstraint xmlns="${S3_NAMESPACE}">${region}</LocationConstraint>`);
    }
    case "HeadBucket":
      return new Response(null, { status: 200, headers: { "x-amz-bucket-region": vars.EMULATOR_REGION } });
  }
}

function withHeaders(response: Response, requestId: string): Response {
  const answer = new Response(response.body, response);
  for (const [name, value] of Object.entries(s3Headers(requestId))) answer.headers.set(name, value);
  return answer;
}

function faultError(kind: NonNullable<Admission["before"]>): S3Error {
  return kind === "error" ? s3Errors.internalError() : s3Errors.slowDown();
}

/** Serves one S3 call. */
export async function handleS3(front: FrontRequest): Promise<Response> {
  const { request, url, requestId, arrivedAt } = front;
  let operation = "Unknown";
  let status = 0;
  const log = () => front.state.record({ service: "s3", operation, at: new Date(arrivedAt).toISOString(), status });
  try {
    let target: S3Target | undefined;
    let resolveError: unknown;
    try {
      target = resolveS3Target(request.method, url.pathname, url.searchParams, request.headers);
      operation = target.operation;
    } catch (error) {
      resolveError = error;
    }
    // The body is streamed to storage, never read here: the signature covers its declared hash.
    const identity = await authenticateS3(signedParts(front, new Uint8Array()), front.vars, arrivedAt, target?.operation === "PutObject");
    if (!target) throw resolveError;
    if (!isValidBucketName(target.bucket)) throw s3Errors.invalidBucketName(target.bucket);
    const admission = await front.state.admit({ service: "s3", operation: target.operation, bucket: target.bucket });
    await delay(admission.latencyMs);
    if (admission.before === "drop") {
      await log();
      return dropped();
    }
    if (admission.before) throw faultError(admission.before);
    if (admission.noSuchBucket) throw s3Errors.noSuchBucket(target.bucket);
    const response = await perform(front, target, identity.payloadHash);
    if (admission.after === "drop") {
      await log();
      return dropped();
    }
    if (admission.after) throw faultError(admission.after);
    status = response.status;
    await log();
    return withHeaders(response, requestId);
  } catch (error) {
    if (!(error instanceof S3Error)) throw error;
    status = error.status;
    await log();
    // An upload body nobody read must be cancelled, or the client waits on it.
    if (request.body && !request.body.locked) await request.body.cancel().catch(() => undefined);
    return s3ErrorResponse(error, requestId, request.method);
  }
}
