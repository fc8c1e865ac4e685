/**
 * Which workflow URLs the service may fetch. In a deployment: `https://` only, never `localhost`
 * or an IP literal in a private, loopback, link-local, CGNAT or unspecified range (the Worker
 * must not become a way into someone's network), and, when an allow-list is set, only its hosts.
 * With `allowLocal` (set by the `.dev.vars` that `npm start` writes) `http://` and loopback hosts
 * are allowed too, for the emulator's local registry. Pure.
 */

/** The URL fetch settings. */
export interface UrlPolicy {
  allowLocal: boolean;
  /** Host names allowed (exact, or `.example.org` for its subdomains); empty: any public host. */
  allowHosts: readonly string[];
}

function ipv4(host: string): number[] | undefined {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

function privateIpv4([a, b]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    a! >= 224
  );
}

/** The first 16 bits of an IPv6 literal (brackets removed by URL), and whether it is ::1 / :: / v4-mapped. */
function privateIpv6(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "::1" || h === "::") return true;
  const mapped = /^::ffff:(.+)$/.exec(h);
  if (mapped) {
    const v4 = ipv4(mapped[1]!);
    if (v4) return privateIpv4(v4);
    // URL normalises ::ffff:a.b.c.d to ::ffff:xxxx:yyyy.
    const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(mapped[1]!);
    if (hex) {
      const hi = Number.parseInt(hex[1]!, 16);
      return privateIpv4([hi >> 8, hi & 255]);
    }
    return true;
  }
  const first = Number.parseInt(h.split(":")[0] || "0", 16);
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast.
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
}

function loopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "");
  const v4 = ipv4(h);
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || (v4 !== undefined && v4[0] === 127);
}

/** Why `url` may not be fetched, as the end of a 400 message; undefined when it may. */
export function urlProblem(url: URL, policy: UrlPolicy): string | undefined {
  const host = url.hostname.toLowerCase();
  const local = policy.allowLocal && loopback(host);
  if (url.protocol !== "https:" && !(local && url.protocol === "http:")) {
    return policy.allowLocal ? "only https:// URLs (or http:// to a loopback host) can be fetched" : "only https:// URLs can be fetched";
  }
  if (url.username || url.password) return "URLs with credentials are not fetched";
  if (local) return undefined;
  if (host === "localhost" || host.endsWith(".localhost")) return "localhost is not fetched";
  const v4 = ipv4(host);
  if ((v4 && privateIpv4(v4)) || (host.startsWith("[") && privateIpv6(host))) {
    return `${host} is a private, loopback or link-local address, which is not fetched`;
  }
  if (policy.allowHosts.length > 0 && !policy.allowHosts.some((allowed) => (allowed.startsWith(".") ? host.endsWith(allowed) : host === allowed))) {
    return `${host} is not in WES_WORKFLOW_URL_HOSTS (the hosts workflows may be fetched from)`;
  }
  return undefined;
}

/** Parses WES_WORKFLOW_URL_HOSTS: comma-separated host names, lower-cased. */
export function parseHostList(text: string): string[] {
  return text
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
}
