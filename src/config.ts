/**
 * Env → typed settings. Workers have no start-up, so each group is parsed when first needed (and
 * cached per isolate for the same env object); a bad group raises one ConfigError that lists
 * every missing or bad variable, never their values.
 */
import { z } from "zod";
import { version } from "../package.json";

/** Raised when configuration is missing or invalid; rendered as a 503 naming the variables. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The service is not configured correctly: ${problems.join("; ")}. See docs/configuration.md.`);
    this.name = "ConfigError";
  }
}

/** What service-info says about this deployment. */
export interface ServiceSettings {
  id: string;
  name: string;
  description: string;
  organization: { name: string; url: string };
  environment: string;
  version: string;
  documentationUrl?: string;
  contactUrl?: string;
  authInstructionsUrl?: string;
  /** WES_PUBLIC_BASE_URL without a trailing slash: the base of every URL the API builds (src/wes/context.ts). */
  publicBaseUrl?: string;
  corsOrigins: string[];
}

/** Who may call the API: basic-auth passwords and bearer tokens per user, and the admins. */
export interface AuthSettings {
  /** user → password */
  passwords: Map<string, string>;
  /** hex SHA-256 of a token → user (looked up by hash, so the map never compares secrets) */
  tokenHashes: Map<string, string>;
  admins: Set<string>;
}

const USER_NAME = /^[A-Za-z0-9._@+-]{1,64}$/;

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function optionalUrl(value: string | undefined, name: string, problems: string[]): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (!z.url({ protocol: /^https?$/ }).safeParse(text).success) problems.push(`${name} must be an http(s) URL`);
  return text;
}

/** WES_PUBLIC_BASE_URL: an http(s) URL without user info, query or fragment; returned without its trailing slash. */
function publicBaseUrl(value: string | undefined, problems: string[]): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash || text.includes("?") || text.includes("#")) {
    problems.push(
      "WES_PUBLIC_BASE_URL must be the http(s) URL clients use to reach this service, without user info, query or fragment (e.g. https://wes.example.org)",
    );
    return undefined;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** Parses the service description (service-info) settings. */
export function serviceSettings(env: Env): ServiceSettings {
  const problems: string[] = [];
  const orgUrl = optionalUrl(env.WES_ORGANIZATION_URL, "WES_ORGANIZATION_URL", problems);
  const settings: ServiceSettings = {
    id: env.WES_SERVICE_ID?.trim() || "org.example.wes-healthomics",
    name: env.WES_SERVICE_NAME?.trim() || "WES on AWS HealthOmics",
    description: "GA4GH Workflow Execution Service that runs registered AWS HealthOmics workflows.",
    organization: { name: env.WES_ORGANIZATION_NAME?.trim() || "Unnamed organization", url: orgUrl ?? "https://example.org" },
    environment: env.WES_ENVIRONMENT?.trim() || "production",
    version,
    authInstructionsUrl: optionalUrl(env.WES_AUTH_INSTRUCTIONS_URL, "WES_AUTH_INSTRUCTIONS_URL", problems),
    corsOrigins: list(env.WES_CORS_ORIGINS),
  };
  const publicBase = publicBaseUrl(env.WES_PUBLIC_BASE_URL, problems);
  if (publicBase) settings.publicBaseUrl = publicBase;
  for (const origin of settings.corsOrigins) {
    if (origin !== "*" && !/^https?:\/\/[^/\s]+$/.test(origin))
      problems.push(`WES_CORS_ORIGINS entry '${origin}' must be an origin like https://app.example.org`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const authCache = new WeakMap<object, Promise<AuthSettings>>();

/** Parses users, tokens and admins (WES_USERS, WES_TOKENS, WES_ADMINS); cached per env object. */
export function authSettings(env: Env): Promise<AuthSettings> {
  let cached = authCache.get(env);
  if (!cached) {
    cached = parseAuth(env);
    authCache.set(env, cached);
    cached.catch(() => authCache.delete(env));
  }
  return cached;
}

async function parseAuth(env: Env): Promise<AuthSettings> {
  const problems: string[] = [];
  const passwords = new Map<string, string>();
  const tokenHashes = new Map<string, string>();
  list(env.WES_USERS).forEach((entry, index) => {
    const colon = entry.indexOf(":");
    const user = entry.slice(0, colon);
    const password = entry.slice(colon + 1);
    if (colon < 1 || !USER_NAME.test(user) || password === "") {
      problems.push(`WES_USERS entry ${index + 1} must look like user:password (user: letters, digits, . _ @ + -)`);
    } else {
      passwords.set(user, password);
    }
  });
  const entries = list(env.WES_TOKENS);
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(":");
    const user = entry.slice(0, colon);
    const token = entry.slice(colon + 1);
    if (colon < 1 || !USER_NAME.test(user) || token.length < 16) {
      problems.push(`WES_TOKENS entry ${index + 1} must look like user:token with a token of at least 16 characters`);
    } else {
      tokenHashes.set(await sha256Hex(token), user);
    }
  }
  const admins = new Set(list(env.WES_ADMINS));
  if (problems.length > 0) throw new ConfigError(problems);
  return { passwords, tokenHashes, admins };
}

export { sha256Hex };
