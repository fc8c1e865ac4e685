/**
 * Signing in with OpenID Connect: authorization code with PKCE, as a public client. The verifier
 * and state wait in session storage during the round trip to the provider; the code is exchanged
 * through the Worker (POST /oidc/token), since this page may connect to its own origin only.
 */
import { api, ApiError } from "./api";
import { authorizeUrl, challengeOf, randomToken, readCallback } from "./pkce";
import { jwtClaims, type Session } from "./session";
import type { OidcConfig } from "./types";

const PENDING = "wes-dashboard-oidc";

interface Pending {
  state: string;
  verifier: string;
  returnTo: string;
}

/** The dashboard's OIDC settings from the Worker. */
export async function oidcConfig(): Promise<OidcConfig> {
  return await api<OidcConfig>("/oidc/config");
}

function callbackUri(config: OidcConfig): string {
  return `${location.origin}${config.redirect_path ?? "/auth/callback"}`;
}

/** Starts the sign-in: remembers a fresh verifier and state, then leaves for the provider. */
export async function beginOidcSignIn(config: OidcConfig, returnTo: string): Promise<void> {
  if (!config.enabled || !config.authorization_endpoint || !config.client_id) throw new Error("OpenID Connect sign-in is not configured.");
  const pending: Pending = { state: randomToken(), verifier: randomToken(), returnTo };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  location.assign(
    authorizeUrl({
      endpoint: config.authorization_endpoint,
      clientId: config.client_id,
      redirectUri: callbackUri(config),
      scope: config.scope ?? "openid",
      state: pending.state,
      challenge: await challengeOf(pending.verifier),
      ...(config.audience ? { audience: config.audience } : {}),
    }),
  );
}

/** Finishes the sign-in on the callback page; returns the session and where to go next. */
export async function completeOidcSignIn(search: string): Promise<{ session: Session; returnTo: string }> {
  const config = await oidcConfig();
  let pending: Pending | undefined;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING) ?? "null") ?? undefined;
  } catch {
    pending = undefined;
  }
  sessionStorage.removeItem(PENDING);
  const answer = readCallback(search, pending?.state);
  if ("error" in answer) throw new Error(answer.error);
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code: answer.code,
    code_verifier: pending!.verifier,
    redirect_uri: callbackUri(config),
  });
  const tokens = await api<{ access_token: string; expires_in?: number; id_token?: string }>("/oidc/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
  const claims = jwtClaims(tokens.id_token ?? tokens.access_token);
  const user = String(claims.preferred_username ?? claims.email ?? claims.name ?? claims.sub ?? "you");
  const expiresIn = typeof tokens.expires_in === "number" ? tokens.expires_in : 300;
  const auth = `Bearer ${tokens.access_token}`;
  const session: Session = {
    kind: "oidc",
    user,
    accessToken: tokens.access_token,
    expiresAt: Date.now() + expiresIn * 1000,
    ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
    admin: await isAdmin(auth),
  };
  return { session, returnTo: pending?.returnTo ?? "/" };
}

/** Whether these credentials may read the admin metrics (the admin pages are shown only then). */
export async function isAdmin(authorization: string): Promise<boolean> {
  try {
    await api("/admin/metrics", { auth: authorization });
    return true;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 401)) return false;
    return false;
  }
}
