/**
 * The dashboard's OpenID Connect sign-in at the HTTP level, through the Worker and the stand-in
 * provider (test/setup/jwks-server.ts): GET /oidc/config, the authorization code flow with PKCE
 * (S256), the code exchange through POST /oidc/token, and the token then working on the API;
 * and every refusal (OIDC off, wrong verifier, foreign redirect_uri, a used code, bad requests).
 * The browser side of the same flow: test/browser/dashboard-oidc.test.ts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";

const TENANT = "dashboard-oidc";
const OIDC_BASE = (env as unknown as { TEST_OIDC_BASE: string }).TEST_OIDC_BASE;
const ISSUER = `${OIDC_BASE}/t/${TENANT}`;
const ORIGIN = "http://wes.test";
const CALLBACK = `${ORIGIN}/auth/callback`;
const app = createApp();

function oidcEnv(overrides: Record<string, string> = {}): Env {
  return {
    ...env,
    WES_OIDC_ISSUER: ISSUER,
    WES_OIDC_AUDIENCE: "wes-api",
    WES_OIDC_JWKS_URL: "",
    WES_DASHBOARD_OIDC_CLIENT_ID: "wes-dashboard",
    WES_DASHBOARD_OIDC_SCOPE: "",
    ...overrides,
  } as Env;
}
const onEnv = oidcEnv();

async function fetchWorker(path: string, init: RequestInit = {}, useEnv: Env = onEnv): Promise<Response> {
  return await app.fetch(new Request(`${ORIGIN}${path}`, init), useEnv);
}

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

async function pkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  return { verifier, challenge };
}

interface Config {
  enabled: boolean;
  authorization_endpoint?: string;
  client_id?: string;
  scope?: string;
  audience?: string;
  redirect_path?: string;
}

/** What the dashboard does before the redirect back: the config, then the provider's authorize endpoint. */
async function authorize(challenge: string, state = "s-1"): Promise<string> {
  const config = (await (await fetchWorker("/oidc/config")).json()) as Config;
  const url = new URL(config.authorization_endpoint!);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.client_id!,
    redirect_uri: `${ORIGIN}${config.redirect_path}`,
    scope: config.scope!,
    audience: config.audience!,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  const res = await fetch(url, { redirect: "manual" });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get("Location")!);
  expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
  expect(back.searchParams.get("state")).toBe(state);
  return back.searchParams.get("code")!;
}

function exchange(fields: Record<string, string>, useEnv: Env = onEnv, type = "application/x-www-form-urlencoded"): Promise<Response> {
  return fetchWorker("/oidc/token", { method: "POST", headers: { "Content-Type": type }, body: new URLSearchParams(fields).toString() }, useEnv);
}

describe("GET /oidc/config", () => {
  it("is off unless both the API's OIDC and the dashboard's client id are set", async () => {
    expect(await (await fetchWorker("/oidc/config", {}, env)).json()).toEqual({ enabled: false });
    expect(await (await fetchWorker("/oidc/config", {}, oidcEnv({ WES_DASHBOARD_OIDC_CLIENT_ID: "" }))).json()).toEqual({ enabled: false });
  });

  it("names the provider's authorization endpoint (from discovery), the client, scopes and audience", async () => {
    const res = await fetchWorker("/oidc/config");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      enabled: true,
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      client_id: "wes-dashboard",
      scope: "openid wes:read wes:submit wes:cancel wes:delete",
      audience: "wes-api",
      redirect_path: "/auth/callback",
    });
  });

  it("is a 503 with Retry-After when the provider cannot be reached, and a 503 naming a bad setting", async () => {
    const downTenant = `${OIDC_BASE}/t/dashboard-oidc-down`;
    const put = await fetch(`${downTenant}/status`, { method: "PUT", body: JSON.stringify({ status: 503 }) });
    await put.body?.cancel();
    const down = await fetchWorker("/oidc/config", {}, oidcEnv({ WES_OIDC_ISSUER: downTenant }));
    expect(down.status).toBe(503);
    expect(down.headers.get("Retry-After")).toBe("30");
    expect(((await down.json()) as { msg: string }).msg).toContain("HTTP 503");
    const bad = await fetchWorker("/oidc/config", {}, oidcEnv({ WES_DASHBOARD_OIDC_CLIENT_ID: "two words" }));
    expect(bad.status).toBe(503);
    expect(((await bad.json()) as { msg: string }).msg).toContain("WES_DASHBOARD_OIDC_CLIENT_ID");
  });
});

describe("sign-in with the authorization code and PKCE", () => {
  it("exchanges the code through POST /oidc/token, and the access token works on the API", async () => {
    const { verifier, challenge } = await pkce();
    const code = await authorize(challenge);
    const res = await exchange({ grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: CALLBACK });
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(tokens).sort()).toEqual(["access_token", "expires_in", "id_token", "scope", "token_type"]);
    const runs = await fetchWorker("/ga4gh/wes/v1/runs", { headers: { Authorization: `Bearer ${tokens.access_token as string}` } });
    expect(runs.status).toBe(200);
    // The code is single-use.
    const again = await exchange({ grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: CALLBACK });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { msg: string }).msg).toContain("invalid_grant");
  });

  it("is refused by the provider with another verifier (PKCE), as a 400 ErrorResponse", async () => {
    const { challenge } = await pkce();
    const other = await pkce();
    const code = await authorize(challenge);
    const res = await exchange({ grant_type: "authorization_code", code, code_verifier: other.verifier, redirect_uri: CALLBACK });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { msg: string; status_code: number };
    expect(body.status_code).toBe(400);
    expect(body.msg).toContain("code_verifier does not match");
  });

  it("refuses what it should never pass on", async () => {
    const { verifier } = await pkce();
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ grant_type: "authorization_code", code: "c", code_verifier: verifier, redirect_uri: "https://evil.example/cb" }, 400, "redirect_uri must be"],
      [{ grant_type: "authorization_code", code: "c", code_verifier: "short", redirect_uri: CALLBACK }, 400, "code_verifier"],
      [{ grant_type: "authorization_code", code_verifier: verifier, redirect_uri: CALLBACK }, 400, "needs code"],
      [{ grant_type: "client_credentials" }, 400, "grant_type"],
      [{ grant_type: "refresh_token", refresh_token: "r" }, 400, "grant_type"],
    ];
    for (const [fields, status, text] of cases) {
      const res = await exchange(fields);
      expect(res.status, JSON.stringify(fields)).toBe(status);
      expect(((await res.json()) as { msg: string }).msg).toContain(text);
    }
    expect((await exchange({ grant_type: "authorization_code" }, onEnv, "application/json")).status).toBe(415);
    expect((await exchange({ grant_type: "authorization_code" }, env)).status).toBe(404);
    const huge = await exchange({ grant_type: "authorization_code", code: "x".repeat(20_000) });
    expect(huge.status).toBe(413);
  });
});
