/**
 * `Content-Encoding: aws-chunked` uploads (S3 API Reference, "Signature Calculations for the
 * Authorization Header: Transferring Payload in Multiple Chunks"), which the AWS SDKs send for
 * streaming bodies (`STREAMING-UNSIGNED-PAYLOAD-TRAILER` with a checksum trailer, or
 * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]` with per-chunk signatures): each chunk is
 * `<hex size>[;chunk-signature=...]\r\n<data>\r\n`, a zero-size chunk ends the data, trailers
 * follow. The decoder streams the data out; it does not verify chunk signatures or trailer
 * checksums (docs/emulator.md says so).
 */

const CR = 13;
const LF = 10;
/** A chunk header is a hex size plus an optional 64-hex signature extension: far below this. */
const MAX_HEADER = 256;

/** A stream of the decoded bytes of an aws-chunked body; it errors on malformed framing. */
export function decodeAwsChunked(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let state: "header" | "data" | "crlf" | "trailer" = "header";
  let header: number[] = [];
  let remaining = 0;
  let crlf = 0;
  const decoder = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      let i = 0;
      while (i < chunk.length) {
        if (state === "header") {
          const b = chunk[i++]!;
          if (b === LF && header.at(-1) === CR) {
            const line = String.fromCharCode(...header.slice(0, -1));
            header = [];
            const size = /^([0-9a-fA-F]+)(;.*)?$/.exec(line);
            if (!size) throw new Error(`aws-chunked: malformed chunk header '${line.slice(0, 80)}'`);
            remaining = Number.parseInt(size[1]!, 16);
            state = remaining === 0 ? "trailer" : "data";
          } else {
            header.push(b);
            if (header.length > MAX_HEADER) throw new Error("aws-chunked: chunk header too long");
          }
        } else if (state === "data") {
          const take = Math.min(remaining, chunk.length - i);
          controller.enqueue(chunk.subarray(i, i + take));
          i += take;
          remaining -= take;
          if (remaining === 0) {
            state = "crlf";
            crlf = 0;
          }
        } else if (state === "crlf") {
          const b = chunk[i++]!;
          if ((crlf === 0 && b !== CR) || (crlf === 1 && b !== LF)) throw new Error("aws-chunked: chunk data not followed by CRLF");
          crlf += 1;
          if (crlf === 2) state = "header";
        } else {
          // Trailers (e.g. x-amz-checksum-crc32) and the final CRLF: read and ignored.
          i = chunk.length;
        }
      }
    },
    flush() {
      if (state !== "trailer") throw new Error("aws-chunked: the body ended before its final chunk");
    },
  });
  return body.pipeThrough(decoder);
}
