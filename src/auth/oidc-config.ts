/**
 * OpenID Connect settings (WES_OIDC_*), parsed once per env object like src/config.ts does for the
 * other groups; a bad value is a ConfigError (503 naming the variables, never their values).
 * OIDC is off while WES_OIDC_ISSUER is empty.
 */
import { ConfigError } from "../config";

/** Verified-token settings. */
export interface OidcSettings {
  /** Exact `iss` value required (compared as given, trailing slash included). */
  issuer: string;
  /** Accepted `aud` values; a token must name at least one. */
  audiences: string[];
  /** Key set URL; undefined means OIDC discovery from the issuer. */
  jwksUrl?: string;
  userClaim: string;
  /** Admin role: this claim equals, or (array claim) contains, `value`. */
  admin?: { claim: string; value: string };
  scopeClaim: string;
  /** Claim naming the caller's groups (a string or a list), for `@group` data-access rules; undefined: groups come from WES_GROUPS only. */
  groupsClaim?: string;
  clockSkewSeconds: number;
  /** Least time between two fetches of the key set (and of the discovery document). */
  refreshSeconds: number;
}

const CLAIM_NAME = /^[\x21-\x7e]{1,200}$/;

/** http(s) URL check; plain http only for loopback hosts (local identity providers and tests). */
export function secureUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

function integer(value: string | undefined, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const text = value?.trim() ?? "";
  if (text === "") return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return Number(text);
}

function claimName(value: string | undefined, name: string, fallback: string, problems: string[]): string {
  const text = value?.trim() || fallback;
  if (!CLAIM_NAME.test(text)) problems.push(`${name} must be a claim name (printable characters, no spaces)`);
  return text;
}

const cache = new WeakMap<object, OidcSettings | null>();

/** The OIDC settings, or null when OIDC is off; cached per env object. */
export function oidcSettings(env: Env): OidcSettings | null {
  if (cache.has(env)) return cache.get(env) ?? null;
  const settings = parseOidc(env);
  cache.set(env, settings);
  return settings;
}

function parseOidc(env: Env): OidcSettings | null {
  const problems: string[] = [];
  const issuer = env.WES_OIDC_ISSUER?.trim() ?? "";
  const audiences = (env.WES_OIDC_AUDIENCE ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");
  const jwksUrl = env.WES_OIDC_JWKS_URL?.trim() || undefined;
  if (issuer === "") {
    // Half a configuration is a mistake worth a clear 503, not a silently disabled OIDC.
    if (audiences.length > 0 || jwksUrl) throw new ConfigError(["WES_OIDC_AUDIENCE or WES_OIDC_JWKS_URL is set but WES_OIDC_ISSUER is empty"]);
    return null;
  }
  if (!secureUrl(issuer)) problems.push("WES_OIDC_ISSUER must be an https URL (http only for localhost)");
  // Without an audience, any token the issuer mints for any application would be accepted here.
  if (audiences.length === 0) problems.push("WES_OIDC_AUDIENCE must name at least one audience (the API identifier the tokens are issued for)");
  if (jwksUrl && !secureUrl(jwksUrl)) problems.push("WES_OIDC_JWKS_URL must be an https URL (http only for localhost)");
  const adminClaim = env.WES_OIDC_ADMIN_CLAIM?.trim() ?? "";
  const adminValue = env.WES_OIDC_ADMIN_VALUE?.trim() ?? "";
  if ((adminClaim === "") !== (adminValue === "")) problems.push("WES_OIDC_ADMIN_CLAIM and WES_OIDC_ADMIN_VALUE must be set together");
  const settings: OidcSettings = {
    issuer,
    audiences,
    ...(jwksUrl ? { jwksUrl } : {}),
    userClaim: claimName(env.WES_OIDC_USER_CLAIM, "WES_OIDC_USER_CLAIM", "sub", problems),
    ...(adminClaim && adminValue ? { admin: { claim: claimName(adminClaim, "WES_OIDC_ADMIN_CLAIM", "", problems), value: adminValue } } : {}),
    scopeClaim: claimName(env.WES_OIDC_SCOPE_CLAIM, "WES_OIDC_SCOPE_CLAIM", "scope", problems),
    ...(env.WES_OIDC_GROUPS_CLAIM?.trim() ? { groupsClaim: claimName(env.WES_OIDC_GROUPS_CLAIM, "WES_OIDC_GROUPS_CLAIM", "", problems) } : {}),
    clockSkewSeconds: integer(env.WES_OIDC_CLOCK_SKEW_SECONDS, "WES_OIDC_CLOCK_SKEW_SECONDS", 60, 0, 600, problems),
    refreshSeconds: integer(env.WES_OIDC_JWKS_REFRESH_SECONDS, "WES_OIDC_JWKS_REFRESH_SECONDS", 30, 1, 3600, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}
