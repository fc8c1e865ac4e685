/**
 * The two routes the dashboard's OpenID Connect sign-in needs from the Worker (docs/security.md,
 * "The dashboard"):
 *
 *  - GET /oidc/config — whether the dashboard may sign in with OIDC, and the provider's
 *    authorization endpoint, client id, scopes and audience to ask for;
 *  - POST /oidc/token — the code-for-token exchange, passed on to the provider's
 *    token endpoint. The dashboard's Content-Security-Policy allows connections to its own origin
 *    only, and a deployment's provider is not known when the assets are built; so the exchange
 *    goes through here. The Worker adds only the client id (a public client: no secret), takes
 *    nothing but the fields of these two grants, accepts only this origin's callback as
 *    redirect_uri, and never logs codes or tokens. PKCE (S256) is checked by the provider.
 */
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env";
import { oidcSettings } from "../auth/oidc-config";
import { WesError, badRequest } from "../errors";
import { log } from "../log";
import { dashboardOidcSettings } from "./dashboard-settings";
import { DiscoveryFailed, providerEndpoints } from "./oidc-discovery";

/** Paths of the routes. */
export const OIDC_CONFIG_PATH = "/oidc/config";
export const OIDC_TOKEN_PATH = "/oidc/token";
/** Where the provider sends the browser back to (a dashboard page). */
export const CALLBACK_PATH = "/auth/callback";

const TOKEN_TIMEOUT_MS = 10_000;
/** Token answer members the dashboard may see (nothing else the provider sends is passed on; it uses no refresh token). */
const TOKEN_FIELDS = ["access_token", "token_type", "expires_in", "id_token", "scope"] as const;

function configured(env: Env) {
  const oidc = oidcSettings(env);
  const client = dashboardOidcSettings(env);
  return oidc && client ? { oidc, client } : null;
}

async function endpoints(issuer: string) {
  try {
    return await providerEndpoints(issuer);
  } catch (error) {
    if (!(error instanceof DiscoveryFailed)) throw error;
    log("warn", "dashboard.oidc_discovery_failed", { reason: error.message });
    throw new WesError(503, `The identity provider cannot be reached right now: ${error.message}. Try again shortly.`, { "Retry-After": "30" });
  }
}

/** Registers GET /oidc/config and POST /oidc/token on the root app. */
export function registerDashboardOidc(app: Hono<AppEnv>): void {
  app.get(OIDC_CONFIG_PATH, async (c) => {
    const on = configured(c.env);
    if (!on) return c.json({ enabled: false });
    const provider = await endpoints(on.oidc.issuer);
    return c.json({
      enabled: true,
      issuer: on.oidc.issuer,
      authorization_endpoint: provider.authorization,
      ...(provider.endSession ? { end_session_endpoint: provider.endSession } : {}),
      client_id: on.client.clientId,
      scope: on.client.scope,
      audience: on.oidc.audiences[0],
      redirect_path: CALLBACK_PATH,
    });
  });

  app.post(
    OIDC_TOKEN_PATH,
    bodyLimit({ maxSize: 16 * 1024, onError: () => Promise.reject(new WesError(413, "Token requests are at most 16 KiB.")) }),
    async (c) => {
      const on = configured(c.env);
      if (!on) throw new WesError(404, "OpenID Connect sign-in is not configured for the dashboard (WES_DASHBOARD_OIDC_CLIENT_ID).");
      const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/x-www-form-urlencoded") throw new WesError(415, "Send the token request as application/x-www-form-urlencoded.");
      const form = new URLSearchParams(await c.req.text());
      const grant = form.get("grant_type");
      const body = new URLSearchParams({ client_id: on.client.clientId });
      if (grant === "authorization_code") {
        const code = form.get("code");
        const verifier = form.get("code_verifier");
        const redirect = form.get("redirect_uri");
        if (!code || !verifier || !redirect) throw badRequest("An authorization_code request needs code, code_verifier and redirect_uri.");
        // RFC 7636 §4.1: 43-128 characters of [A-Za-z0-9-._~].
        if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) throw badRequest("code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636).");
        const expected = `${new URL(c.req.url).origin}${CALLBACK_PATH}`;
        if (redirect !== expected) throw badRequest(`redirect_uri must be this dashboard's callback, ${expected}.`);
        body.set("grant_type", grant);
        body.set("code", code);
        body.set("code_verifier", verifier);
        body.set("redirect_uri", redirect);
      } else {
        throw badRequest("grant_type must be authorization_code (the dashboard's only grant).");
      }
      const provider = await endpoints(on.oidc.issuer);
      let res: Response;
      try {
        res = await fetch(provider.token, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
          body,
          redirect: "manual",
          signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
        });
      } catch (error) {
        log("warn", "dashboard.token_unreachable", { requestId: c.get("requestId"), error: error instanceof Error ? error.name : "error" });
        throw new WesError(503, "The identity provider's token endpoint cannot be reached right now; try again shortly.", { "Retry-After": "30" });
      }
      let answer: Record<string, unknown> = {};
      try {
        answer = (await res.json()) as Record<string, unknown>;
      } catch {
        answer = {};
      }
      if (!res.ok || typeof answer.access_token !== "string") {
        // RFC 6749 §5.2 errors are about the request (a used or expired code, a wrong verifier): 400.
        const error = typeof answer.error === "string" ? answer.error.slice(0, 100) : `HTTP ${res.status}`;
        const description = typeof answer.error_description === "string" ? `: ${answer.error_description.slice(0, 300)}` : "";
        log("info", "dashboard.token_refused", { requestId: c.get("requestId"), grant, status: res.status, error });
        throw new WesError(res.status >= 500 ? 502 : 400, `The identity provider refused the sign-in (${error}${description}).`);
      }
      return c.json(Object.fromEntries(TOKEN_FIELDS.filter((k) => answer[k] !== undefined).map((k) => [k, answer[k]])));
    },
  );
}
