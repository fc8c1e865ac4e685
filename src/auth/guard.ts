/**
 * Failed-authentication rate limiting, per client address.
 *
 * The hot path stays free: a request whose credentials are good never talks to the guard. Only a
 * refused credential that could be a guess (src/auth/principal.ts `guess`) is reported to the
 * client's AuthGuardObject, which answers whether the client is now blocked; this isolate then
 * remembers the block and answers 429 to that client's credentials until it ends, before
 * checking them. Another isolate learns of a block from the DO at the client's next failure
 * there, so the most guesses a client gets per minute is the limit plus one per isolate that
 * serves it (docs/security.md).
 */
import { authVariables } from "../config";
import { WesError } from "../errors";
import { log } from "../log";
import type { GuardVerdict } from "./guard-object";

/** Most clients remembered as blocked in one isolate (a flood of addresses cannot grow it without bound). */
const MAX_REMEMBERED = 10_000;

const blocked = new Map<string, number>();

/** WES_AUTH_FAILURE_LIMIT: failures per client per minute before 429s (default 10, 0 = off); part of the auth group. */
export function failureLimit(env: Env): number {
  return authVariables(env).WES_AUTH_FAILURE_LIMIT;
}

function ipv4(text: string): string | null {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number).join(".");
}

/** The /64 network of an IPv6 address (one subscriber usually holds a whole /64), or null. */
function ipv6Network(text: string): string | null {
  const halves = text.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const groups = (half: string | undefined): string[] | null => {
    if (!half) return [];
    const out: string[] = [];
    for (const part of half.split(":")) {
      if (/^[0-9a-f]{1,4}$/.test(part)) out.push(part);
      else if (part.includes(".")) {
        const v4 = ipv4(part);
        if (!v4) return null;
        const [a, b, c, d] = v4.split(".").map(Number) as [number, number, number, number];
        out.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
      } else return null;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  // IPv4-mapped addresses (::ffff:a.b.c.d) are the IPv4 client.
  if (all.slice(0, 5).every((g) => Number.parseInt(g, 16) === 0) && Number.parseInt(all[5]!, 16) === 0xffff) {
    const hi = Number.parseInt(all[6]!, 16);
    const lo = Number.parseInt(all[7]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return `${all
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

/**
 * The client a request comes from: CF-Connecting-IP, which Cloudflare sets (and overwrites) on
 * every request from the internet and `wrangler dev` sets locally; "local" when absent (tests,
 * service bindings). Never X-Forwarded-For, which any client can write.
 */
export function clientKey(headers: Headers): string {
  const ip = headers.get("CF-Connecting-IP")?.trim();
  if (!ip) return "local";
  return ipv4(ip) ?? ipv6Network(ip) ?? `other:${ip.slice(0, 64)}`;
}

/** Until when this isolate knows the client is blocked, or undefined. */
export function blockedUntil(key: string, now = Date.now()): number | undefined {
  const until = blocked.get(key);
  if (until === undefined) return undefined;
  if (until > now) return until;
  blocked.delete(key);
  return undefined;
}

function remember(key: string, until: number): void {
  blocked.delete(key); // re-insert at the end: Map order is then the eviction order
  blocked.set(key, until);
  if (blocked.size <= MAX_REMEMBERED) return;
  const now = Date.now();
  for (const [k, u] of blocked) if (u <= now) blocked.delete(k);
  while (blocked.size > MAX_REMEMBERED) blocked.delete(blocked.keys().next().value!);
}

/** The 429 for a blocked client. */
export function tooManyFailures(until: number, now = Date.now()): WesError {
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  return new WesError(429, `Too many failed authentication attempts from your address; try again in ${seconds} s.`, { "Retry-After": String(seconds) });
}

/**
 * Reports a failed authentication to the client's guard object and remembers a block. The guard
 * protects, it does not authenticate: when the object cannot be reached the failure is logged
 * and the request still gets its 401.
 */
export async function recordFailure(env: Env, key: string, limit: number, requestId?: string): Promise<GuardVerdict | null> {
  try {
    const verdict = await env.AUTH_GUARD.get(env.AUTH_GUARD.idFromName(key)).recordFailure(limit);
    if (verdict.blockedUntil !== null) {
      if (blockedUntil(key) === undefined)
        log("warn", "auth.client_blocked", { requestId, client: key, until: new Date(verdict.blockedUntil).toISOString(), failures: verdict.failures });
      remember(key, verdict.blockedUntil);
    }
    return verdict;
  } catch (error) {
    log("error", "auth.guard_unavailable", { requestId, client: key, error: error instanceof Error ? error.message.slice(0, 200) : "unknown" });
    return null;
  }
}

/** Forgets every block this isolate knows of (tests). */
export function forgetBlockedClients(): void {
  blocked.clear();
}
