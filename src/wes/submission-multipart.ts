/**
 * The fields and files of a `multipart/form-data` POST /runs body, read as a stream: text fields
 * (and JSON fields sent as file parts, as Dockstore sends workflow_params) in memory within a
 * small bound, each `workflow_attachment` streamed into R2 as it arrives (attachment-staging.ts).
 * The body as a whole may be up to MAX_MULTIPART_BYTES; beyond it the answer is 413.
 */
import { badRequest, WesError } from "../errors";
import { describeError, log } from "../log";
import { type StagedFile, stageAttachment } from "./attachment-staging";
import { MAX_ATTACHMENTS, MAX_FIELD_BYTES, MAX_MULTIPART_BYTES } from "./limits";
import { boundaryOf, MultipartReader } from "./multipart-stream";
import { attachmentPath, clip } from "./submission-fields";
import { addFormField } from "./submission-form";

/** The raw fields (strings) and the staged files of a multipart submission. */
export interface MultipartSubmission {
  fields: Record<string, string>;
  attachments: StagedFile[];
}

/**
 * Reads `request`'s multipart body. `accepted` lists the field names; files go under
 * `<prefix><path>` in `bucket`. On any error the files staged so far are deleted.
 */
export async function readMultipart(request: Request, accepted: readonly string[], bucket: R2Bucket, prefix: string): Promise<MultipartSubmission> {
  const boundary = boundaryOf(request.headers.get("content-type") ?? "");
  const limitMessage = `The request body is larger than ${MAX_MULTIPART_BYTES} bytes (100 MB), the most this service accepts (Cloudflare's request size limit); attach large inputs from S3 instead.`;
  // A declared length over the limit is refused before a byte is staged.
  if (Number(request.headers.get("content-length") ?? "0") > MAX_MULTIPART_BYTES) throw new WesError(413, limitMessage);
  if (!request.body) throw badRequest("The multipart/form-data body is empty.");
  const reader = new MultipartReader(request.body, boundary, MAX_MULTIPART_BYTES, limitMessage);
  const fields: Record<string, string> = {};
  const attachments: StagedFile[] = [];
  let fieldBytes = 0;
  try {
    for (let part = await reader.next(); part; part = await reader.next()) {
      if (part.name === "workflow_attachment") {
        if (part.filename === undefined) throw badRequest("workflow_attachment parts must be files with a filename in Content-Disposition.");
        const path = attachmentPath(part.filename);
        if (attachments.some((a) => a.path === path)) throw badRequest(`workflow_attachment '${clip(path)}' was sent more than once.`);
        if (attachments.length >= MAX_ATTACHMENTS)
          throw badRequest(`workflow_attachment has more than ${MAX_ATTACHMENTS} files; at most ${MAX_ATTACHMENTS} are accepted.`);
        attachments.push(await stageAttachment(bucket, `${prefix}${path}`, reader, path, part.contentType ?? null));
        continue;
      }
      const value = await reader.text(MAX_FIELD_BYTES - fieldBytes, `The form fields together (at '${clip(part.name)}')`);
      fieldBytes += new TextEncoder().encode(value).byteLength;
      addFormField(fields, part.name, value, accepted);
    }
  } catch (error) {
    await reader.cancel();
    await deleteStaged(bucket, attachments);
    throw error;
  }
  return { fields, attachments };
}

/** Deletes staged files (a refused submission leaves nothing behind); a failure is logged, not thrown. */
export async function deleteStaged(bucket: R2Bucket, files: readonly StagedFile[]): Promise<void> {
  if (files.length === 0) return;
  try {
    await bucket.delete(files.map((f) => f.key));
  } catch (error) {
    // The refusal still stands; the objects stay behind under a run id that was never stored.
    log("warn", "attachments.cleanup_failed", { keys: files.length, first: files[0]!.key, error: describeError(error) });
  }
}
