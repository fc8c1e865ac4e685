/**
 * OpenID Connect settings (WES_OIDC_*, declared in src/settings/schema.ts), parsed once per env
 * object; a bad value is a ConfigError (503 naming the variables, never their values). OIDC is off
 * while WES_OIDC_ISSUER is empty, and the other WES_OIDC_* variables are then not read.
 */
import { ConfigError, perEnv, readGroup } from "../settings/read";
import { OIDC } from "../settings/schema";

export { secureUrl } from "../settings/schema";

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

/** The OIDC settings, or null when OIDC is off; cached per env object. */
export const oidcSettings = perEnv((env: Env): OidcSettings | null => {
  if ((env.WES_OIDC_ISSUER ?? "").trim() === "") {
    // Half a configuration is a mistake worth a clear 503, not a silently disabled OIDC.
    if ((env.WES_OIDC_AUDIENCE ?? "").trim() !== "" || (env.WES_OIDC_JWKS_URL ?? "").trim() !== "")
      throw new ConfigError(["WES_OIDC_AUDIENCE or WES_OIDC_JWKS_URL is set but WES_OIDC_ISSUER is empty"]);
    return null;
  }
  const o = readGroup(OIDC, env);
  const settings: OidcSettings = {
    issuer: o.WES_OIDC_ISSUER!,
    audiences: o.WES_OIDC_AUDIENCE,
    userClaim: o.WES_OIDC_USER_CLAIM,
    scopeClaim: o.WES_OIDC_SCOPE_CLAIM,
    clockSkewSeconds: o.WES_OIDC_CLOCK_SKEW_SECONDS,
    refreshSeconds: o.WES_OIDC_JWKS_REFRESH_SECONDS,
  };
  if (o.WES_OIDC_JWKS_URL) settings.jwksUrl = o.WES_OIDC_JWKS_URL;
  if (o.WES_OIDC_ADMIN_CLAIM) settings.admin = { claim: o.WES_OIDC_ADMIN_CLAIM, value: o.WES_OIDC_ADMIN_VALUE };
  if (o.WES_OIDC_GROUPS_CLAIM) settings.groupsClaim = o.WES_OIDC_GROUPS_CLAIM;
  return settings;
});
