/**
 * Streams one `workflow_attachment` part into the ATTACHMENTS R2 bucket with memory bounded by one
 * R2 part (5 MiB) whatever the file's size: R2 takes a stream only of known length, so a file is
 * gathered into one 5 MiB buffer, written with a single put when it fits, and as a multipart
 * upload of equal 5 MiB parts otherwise. Its SHA-256 is computed on the way (DigestStream), for
 * the submission's fingerprint.
 */
import { hex } from "../sha256";
import type { MultipartReader } from "./multipart-stream";

/** An attachment as stored: where its bytes are, not the bytes. */
export interface StagedFile {
  path: string;
  contentType: string | null;
  size: number;
  /** Key in the ATTACHMENTS bucket. */
  key: string;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
}

/** R2's smallest part but the last; every part but the last has this size (R2 wants them equal). */
export const PART_BYTES = 5 * 1024 * 1024;

/** Writes the current part of `reader` to `bucket` under `key`. */
export async function stageAttachment(bucket: R2Bucket, key: string, reader: MultipartReader, path: string, contentType: string | null): Promise<StagedFile> {
  const digest = new crypto.DigestStream("SHA-256");
  const hashing = digest.getWriter();
  const buffer = new Uint8Array(PART_BYTES);
  let filled = 0;
  let size = 0;
  let upload: R2MultipartUpload | undefined;
  const parts: R2UploadedPart[] = [];
  const httpMetadata = contentType ? { contentType } : undefined;
  try {
    for (let chunk = await reader.chunk(); chunk; chunk = await reader.chunk()) {
      size += chunk.byteLength;
      await hashing.write(chunk);
      let offset = 0;
      while (offset < chunk.byteLength) {
        const n = Math.min(PART_BYTES - filled, chunk.byteLength - offset);
        buffer.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === PART_BYTES) {
          upload ??= await bucket.createMultipartUpload(key, httpMetadata ? { httpMetadata } : undefined);
          parts.push(await upload.uploadPart(parts.length + 1, buffer));
          filled = 0;
        }
      }
    }
    if (upload) {
      if (filled > 0) parts.push(await upload.uploadPart(parts.length + 1, buffer.subarray(0, filled)));
      await upload.complete(parts);
    } else {
      await bucket.put(key, buffer.subarray(0, filled), httpMetadata ? { httpMetadata } : undefined);
    }
  } catch (error) {
    await upload?.abort().catch(() => {});
    throw error;
  }
  await hashing.close();
  return { path, contentType, size, key, sha256: hex(await digest.digest) };
}
