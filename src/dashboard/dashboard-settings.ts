/**
 * Settings of the dashboard's OpenID Connect sign-in (authorization code with PKCE, a public
 * client): WES_DASHBOARD_OIDC_CLIENT_ID (empty: the dashboard offers only the other sign-ins) and
 * WES_DASHBOARD_OIDC_SCOPE. The provider itself is the API's (WES_OIDC_*, src/auth/oidc-config.ts).
 */
import { ConfigError } from "../config";

/** The dashboard's OIDC client. */
export interface DashboardOidcSettings {
  clientId: string;
  /** Space-separated scopes requested at sign-in. */
  scope: string;
}

/** Scopes asked for when WES_DASHBOARD_OIDC_SCOPE is empty: sign in, read, submit and cancel. */
export const DEFAULT_DASHBOARD_SCOPE = "openid wes:read wes:submit wes:cancel";

const cache = new WeakMap<object, DashboardOidcSettings | null>();

/** The dashboard's OIDC client settings, or null when its OIDC sign-in is off. Cached per env. */
export function dashboardOidcSettings(env: Env): DashboardOidcSettings | null {
  if (cache.has(env)) return cache.get(env) ?? null;
  const clientId = (env.WES_DASHBOARD_OIDC_CLIENT_ID ?? "").trim();
  const scope = (env.WES_DASHBOARD_OIDC_SCOPE ?? "").trim().replace(/\s+/g, " ") || DEFAULT_DASHBOARD_SCOPE;
  const problems: string[] = [];
  if (clientId && !/^[\x21-\x7e]{1,200}$/.test(clientId)) problems.push("WES_DASHBOARD_OIDC_CLIENT_ID must be a client id (printable characters, no spaces)");
  if (!/^[\x21-\x7e]+( [\x21-\x7e]+)*$/.test(scope) || scope.length > 1000) problems.push("WES_DASHBOARD_OIDC_SCOPE must be space-separated scope names");
  if (problems.length > 0) throw new ConfigError(problems);
  const settings = clientId ? { clientId, scope } : null;
  cache.set(env, settings);
  return settings;
}
