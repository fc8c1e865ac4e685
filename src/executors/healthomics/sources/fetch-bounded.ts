/**
 * One fetch of a workflow file under the URL policy: every redirect hop is checked again (at most
 * 3), a per-fetch deadline, and a byte bound read as the body streams (never more than the
 * bound held in memory). Every refusal is a 400 naming the limit.
 */
import { badRequest } from "../../../errors";
import { type UrlPolicy, urlProblem } from "./url-policy";

/** Bounds of one fetch. */
export interface FetchLimits {
  maxRedirects: number;
  timeoutMs: number;
}

/** Defaults: 3 redirects, 10 s per fetch. */
export const FETCH_LIMITS: FetchLimits = { maxRedirects: 3, timeoutMs: 10_000 };

function clipUrl(url: string): string {
  return url.length > 200 ? `${url.slice(0, 197)}...` : url;
}

/** The body at `url` (at most `maxBytes`), with the URL it finally came from. */
export async function fetchBounded(
  url: string,
  policy: UrlPolicy,
  maxBytes: number,
  limits: FetchLimits = FETCH_LIMITS,
  accept = "*/*",
): Promise<{ url: string; bytes: Uint8Array; contentType: string }> {
  let current = url;
  for (let hop = 0; ; hop++) {
    let parsed: URL;
    try {
      parsed = new URL(current);
    } catch {
      throw badRequest(`The workflow URL '${clipUrl(current)}' is not a valid URL.`);
    }
    const problem = urlProblem(parsed, policy);
    if (problem) throw badRequest(`The workflow URL '${clipUrl(current)}' was refused: ${problem}.`);
    const signal = AbortSignal.timeout(limits.timeoutMs);
    let response: Response;
    try {
      response = await fetch(parsed.toString(), { redirect: "manual", signal, headers: { accept } });
    } catch {
      throw badRequest(
        signal.aborted
          ? `Fetching '${clipUrl(current)}' took longer than ${limits.timeoutMs} ms (the per-fetch timeout).`
          : `Fetching '${clipUrl(current)}' failed before an answer.`,
      );
    }
    if (response.status >= 300 && response.status < 400 && response.headers.get("location")) {
      await response.body?.cancel();
      if (hop >= limits.maxRedirects)
        throw badRequest(`Fetching '${clipUrl(url)}' was redirected more than ${limits.maxRedirects} times (the redirect limit).`);
      current = new URL(response.headers.get("location")!, parsed).toString();
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw badRequest(`Fetching '${clipUrl(current)}' answered ${response.status}.`);
    }
    const declared = Number(response.headers.get("content-length") ?? "NaN");
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw badRequest(`'${clipUrl(current)}' is larger than the ${maxBytes} bytes left of the workflow size limit.`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = response.body?.getReader();
    try {
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel();
          throw badRequest(`'${clipUrl(current)}' is larger than the ${maxBytes} bytes left of the workflow size limit.`);
        }
        chunks.push(value);
      }
    } catch (error) {
      if (signal.aborted) throw badRequest(`Fetching '${clipUrl(current)}' took longer than ${limits.timeoutMs} ms (the per-fetch timeout).`);
      throw error;
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return { url: current, bytes, contentType: response.headers.get("content-type") ?? "" };
  }
}
