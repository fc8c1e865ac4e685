/**
 * A stand-in OpenID provider on a free loopback port, so the Worker under test verifies tokens by
 * fetching real HTTP, as in production, and the dashboard signs in with the authorization code
 * flow and PKCE against a real (if tiny) provider. The `workers` project starts one
 * (globalSetup; tests sign tokens with keys they generate and publish the public keys here); the
 * `node` project starts another for the `npm start` stack (test/setup/stack-process.ts).
 *
 * Each test file uses its own tenant, so key rotations in one file cannot disturb another:
 *   GET  /t/{tenant}/.well-known/openid-configuration   discovery (issuer = <base>/t/{tenant})
 *   GET  /t/{tenant}/jwks                                the tenant's JWKS (published keys, plus its own signing key once it issued a token)
 *   PUT  /t/{tenant}/jwks                                replaces the published keys (JSON body)
 *   PUT  /t/{tenant}/status                              {"status": 503} makes the IdP answer that (200 restores)
 *   PUT  /t/{tenant}/user                                {"sub": "...", "claims": {...}}: who the authorize endpoint signs in
 *   GET  /t/{tenant}/stats                               {"jwks": fetches, "discovery": fetches}
 *   GET  /t/{tenant}/authorize                           authorization code flow: approves at once, redirects to redirect_uri with code and state
 *   POST /t/{tenant}/token                               code + code_verifier (S256) → access token (aud = the authorize request's audience) and ID token
 * The base URL reaches the Worker as the TEST_OIDC_BASE binding (vitest.config.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { testPorts } from "./ports";

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
  audience: string;
}

interface Tenant {
  jwks: { keys: JWK[] };
  status: number;
  user: { sub: string; claims: Record<string, unknown> };
  signing?: { key: CryptoKey; jwk: JWK };
  codes: Map<string, Grant>;
  fetches: { jwks: number; discovery: number };
  exchanges: number;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const base64url = (bytes: Buffer) => bytes.toString("base64url");

async function signingKey(t: Tenant): Promise<{ key: CryptoKey; jwk: JWK }> {
  if (!t.signing) {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    t.signing = { key: privateKey, jwk: { ...(await exportJWK(publicKey)), kid: `idp-${randomBytes(4).toString("hex")}`, alg: "ES256", use: "sig" } };
  }
  return t.signing;
}

/** Starts a provider on `port`; resolves to a function that stops it. */
export async function startIdp(port: number): Promise<() => Promise<void>> {
  const base = `http://127.0.0.1:${port}`;
  const tenants = new Map<string, Tenant>();
  const tenant = (name: string): Tenant => {
    let t = tenants.get(name);
    if (!t) {
      t = { jwks: { keys: [] }, status: 200, user: { sub: "oidc-user", claims: {} }, codes: new Map(), fetches: { jwks: 0, discovery: 0 }, exchanges: 0 };
      tenants.set(name, t);
    }
    return t;
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", base);
      const match = /^\/t\/([A-Za-z0-9_-]+)\/(.+)$/.exec(url.pathname);
      if (!match) return send(res, 404, { error: "unknown path" });
      const t = tenant(match[1]!);
      const issuer = `${base}/t/${match[1]}`;
      const what = match[2]!;
      if (req.method === "PUT" && what === "jwks") {
        t.jwks = JSON.parse(await readBody(req)) as { keys: JWK[] };
        return send(res, 200, { ok: true });
      }
      if (req.method === "PUT" && what === "status") {
        t.status = (JSON.parse(await readBody(req)) as { status: number }).status;
        return send(res, 200, { ok: true });
      }
      if (req.method === "PUT" && what === "user") {
        const user = JSON.parse(await readBody(req)) as { sub: string; claims?: Record<string, unknown> };
        t.user = { sub: user.sub, claims: user.claims ?? {} };
        return send(res, 200, { ok: true });
      }
      if (req.method === "GET" && what === "stats") return send(res, 200, t.fetches);
      if (req.method === "GET" && what === "jwks") t.fetches.jwks++;
      if (req.method === "GET" && what === ".well-known/openid-configuration") t.fetches.discovery++;
      if (t.status !== 200) return send(res, t.status, { error: "down" });
      if (req.method === "GET" && what === "jwks") {
        return send(res, 200, { keys: [...t.jwks.keys, ...(t.signing ? [t.signing.jwk] : [])] });
      }
      if (req.method === "GET" && what === ".well-known/openid-configuration") {
        return send(res, 200, {
          issuer,
          jwks_uri: `${issuer}/jwks`,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          response_types_supported: ["code"],
          code_challenge_methods_supported: ["S256"],
        });
      }
      if (req.method === "GET" && what === "authorize") {
        const q = url.searchParams;
        const redirect = q.get("redirect_uri");
        if (!redirect) return send(res, 400, { error: "invalid_request", error_description: "redirect_uri is required" });
        const back = new URL(redirect);
        if (q.get("response_type") !== "code" || q.get("code_challenge_method") !== "S256" || !q.get("code_challenge") || !q.get("client_id")) {
          back.searchParams.set("error", "invalid_request");
        } else {
          const code = base64url(randomBytes(24));
          await signingKey(t); // published in the JWKS before any token signed with it exists
          t.codes.set(code, {
            clientId: q.get("client_id")!,
            redirectUri: redirect,
            challenge: q.get("code_challenge")!,
            scope: q.get("scope") ?? "openid",
            audience: q.get("audience") ?? "wes-api",
          });
          back.searchParams.set("code", code);
        }
        if (q.get("state") !== null) back.searchParams.set("state", q.get("state")!);
        res.writeHead(302, { Location: back.toString() });
        return res.end();
      }
      if (req.method === "POST" && what === "token") {
        t.exchanges++;
        const form = new URLSearchParams(await readBody(req));
        const grant = t.codes.get(form.get("code") ?? "");
        const refuse = (description: string) => send(res, 400, { error: "invalid_grant", error_description: description });
        if (form.get("grant_type") !== "authorization_code") return send(res, 400, { error: "unsupported_grant_type" });
        if (!grant) return refuse("unknown or used code");
        t.codes.delete(form.get("code")!);
        if (grant.clientId !== form.get("client_id")) return refuse("another client's code");
        if (grant.redirectUri !== form.get("redirect_uri")) return refuse("redirect_uri does not match");
        const verifier = form.get("code_verifier") ?? "";
        if (base64url(createHash("sha256").update(verifier).digest()) !== grant.challenge) return refuse("code_verifier does not match the challenge");
        const { key, jwk } = await signingKey(t);
        const now = Math.floor(Date.now() / 1000);
        const sign = (claims: Record<string, unknown>, audience: string) =>
          new SignJWT(claims)
            .setProtectedHeader({ alg: "ES256", kid: jwk.kid! })
            .setIssuer(issuer)
            .setSubject(t.user.sub)
            .setAudience(audience)
            .setIssuedAt(now)
            .setExpirationTime(now + 300)
            .sign(key);
        return send(res, 200, {
          access_token: await sign({ ...t.user.claims, scope: grant.scope }, grant.audience),
          id_token: await sign({ name: t.user.sub }, grant.clientId),
          token_type: "Bearer",
          expires_in: 300,
          scope: grant.scope,
        });
      }
      return send(res, 404, { error: "unknown path" });
    })().catch((error: unknown) => send(res, 400, { error: String(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

export default async function setup(): Promise<() => Promise<void>> {
  const { jwks } = await testPorts();
  return await startIdp(jwks);
}
