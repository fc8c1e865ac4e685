/**
 * Env → typed settings of the service description and of authentication. Every variable is
 * declared in src/settings/schema.ts; each group is parsed when first needed and cached per env
 * object (src/settings/read.ts), and a bad group raises one ConfigError that lists every missing or
 * bad variable, never their values.
 */
import { version } from "../package.json";
import { perEnv, readGroup } from "./settings/read";
import { sha256HexOf } from "./sha256";
import { AUTH, SERVICE } from "./settings/schema";

export { ConfigError } from "./settings/read";

/** What service-info says about this deployment. */
export interface ServiceSettings {
  id: string;
  name: string;
  description: string;
  organization: { name: string; url: string };
  environment: string;
  version: string;
  authInstructionsUrl?: string;
  /** WES_PUBLIC_BASE_URL without a trailing slash: the base of every URL the API builds (src/wes/context.ts). */
  publicBaseUrl?: string;
  corsOrigins: string[];
  /** Which requests get an `http.request` log line (WES_ACCESS_LOG, src/access-log.ts). */
  accessLog: "all" | "writes-and-errors";
}

/** Who may call the API: basic-auth passwords and bearer tokens per user, and the admins. */
export interface AuthSettings {
  /** user → password */
  passwords: Map<string, string>;
  /** user → SHA-256 of the password, computed once per isolate (a login then hashes only what it was sent) */
  passwordDigests: Map<string, ArrayBuffer>;
  /** The digest an unknown user's password is compared with, so that both paths cost the same. */
  unknownUserDigest: ArrayBuffer;
  /** hex SHA-256 of a token → user (looked up by hash, so the map never compares secrets) */
  tokenHashes: Map<string, string>;
  admins: Set<string>;
}

/** Parses the service description (service-info) settings; cached per env object. */
export const serviceSettings = perEnv((env: Env): ServiceSettings => {
  const s = readGroup(SERVICE, env);
  const settings: ServiceSettings = {
    id: s.WES_SERVICE_ID,
    name: s.WES_SERVICE_NAME,
    description: "GA4GH Workflow Execution Service that runs registered AWS HealthOmics workflows.",
    organization: { name: s.WES_ORGANIZATION_NAME, url: s.WES_ORGANIZATION_URL ?? "https://example.org" },
    environment: s.WES_ENVIRONMENT,
    version,
    corsOrigins: s.WES_CORS_ORIGINS,
    accessLog: s.WES_ACCESS_LOG,
  };
  if (s.WES_AUTH_INSTRUCTIONS_URL) settings.authInstructionsUrl = s.WES_AUTH_INSTRUCTIONS_URL;
  if (s.WES_PUBLIC_BASE_URL) settings.publicBaseUrl = s.WES_PUBLIC_BASE_URL;
  return settings;
});

/** The auth group as parsed (users, tokens, admins, failed-authentication limit); cached per env object. */
export const authVariables = perEnv((env: Env) => readGroup(AUTH, env));

/** Hex SHA-256 of a text. */
export async function sha256Hex(text: string): Promise<string> {
  return await sha256HexOf(new TextEncoder().encode(text));
}

/** SHA-256 of a text, as bytes. */
export async function sha256(text: string): Promise<ArrayBuffer> {
  return await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
}

/** Users, tokens and admins (WES_USERS, WES_TOKENS, WES_ADMINS), passwords and tokens also as digests; cached per env object. */
export const authSettings = perEnv(async (env: Env): Promise<AuthSettings> => {
  const a = authVariables(env);
  const tokenHashes = new Map<string, string>();
  for (const [user, token] of a.WES_TOKENS) tokenHashes.set(await sha256Hex(token), user);
  const passwordDigests = new Map<string, ArrayBuffer>();
  for (const [user, password] of a.WES_USERS) passwordDigests.set(user, await sha256(password));
  return { passwords: a.WES_USERS, passwordDigests, unknownUserDigest: await sha256("\u0000unknown-user"), tokenHashes, admins: a.WES_ADMINS };
});
