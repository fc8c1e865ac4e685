/**
 * ListObjectsV2 over the R2 bucket that holds every emulated S3 bucket (keys `<bucket>/<key>`):
 * prefix, delimiter, max-keys (1,000 at most, the default), start-after, continuation tokens and
 * encoding-type=url, answered in S3's XML. Keys and common prefixes count together against
 * max-keys and come in key order, as in S3. The continuation token names the last entry returned
 * (an object, or a common prefix whose whole group is skipped), so pages never repeat or miss.
 */
import { S3Error } from "./errors";
import { element, S3_NAMESPACE, XML_DECLARATION } from "./xml";

/** S3 answers at most 1,000 keys per page. */
export const MAX_KEYS = 1000;
/** Past every key that shares a prefix (the highest code point). */
const AFTER_GROUP = "\u{10FFFF}";

/** The query of a ListObjectsV2 call. */
export interface ListParams {
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  startAfter?: string;
  continuationToken?: string;
  encodingType?: "url";
}

interface Entry {
  kind: "k" | "p";
  /** Key or prefix, relative to the bucket. */
  name: string;
  object?: R2Object;
}

/** Reads and checks the query parameters. */
export function listParams(query: URLSearchParams): ListParams {
  const maxText = query.get("max-keys");
  let maxKeys = MAX_KEYS;
  if (maxText !== null) {
    if (!/^\d+$/.test(maxText) || Number(maxText) > 2_147_483_647) {
      throw new S3Error(400, "InvalidArgument", "Provided max-keys not an integer or within integer range", {
        ArgumentName: "max-keys",
        ArgumentValue: maxText,
      });
    }
    maxKeys = Math.min(Number(maxText), MAX_KEYS);
  }
  const encoding = query.get("encoding-type");
  if (encoding !== null && encoding !== "url") {
    throw new S3Error(400, "InvalidArgument", "Invalid Encoding Method specified in Request", { ArgumentName: "encoding-type", ArgumentValue: encoding });
  }
  const params: ListParams = { prefix: query.get("prefix") ?? "", maxKeys };
  const delimiter = query.get("delimiter");
  if (delimiter) params.delimiter = delimiter;
  const startAfter = query.get("start-after");
  if (startAfter) params.startAfter = startAfter;
  const token = query.get("continuation-token");
  if (token !== null) params.continuationToken = token;
  if (encoding === "url") params.encodingType = "url";
  return params;
}

function encodeToken(entry: Entry): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify([entry.kind, entry.name]))));
}

/** Where the next page starts (exclusive), from the token or start-after. */
function resumePoint(params: ListParams): string | undefined {
  if (params.continuationToken !== undefined) {
    try {
      const text = new TextDecoder().decode(Uint8Array.from(atob(params.continuationToken), (c) => c.charCodeAt(0)));
      const [kind, name] = JSON.parse(text) as unknown[];
      if ((kind === "k" || kind === "p") && typeof name === "string") return kind === "p" ? name + AFTER_GROUP : name;
    } catch {
      // falls through to the error below
    }
    throw new S3Error(400, "InvalidArgument", "The continuation token provided is incorrect", { ArgumentName: "continuation-token" });
  }
  return params.startAfter;
}

/** S3's `encoding-type=url`: URL encoding with `+` for spaces, slashes kept. */
function s3UrlEncode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, "+").replace(/%2F/g, "/");
}

/** Up to maxKeys + 1 entries in key order after the resume point (the extra one tells whether the list is truncated). */
async function collect(objects: R2Bucket, bucket: string, params: ListParams): Promise<Entry[]> {
  const base = `${bucket}/`;
  const resume = resumePoint(params);
  const entries: Entry[] = [];
  const wanted = params.maxKeys + 1;
  let cursor: string | undefined;
  for (;;) {
    const options: R2ListOptions = { prefix: base + params.prefix, limit: Math.min(1000, wanted - entries.length + 1) };
    if (params.delimiter) options.delimiter = params.delimiter;
    if (cursor) options.cursor = cursor;
    else if (resume !== undefined && base + resume > options.prefix!) options.startAfter = base + resume;
    const page = await objects.list(options);
    const batch: Entry[] = [
      ...page.objects.map((object): Entry => ({ kind: "k", name: object.key.slice(base.length), object })),
      ...page.delimitedPrefixes.map((p): Entry => ({ kind: "p", name: p.slice(base.length) })),
    ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    entries.push(...batch);
    if (entries.length >= wanted || !page.truncated) break;
    cursor = page.cursor;
  }
  return entries.slice(0, wanted);
}

/** The ListBucketResult XML of one page. */
export async function listObjectsV2(objects: R2Bucket, bucket: string, params: ListParams): Promise<string> {
  const entries = params.maxKeys === 0 ? [] : await collect(objects, bucket, params);
  const truncated = entries.length > params.maxKeys;
  const page = entries.slice(0, params.maxKeys);
  const enc = (text: string) => (params.encodingType === "url" ? s3UrlEncode(text) : text);
  const parts = [element("Name", bucket), element("Prefix", enc(params.prefix))];
  if (params.startAfter !== undefined) parts.push(element("StartAfter", enc(params.startAfter)));
  if (params.continuationToken !== undefined) parts.push(element("ContinuationToken", params.continuationToken));
  if (truncated) parts.push(element("NextContinuationToken", encodeToken(page[page.length - 1]!)));
  parts.push(element("KeyCount", page.length), element("MaxKeys", params.maxKeys));
  if (params.delimiter) parts.push(element("Delimiter", enc(params.delimiter)));
  if (params.encodingType) parts.push(element("EncodingType", params.encodingType));
  parts.push(element("IsTruncated", truncated));
  for (const e of page) {
    if (e.kind !== "k") continue;
    parts.push(
      `<Contents>${element("Key", enc(e.name))}${element("LastModified", e.object!.uploaded.toISOString())}${element("ETag", `"${e.object!.etag}"`)}${element("Size", e.object!.size)}${element("StorageClass", "STANDARD")}</Contents>`,
    );
  }
  for (const e of page) if (e.kind === "p") parts.push(`<CommonPrefixes>${element("Prefix", enc(e.name))}</CommonPrefixes>`);
  return `${XML_DECLARATION}<ListBucketResult xmlns="${S3_NAMESPACE}">${parts.join("")}</ListBucketResult>`;
}
