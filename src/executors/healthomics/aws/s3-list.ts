/**
 * S3's ListObjectsV2 answer (`ListBucketResult` XML) as plain data, with `encoding-type=url`
 * (keys percent-encoded, so no key can break the XML reading). Pure: no I/O.
 * Reference: Amazon S3 API Reference, ListObjectsV2.
 */

/** One object of a listing. */
export interface ListedObject {
  key: string;
  size: number;
}

/** One page of a listing. */
export interface ListPage {
  objects: ListedObject[];
  /** Set when more keys follow (send it as `continuation-token`). */
  nextToken?: string;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, "&");
}

function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return match?.[1] === undefined ? undefined : unescapeXml(match[1]);
}

/** Decodes a key listed with `encoding-type=url` (S3 writes spaces as `+`). */
function decodeKey(raw: string, urlEncoded: boolean): string | undefined {
  if (!urlEncoded) return raw;
  try {
    return decodeURIComponent(raw.replace(/\+/g, "%20"));
  } catch {
    return undefined;
  }
}

/** Parses a ListBucketResult; undefined when it is not one. */
export function parseListPage(xml: string): ListPage | undefined {
  if (!/<ListBucketResult[\s>]/.test(xml)) return undefined;
  const urlEncoded = element(xml, "EncodingType") === "url";
  const objects: ListedObject[] = [];
  for (const [, body = ""] of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
    const rawKey = element(body, "Key");
    const key = rawKey === undefined ? undefined : decodeKey(rawKey, urlEncoded);
    if (key === undefined) return undefined;
    objects.push({ key, size: Number(element(body, "Size") ?? "0") || 0 });
  }
  const page: ListPage = { objects };
  const next = element(xml, "NextContinuationToken");
  if (element(xml, "IsTruncated") === "true" && next) page.nextToken = next;
  return page;
}
