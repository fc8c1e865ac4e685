/**
 * The parts of reading a POST /runs body that every body kind shares: the small-body reader
 * (JSON and urlencoded bodies are read whole, so they are bounded), the form-field rules
 * (multipart text parts and urlencoded pairs), and Sapporo's `workflow_attachment_obj`.
 */
import { badRequest, WesError } from "../errors";
import { MAX_BODY_BYTES } from "./limits";
import { clip } from "./submission-fields";

/**
 * Sapporo's `workflow_attachment_obj` (files it downloads by URL): its clients send it empty when
 * there is nothing to download. Empty (`""`, `null`, `[]`, `{}`) is ignored; anything else is a 400.
 */
export const SAPPORO_FIELD = "workflow_attachment_obj";

/** Whether a `workflow_attachment_obj` value, as text or parsed JSON, says nothing. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "string") return ["", "null", "[]", "{}"].includes(value.trim());
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

/** The 400 for a non-empty `workflow_attachment_obj`. */
export function sapporoRefusal(): WesError {
  return badRequest(
    `${SAPPORO_FIELD} (Sapporo's files-by-URL extension) is not supported; attach the files as workflow_attachment parts of a multipart/form-data body instead.`,
  );
}

/**
 * Adds one text field of a form (multipart or urlencoded) to `fields`: a 400 for an unknown or
 * repeated name, an empty `workflow_attachment_obj` skipped.
 */
export function addFormField(fields: Record<string, string>, name: string, value: string, accepted: readonly string[]): void {
  if (name === SAPPORO_FIELD) {
    if (isEmptyValue(value)) return;
    throw sapporoRefusal();
  }
  if (!accepted.includes(name)) throw badRequest(`Unknown form field '${clip(name)}'. Accepted fields: ${accepted.join(", ")}.`);
  if (name in fields) throw badRequest(`Form field '${name}' was sent more than once.`);
  fields[name] = value;
}

function tooLarge(kind: string): WesError {
  return new WesError(
    413,
    `The ${kind} body is larger than ${MAX_BODY_BYTES} bytes (1 MiB), the most this service accepts for it; send files as workflow_attachment parts of a multipart/form-data body (up to 100 MB).`,
  );
}

/**
 * The body of `request` as text, at most MAX_BODY_BYTES (a 413 beyond, decided from
 * Content-Length when sent, else while reading, so no more than the limit is ever held).
 */
export async function readSmallBody(request: Request, kind: string): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge(kind);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    total += r.value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge(kind);
    }
    chunks.push(r.value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
