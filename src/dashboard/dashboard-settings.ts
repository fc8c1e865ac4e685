/**
 * Settings of the dashboard's OpenID Connect sign-in (authorization code with PKCE, a public
 * client): WES_DASHBOARD_OIDC_CLIENT_ID (empty: the dashboard offers only the other sign-ins) and
 * WES_DASHBOARD_OIDC_SCOPE, declared in src/settings/schema.ts. The provider itself is the API's
 * (WES_OIDC_*).
 */
import { DASHBOARD, DEFAULT_DASHBOARD_SCOPE } from "../settings/schema";
import { perEnv, readGroup } from "../settings/read";

export { DEFAULT_DASHBOARD_SCOPE };

/** The dashboard's OIDC client. */
export interface DashboardOidcSettings {
  clientId: string;
  /** Space-separated scopes requested at sign-in. */
  scope: string;
}

/** The dashboard's OIDC client settings, or null when its OIDC sign-in is off. Parsed once per env. */
export const dashboardOidcSettings = perEnv((env: Env): DashboardOidcSettings | null => {
  const o = readGroup(DASHBOARD, env);
  return o.WES_DASHBOARD_OIDC_CLIENT_ID ? { clientId: o.WES_DASHBOARD_OIDC_CLIENT_ID, scope: o.WES_DASHBOARD_OIDC_SCOPE } : null;
});
