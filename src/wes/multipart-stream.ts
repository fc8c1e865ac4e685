/**
 * A streaming `multipart/form-data` reader (RFC 7578 on RFC 2046's framing): parts come one at a
 * time, each body as a series of chunks, straight from the request stream. Nothing is buffered
 * beyond one network chunk plus a boundary's length, so memory does not grow with the body (the
 * platform's `request.formData()` holds the whole body). The whole body is bounded: past
 * `maxBytes` it stops reading and throws a 413.
 */
import { badRequest, WesError } from "../errors";

/** The headers of one part. */
export interface PartHeaders {
  name: string;
  /** The `filename` parameter (files), undefined for plain fields. */
  filename?: string;
  contentType?: string;
}

/** Largest header block of one part. */
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = new Uint8Array([13, 10]);
const encoder = new TextEncoder();

/** The boundary of a multipart content type, or a 400. */
export function boundaryOf(contentType: string): string {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary || boundary.length > 70) throw badRequest("The multipart/form-data body has no valid boundary parameter in its Content-Type.");
  return boundary;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0]!;
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, from); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A `Content-Disposition` parameter, quoted or not; `filename*=UTF-8''…` (RFC 5987) preferred. */
function parameter(header: string, name: string): string | undefined {
  const extended = new RegExp(`;\\s*${name}\\*\\s*=\\s*(?:UTF-8|utf-8)''([^;]*)`).exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      // fall back to the plain parameter
    }
  }
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, "i").exec(header);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2]!.trim();
}

/** Reads the parts of a multipart body in order. */
export class MultipartReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #delimiter: Uint8Array;
  readonly #maxBytes: number;
  readonly #limitMessage: string;
  #buffer: Uint8Array = new Uint8Array(0);
  #read = 0;
  #done = false;
  #inPart = false;
  #finished = false;

  constructor(body: ReadableStream<Uint8Array>, boundary: string, maxBytes: number, limitMessage: string) {
    this.#reader = body.getReader();
    this.#delimiter = encoder.encode(`\r\n--${boundary}`);
    this.#maxBytes = maxBytes;
    this.#limitMessage = limitMessage;
    // The first boundary has no CRLF before it: pretend there was one.
    this.#buffer = CRLF;
  }

  /** Bytes read from the body so far. */
  get bytesRead(): number {
    return this.#read;
  }

  async #fill(): Promise<boolean> {
    if (this.#done) return false;
    const { done, value } = await this.#reader.read();
    if (done) {
      this.#done = true;
      return false;
    }
    this.#read += value.byteLength;
    if (this.#read > this.#maxBytes) {
      await this.#reader.cancel().catch(() => {});
      throw new WesError(413, this.#limitMessage);
    }
    this.#buffer = concat(this.#buffer, value);
    return true;
  }

  /** Stops reading the body (after an error); safe to call twice. */
  async cancel(): Promise<void> {
    this.#done = true;
    await this.#reader.cancel().catch(() => {});
  }

  /** The next part's headers, or undefined after the last part. Any unread body of the current part is skipped. */
  async next(): Promise<PartHeaders | undefined> {
    if (this.#finished) return undefined;
    while (this.#inPart) await this.chunk();
    // The buffer starts at a delimiter (or a preamble before the first one).
    let at = indexOf(this.#buffer, this.#delimiter);
    while (at < 0) {
      // Preamble: keep only what could be the start of a delimiter.
      if (this.#buffer.length > this.#delimiter.length) this.#buffer = this.#buffer.slice(this.#buffer.length - this.#delimiter.length);
      if (!(await this.#fill())) throw badRequest("The multipart/form-data body has no boundary line; check the boundary in Content-Type.");
      at = indexOf(this.#buffer, this.#delimiter);
    }
    this.#buffer = this.#buffer.slice(at + this.#delimiter.length);
    while (this.#buffer.length < 2) if (!(await this.#fill())) throw badRequest("The multipart/form-data body ends inside a boundary line.");
    if (this.#buffer[0] === 45 && this.#buffer[1] === 45) {
      this.#finished = true;
      await this.cancel();
      return undefined;
    }
    let end = indexOf(this.#buffer, encoder.encode("\r\n\r\n"));
    while (end < 0) {
      if (this.#buffer.length > MAX_HEADER_BYTES) throw badRequest(`A multipart part has more than ${MAX_HEADER_BYTES} bytes of headers.`);
      if (!(await this.#fill())) throw badRequest("The multipart/form-data body ends inside a part's headers.");
      end = indexOf(this.#buffer, encoder.encode("\r\n\r\n"));
    }
    const lines = new TextDecoder().decode(this.#buffer.slice(0, end)).split("\r\n");
    this.#buffer = this.#buffer.slice(end + 4);
    let disposition: string | undefined;
    let contentType: string | undefined;
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === "content-disposition") disposition = value;
      else if (name === "content-type") contentType = value;
    }
    if (!disposition || !/^form-data\b/i.test(disposition)) throw badRequest("A multipart part has no Content-Disposition: form-data header.");
    const name = parameter(disposition, "name");
    if (name === undefined) throw badRequest("A multipart part has no name in its Content-Disposition header.");
    const filename = parameter(disposition, "filename");
    this.#inPart = true;
    const headers: PartHeaders = { name };
    if (filename !== undefined) headers.filename = filename;
    if (contentType) headers.contentType = contentType;
    return headers;
  }

  /** The next chunk of the current part's body, or undefined at its end. */
  async chunk(): Promise<Uint8Array | undefined> {
    if (!this.#inPart) return undefined;
    for (;;) {
      const at = indexOf(this.#buffer, this.#delimiter);
      if (at >= 0) {
        const out = this.#buffer.slice(0, at);
        this.#buffer = this.#buffer.slice(at);
        this.#inPart = false;
        return out.length > 0 ? out : undefined;
      }
      // Everything but a possible partial delimiter at the end belongs to the part.
      const safe = this.#buffer.length - (this.#delimiter.length - 1);
      if (safe > 0) {
        const out = this.#buffer.slice(0, safe);
        this.#buffer = this.#buffer.slice(safe);
        return out;
      }
      if (!(await this.#fill())) throw badRequest("The multipart/form-data body ends inside a part (no closing boundary).");
    }
  }

  /** The rest of the current part as text, at most `max` bytes (a 413 naming `what` beyond). */
  async text(max: number, what: string): Promise<string> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (let c = await this.chunk(); c; c = await this.chunk()) {
      size += c.byteLength;
      if (size > max) throw new WesError(413, `${what} is larger than ${max} bytes; send large content as workflow_attachment files.`);
      chunks.push(c);
    }
    const all = new Uint8Array(size);
    let offset = 0;
    for (const c of chunks) {
      all.set(c, offset);
      offset += c.byteLength;
    }
    return new TextDecoder().decode(all);
  }
}
