/**
 * Calls to the API with the signed-in user's credentials. Every request uses `credentials: "omit"`:
 * the dashboard never uses cookies, and a 401 to a request that may carry credentials makes the
 * browser show its own sign-in box (the API's Basic challenge); with "omit" it does not (Fetch
 * standard, HTTP-network-or-cache fetch, step on 401).
 */

/** Base path of the WES API. */
export const API = "/ga4gh/wes/v1";

/** An ErrorResponse (or a failure to reach the service). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

let authorization: () => string | undefined = () => undefined;
let onUnauthorized: () => void = () => {};

/** Where credentials come from, and what to do when the API no longer accepts them. */
export function configureApi(options: { authorization: () => string | undefined; onUnauthorized: () => void }): void {
  authorization = options.authorization;
  onUnauthorized = options.onUnauthorized;
}

/** Sends a request to `path` (from the origin: `${API}/runs`, "/admin/metrics") and returns the JSON answer. */
export async function api<T>(path: string, init: RequestInit & { auth?: string } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("Accept", "application/json");
  const auth = init.auth ?? authorization();
  if (auth) headers.set("Authorization", auth);
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers,
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "The service cannot be reached. Check your connection; the page retries by itself.");
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const msg = (body as { msg?: unknown } | undefined)?.msg;
    const retry = Number(res.headers.get("Retry-After"));
    if (res.status === 401 && !init.auth) onUnauthorized();
    throw new ApiError(
      res.status,
      typeof msg === "string" ? msg : `The service answered HTTP ${res.status}.`,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
  return body as T;
}

/** GET `path` as text (a log): the same credentials and error handling as `api`. */
export async function apiText(path: string): Promise<string> {
  const headers = new Headers({ Accept: "text/plain" });
  const auth = authorization();
  if (auth) headers.set("Authorization", auth);
  let res: Response;
  try {
    res = await fetch(path, { headers, credentials: "omit", cache: "no-store" });
  } catch {
    throw new ApiError(0, "The service cannot be reached. Check your connection and try again.");
  }
  if (res.ok) return await res.text();
  const body = (await res.json().catch(() => undefined)) as { msg?: unknown } | undefined;
  const retry = Number(res.headers.get("Retry-After"));
  if (res.status === 401) onUnauthorized();
  throw new ApiError(
    res.status,
    typeof body?.msg === "string" ? body.msg : `The service answered HTTP ${res.status}.`,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

/** A human sentence for any error. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
