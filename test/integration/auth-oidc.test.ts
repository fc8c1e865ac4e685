/**
 * OpenID Connect bearer tokens through the real app: tokens signed with keys generated here, the
 * public keys published on the stand-in OpenID provider (test/setup/jwks-server.ts), verified by
 * the Worker over HTTP. Covers every way a token can be wrong, key rotation, scopes per endpoint,
 * per-user isolation and the admin role.
 */
import { env } from "cloudflare:workers";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { executorSettings } from "../../src/executor-config";
import { omicsClient } from "../../src/executors/healthomics/client/factory";
import { API, basic, runBody } from "../support/api";
import { drain, drive } from "../support/runs";

const OIDC_BASE = (env as unknown as { TEST_OIDC_BASE: string }).TEST_OIDC_BASE;
const AUDIENCE = "https://wes.test/api";
const tenantUrl = (tenant: string) => `${OIDC_BASE}/t/${tenant}`;
const ISSUER = tenantUrl("oidc-main");

interface ErrorBody {
  msg: string;
  status_code: number;
}

/** An env with OIDC on (besides the test users and tokens), plus `overrides`. */
function oidcEnv(overrides: Record<string, string> = {}): Env {
  return {
    ...env,
    WES_OIDC_ISSUER: ISSUER,
    WES_OIDC_AUDIENCE: `https://other.example/api,${AUDIENCE}`,
    WES_OIDC_JWKS_URL: `${ISSUER}/jwks`,
    WES_OIDC_ADMIN_CLAIM: "groups",
    WES_OIDC_ADMIN_VALUE: "wes-admins",
    WES_OIDC_JWKS_REFRESH_SECONDS: "1",
    ...overrides,
  } as Env;
}

const app = createApp();
const mainEnv = oidcEnv();

async function call(path: string, init: RequestInit & { token?: string } = {}, useEnv: Env = mainEnv): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  return await app.fetch(new Request(path.startsWith("http") ? path : `${API}${path}`, { ...init, headers }), useEnv);
}

async function submitAs(token: string): Promise<Response> {
  return await call("/runs", { method: "POST", token, body: JSON.stringify(runBody("1000001")), headers: { "Content-Type": "application/json" } });
}

async function runIdOf(res: Response): Promise<string> {
  const body = (await res.json()) as { run_id?: string; msg?: string };
  if (res.status !== 200 || !body.run_id) throw new Error(`submit failed: ${res.status} ${JSON.stringify(body)}`);
  return body.run_id;
}

async function publish(tenant: string, keys: JWK[]): Promise<void> {
  const res = await fetch(`${tenantUrl(tenant)}/jwks`, { method: "PUT", body: JSON.stringify({ keys }) });
  expect(res.status).toBe(200);
}

async function setStatus(tenant: string, status: number): Promise<void> {
  expect((await fetch(`${tenantUrl(tenant)}/status`, { method: "PUT", body: JSON.stringify({ status }) })).status).toBe(200);
}

async function stats(tenant: string): Promise<{ jwks: number; discovery: number }> {
  return (await (await fetch(`${tenantUrl(tenant)}/stats`)).json()) as { jwks: number; discovery: number };
}

interface SigningKey {
  kid: string;
  alg: "RS256" | "ES256" | "PS256";
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function newKey(kid: string, alg: SigningKey["alg"] = "RS256"): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

interface MintOptions {
  key?: SigningKey;
  kid?: string;
  iss?: string;
  aud?: string | string[];
  /** Seconds from now; null leaves the claim out. */
  exp?: number | null;
  nbf?: number;
  iat?: number;
}

const now = () => Math.floor(Date.now() / 1000);
let main: SigningKey;
let ec: SigningKey;
let ps: SigningKey;

async function mint(claims: Record<string, unknown>, options: MintOptions = {}): Promise<string> {
  const key = options.key ?? main;
  const jwt = new SignJWT({ ...claims })
    .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: "at+jwt" })
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt(options.iat === undefined ? now() : now() + options.iat);
  if (options.exp !== null) jwt.setExpirationTime(now() + (options.exp ?? 300));
  if (options.nbf !== undefined) jwt.setNotBefore(now() + options.nbf);
  return await jwt.sign(key.privateKey);
}

const b64url = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

async function expect401(res: Response, msg: RegExp): Promise<void> {
  const body = (await res.json()) as ErrorBody;
  expect(res.status, body.msg).toBe(401);
  expect(body.status_code).toBe(401);
  expect(body.msg).toMatch(msg);
  const challenge = res.headers.get("WWW-Authenticate") ?? "";
  expect(challenge).toContain('Bearer realm="GA4GH WES", error="invalid_token", error_description="');
  expect(challenge).toContain('Basic realm="GA4GH WES"'); // Basic is on too (WES_USERS)
}

async function expect403(res: Response, scope: string): Promise<void> {
  const body = (await res.json()) as ErrorBody;
  expect(res.status, body.msg).toBe(403);
  expect(body).toMatchObject({ status_code: 403 });
  expect(body.msg).toContain(`'${scope}'`);
  expect(res.headers.get("WWW-Authenticate")).toContain(`error="insufficient_scope"`);
  expect(res.headers.get("WWW-Authenticate")).toContain(`scope="${scope}"`);
}

const created: string[] = [];

beforeAll(async () => {
  [main, ec, ps] = await Promise.all([newKey("main-1"), newKey("ec-1", "ES256"), newKey("ps-1", "PS256")]);
  await publish("oidc-main", [main.jwk, ec.jwk, ps.jwk]);
});

afterAll(async () => {
  // Cancel first, so no run is left live with an alarm that would fire after this file ends.
  for (const runId of created) {
    await call(`/runs/${runId}/cancel`, { method: "POST", headers: { Authorization: basic("admin") } });
    await drain(runId);
  }
});

describe("valid tokens", () => {
  it("authenticate as the sub claim's user, whose runs they are", async () => {
    const token = await mint({ sub: "alice-oidc" });
    expect((await call("/runs", { token })).status).toBe(200);
    const runId = await runIdOf(await submitAs(token));
    created.push(runId);
    const row = await env.DB.prepare("SELECT owner FROM runs WHERE id = ?1").bind(runId).first<{ owner: string }>();
    expect(row?.owner).toBe("alice-oidc");
    expect((await call(`/runs/${runId}`, { token })).status).toBe(200);
  });

  it("accept ES256 and PS256 keys, and any configured audience", async () => {
    expect((await call("/runs", { token: await mint({ sub: "alice-oidc" }, { key: ec }) })).status).toBe(200);
    expect((await call("/runs", { token: await mint({ sub: "alice-oidc" }, { key: ps, aud: ["x", "https://other.example/api"] }) })).status).toBe(200);
  });

  it("within the clock skew, an expired or early token is still accepted", async () => {
    expect((await call("/runs", { token: await mint({ sub: "alice-oidc" }, { exp: -30 }) })).status).toBe(200);
    expect((await call("/runs", { token: await mint({ sub: "alice-oidc" }, { nbf: 30, iat: 30 }) })).status).toBe(200);
  });

  it("name the user by another claim when WES_OIDC_USER_CLAIM says so", async () => {
    const byEmail = oidcEnv({ WES_OIDC_USER_CLAIM: "email" });
    expect((await call("/runs", { token: await mint({ sub: "x", email: "erin@example.org" }) }, byEmail)).status).toBe(200);
    await expect401(await call("/runs", { token: await mint({ sub: "x" }) }, byEmail), /no 'email' claim \(WES_OIDC_USER_CLAIM\)/);
  });
});

describe("refused tokens are 401 with an RFC 6750 challenge", () => {
  it.each<[string, () => Promise<string>, RegExp]>([
    ["expired", () => mint({ sub: "alice-oidc" }, { exp: -120 }), /expired/],
    ["not yet valid (nbf)", () => mint({ sub: "alice-oidc" }, { nbf: 300 }), /not valid yet \(nbf\)/],
    ["issued in the future (iat)", () => mint({ sub: "alice-oidc" }, { iat: 300 }), /issued in the future/],
    ["without exp", () => mint({ sub: "alice-oidc" }, { exp: null }), /no expiry \(exp\)/],
    [
      "from another issuer",
      () => mint({ sub: "alice-oidc" }, { iss: "https://evil.example" }),
      /another issuer; this service accepts tokens from http:\/\/127\.0\.0\.1:\d+\/t\/oidc-main/,
    ],
    ["for another audience", () => mint({ sub: "alice-oidc" }, { aud: "https://wes.other/api" }), /not meant for this service/],
    ["without the user claim", () => mint({ name: "Alice" }), /no 'sub' claim \(WES_OIDC_USER_CLAIM\)/],
    ["with a user claim that is not a name", () => mint({ sub: "alice oidc" }), /'sub' claim .* without spaces/],
  ])("%s", async (_, token, msg) => {
    await expect401(await call("/runs", { token: await token() }), msg);
  });

  it("alg none", async () => {
    const token = `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ sub: "admin", iss: ISSUER, aud: AUDIENCE, exp: now() + 300, groups: ["wes-admins"] })}.`;
    await expect401(await call("/runs", { token }), /algorithm 'none' is not accepted/);
  });

  it("HS256 signed with the IdP's public key (algorithm confusion)", async () => {
    for (const secret of [new TextEncoder().encode(await exportSPKI(main.publicKey)), new TextEncoder().encode(JSON.stringify(main.jwk))]) {
      const token = await new SignJWT({ sub: "alice-oidc" })
        .setProtectedHeader({ alg: "HS256", kid: main.kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime("5m")
        .sign(secret);
      await expect401(await call("/runs", { token }), /algorithm 'HS256' is not accepted; use RS256, ES256, PS256/);
    }
  });

  it("a tampered payload", async () => {
    const [header, , signature] = (await mint({ sub: "alice-oidc" })).split(".");
    const forged = b64url({ sub: "mallory", iss: ISSUER, aud: AUDIENCE, exp: now() + 300, groups: ["wes-admins"] });
    await expect401(await call("/runs", { token: `${header}.${forged}.${signature}` }), /signature is not valid/);
  });

  it("a token signed by a key the IdP does not publish", async () => {
    const stranger = await newKey(main.kid); // same kid, other key
    await expect401(await call("/runs", { token: await mint({ sub: "alice-oidc" }, { key: stranger }) }), /signature is not valid/);
  });

  it("garbage in JWT shape, also on service-info", async () => {
    await expect401(await call("/runs", { token: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln" }), /not a well-formed signed JWT|signature/);
    await expect401(await call("/service-info", { token: "aaa.bbb.ccc" }), /well-formed/);
  });
});

describe("signing keys", () => {
  it("an unknown kid is refused, then accepted once the IdP publishes the key (refresh)", async () => {
    const next = await newKey("main-2");
    const token = await mint({ sub: "alice-oidc" }, { key: next });
    await expect401(await call("/runs", { token }), /unknown kid/);
    await publish("oidc-main", [main.jwk, ec.jwk, ps.jwk, next.jwk]);
    // At most one key-set fetch per WES_OIDC_JWKS_REFRESH_SECONDS (1 s here).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await call("/runs", { token })).status).toBe(200);
    expect((await call("/runs", { token: await mint({ sub: "alice-oidc" }) })).status).toBe(200); // the old key still works
  });

  it("a flood of made-up kids fetches the key set at most once per refresh interval", async () => {
    const tenant = "oidc-flood";
    const key = await newKey("flood-1");
    await publish(tenant, [key.jwk]);
    const floodEnv = oidcEnv({ WES_OIDC_ISSUER: tenantUrl(tenant), WES_OIDC_JWKS_URL: `${tenantUrl(tenant)}/jwks`, WES_OIDC_JWKS_REFRESH_SECONDS: "30" });
    const mintHere = (kid: string) => mint({ sub: "alice-oidc" }, { key, kid, iss: tenantUrl(tenant) });
    expect((await call("/runs", { token: await mintHere("flood-1") }, floodEnv)).status).toBe(200);
    for (let i = 0; i < 20; i++) await expect401(await call("/runs", { token: await mintHere(`bogus-${i}`) }, floodEnv), /unknown kid/);
    expect((await stats(tenant)).jwks).toBe(1);
  });

  it("concurrent first requests of a cold isolate share one key-set fetch", async () => {
    const tenant = "oidc-cold";
    const key = await newKey("cold-1");
    await publish(tenant, [key.jwk]);
    const coldEnv = oidcEnv({ WES_OIDC_ISSUER: tenantUrl(tenant), WES_OIDC_JWKS_URL: `${tenantUrl(tenant)}/jwks`, WES_OIDC_JWKS_REFRESH_SECONDS: "30" });
    const token = await mint({ sub: "alice-oidc" }, { key, iss: tenantUrl(tenant) });
    const answers = await Promise.all(Array.from({ length: 10 }, () => call("/runs", { token }, coldEnv)));
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect((await stats(tenant)).jwks).toBe(1);
  });

  it("keys come from OIDC discovery when WES_OIDC_JWKS_URL is empty", async () => {
    const tenant = "oidc-discovery";
    const key = await newKey("disc-1", "ES256");
    await publish(tenant, [key.jwk]);
    const discoveryEnv = oidcEnv({ WES_OIDC_ISSUER: tenantUrl(tenant), WES_OIDC_JWKS_URL: "" });
    for (let i = 0; i < 3; i++) {
      expect((await call("/runs", { token: await mint({ sub: "alice-oidc" }, { key, iss: tenantUrl(tenant) }) }, discoveryEnv)).status).toBe(200);
    }
    expect(await stats(tenant)).toEqual({ jwks: 1, discovery: 1 });
  });

  it("an unreachable IdP is a 503 (not a 401), and a failed refresh keeps the keys it has", async () => {
    const tenant = "oidc-down";
    const key = await newKey("down-1");
    await publish(tenant, [key.jwk]);
    await setStatus(tenant, 503);
    const downEnv = oidcEnv({ WES_OIDC_ISSUER: tenantUrl(tenant), WES_OIDC_JWKS_URL: `${tenantUrl(tenant)}/jwks` });
    const token = await mint({ sub: "alice-oidc" }, { key, iss: tenantUrl(tenant) });
    const res = await call("/runs", { token }, downEnv);
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorBody).msg).toMatch(/signing keys are unavailable/);
    await setStatus(tenant, 200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await call("/runs", { token }, downEnv)).status).toBe(200);
    await setStatus(tenant, 503);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // An unknown kid forces a refresh, which fails: the known key still verifies.
    await expect401(await call("/runs", { token: await mint({ sub: "alice-oidc" }, { key, kid: "other", iss: tenantUrl(tenant) }) }, downEnv), /unknown kid/);
    expect((await call("/runs", { token }, downEnv)).status).toBe(200);
    await setStatus(tenant, 200);
  });
});

describe("scopes", () => {
  it("a read-only token can read but neither submit nor cancel", async () => {
    const writer = await mint({ sub: "sam-oidc" });
    const runId = await runIdOf(await submitAs(writer));
    created.push(runId);
    for (const reader of [await mint({ sub: "sam-oidc", scope: "openid profile wes:read" }), await mint({ sub: "sam-oidc", scp: ["wes:read"] })]) {
      expect((await call("/runs", { token: reader })).status).toBe(200);
      for (const path of [`/runs/${runId}`, `/runs/${runId}/status`, `/runs/${runId}/tasks`])
        expect((await call(path, { token: reader })).status, path).toBe(200);
      await expect403(await submitAs(reader), "wes:submit");
      await expect403(await call(`/runs/${runId}/cancel`, { method: "POST", token: reader }), "wes:cancel");
    }
  });

  it("a submit-only token can submit but not list or read", async () => {
    const submitter = await mint({ sub: "sam-oidc", permissions: ["wes:submit"] });
    const runId = await runIdOf(await submitAs(submitter));
    created.push(runId);
    await expect403(await call("/runs", { token: submitter }), "wes:read");
    await expect403(await call(`/runs/${runId}`, { token: submitter }), "wes:read");
    await expect403(await call(`/runs/${runId}/tasks/t1`, { token: submitter }), "wes:read");
    // service-info still answers, without state counts.
    const info = await call("/service-info", { token: submitter });
    expect(info.status).toBe(200);
    expect(Object.values(((await info.json()) as { system_state_counts: Record<string, number> }).system_state_counts).every((n) => n === 0)).toBe(true);
  });

  it("a cancel scope cancels", async () => {
    const runId = await runIdOf(await submitAs(await mint({ sub: "sam-oidc" })));
    created.push(runId);
    expect((await call(`/runs/${runId}/cancel`, { method: "POST", token: await mint({ sub: "sam-oidc", scope: "wes:cancel" }) })).status).toBe(200);
  });

  it("a token with a scope claim but none of ours may do nothing (but service-info)", async () => {
    const token = await mint({ sub: "sam-oidc", scope: "openid email" });
    await expect403(await call("/runs", { token }), "wes:read");
    expect((await call("/service-info", { token })).status).toBe(200);
  });
});

describe("claims of the wrong type fail closed", () => {
  it.each([
    [{ scope: { a: 1 } }, "scope", "an object"],
    [{ scope: 5 }, "scope", "a number"],
    [{ scope: null, permissions: null }, "scope", "null"],
    [{ scp: ["wes:submit", 1] }, "scp", "a list with items that are not strings"],
  ])("a scope claim %j is a 403 naming the claim, never 'no scope claim' (every right)", async (claims, name, kind) => {
    const token = await mint({ sub: "sam-oidc", groups: ["wes-admins"], ...claims });
    for (const res of [
      await submitAs(token),
      await call("/runs", { token }),
      await call("/runs/x/cancel", { method: "POST", token }),
      await call("http://wes.test/admin/metrics", { token }),
    ]) {
      const body = (await res.json()) as ErrorBody;
      expect(res.status, body.msg).toBe(403);
      expect(body.msg).toBe(
        `The token's '${name}' claim must be a space-separated string or a list of strings, but it is ${kind}; this token may do nothing that needs a scope.`,
      );
      expect(res.headers.get("WWW-Authenticate")).toContain('error="insufficient_scope"');
    }
    // The open endpoints still answer.
    expect((await call("/service-info", { token })).status).toBe(200);
  });

  it("a sub of 256 × é submits a run whose output URI StartRun accepts (a bounded owner folder)", async () => {
    const res = await submitAs(await mint({ sub: "é".repeat(256) }));
    const runId = await runIdOf(res);
    created.push(runId);
    expect(await drive(runId, (state) => state !== "QUEUED")).not.toBe("SYSTEM_ERROR");
    const row = await env.DB.prepare("SELECT omics_run_id FROM runs WHERE id = ?1").bind(runId).first<{ omics_run_id: string }>();
    const got = await omicsClient(executorSettings(env)).getRun(row!.omics_run_id);
    if (!got.ok) throw new Error(`GetRun failed: ${got.error.type}`);
    expect(got.value.outputUri!.length).toBeLessThanOrEqual(750);
    expect(got.value.outputUri).toMatch(/^s3:\/\/wes-test-outputs\/users\/~~[0-9a-f]{32}\/runs\//);
  });
});

describe("isolation and admins", () => {
  let aliceRun: string;
  beforeAll(async () => {
    aliceRun = await runIdOf(await submitAs(await mint({ sub: "alice-iso" })));
    created.push(aliceRun);
  });

  const listIds = async (token: string) =>
    ((await (await call("/runs?page_size=100", { token })).json()) as { runs: Array<{ run_id: string }> }).runs.map((r) => r.run_id);

  it("another OIDC user, or a Basic user, sees another user's run as not found", async () => {
    const bob = await mint({ sub: "bob-iso" });
    for (const path of [`/runs/${aliceRun}`, `/runs/${aliceRun}/status`, `/runs/${aliceRun}/tasks`])
      expect((await call(path, { token: bob })).status, path).toBe(404);
    expect((await call(`/runs/${aliceRun}/cancel`, { method: "POST", token: bob })).status).toBe(404);
    expect(await listIds(bob)).not.toContain(aliceRun);
    expect((await call(`/runs/${aliceRun}`, { headers: { Authorization: basic("demo") } })).status).toBe(404);
    expect(await listIds(await mint({ sub: "alice-iso" }))).toContain(aliceRun);
  });

  it("the admin group sees every run and the metrics", async () => {
    const admin = await mint({ sub: "carol-iso", groups: ["staff", "wes-admins"] });
    expect((await call(`/runs/${aliceRun}`, { token: admin })).status).toBe(200);
    expect(await listIds(admin)).toContain(aliceRun);
    expect((await call("http://wes.test/admin/metrics", { token: admin })).status).toBe(200);
    // A string claim equal to the value works too.
    expect((await call(`/runs/${aliceRun}`, { token: await mint({ sub: "carol-iso", groups: "wes-admins" }) })).status).toBe(200);
    // And so does a scoped token with wes:admin.
    expect((await call(`/runs/${aliceRun}`, { token: await mint({ sub: "carol-iso", groups: ["wes-admins"], scope: "wes:read wes:admin" }) })).status).toBe(
      200,
    );
  });

  it("the admin group without the wes:admin scope is an ordinary user", async () => {
    const scoped = await mint({ sub: "carol-iso", groups: ["wes-admins"], scope: "wes:read" });
    expect((await call(`/runs/${aliceRun}`, { token: scoped })).status).toBe(404);
    expect(await listIds(scoped)).not.toContain(aliceRun);
    await expect403(await call("http://wes.test/admin/metrics", { token: scoped }), "wes:admin");
  });

  it("the wes:admin scope without the admin group grants nothing", async () => {
    const pretender = await mint({ sub: "dave-iso", groups: ["staff"], scope: "wes:read wes:admin" });
    expect((await call(`/runs/${aliceRun}`, { token: pretender })).status).toBe(404);
    await expect403(await call("http://wes.test/admin/metrics", { token: pretender }), "wes:admin");
  });
});

describe("groups from the token (WES_OIDC_GROUPS_CLAIM) in data-access rules", () => {
  const groupsEnv = oidcEnv({
    WES_OIDC_GROUPS_CLAIM: "groups",
    WES_GROUPS: "core:demo",
    WES_ALLOWED_INPUT_PREFIXES: "@sequencing=s3://seq-lab/runs/;@core=s3://core-lab/",
  });
  const submitInput = async (authorization: string, input: string) =>
    await call(
      "/runs",
      {
        method: "POST",
        body: JSON.stringify(runBody("1000001", { workflow_params: { input_file: input } })),
        headers: { "Content-Type": "application/json", Authorization: authorization },
      },
      groupsEnv,
    );
  const refusedNaming = async (res: Response, uri: string) => {
    const body = (await res.json()) as ErrorBody;
    expect(res.status, body.msg).toBe(400);
    expect(body.msg).toContain(uri);
  };

  it("a member of the IdP group may read its prefix; a non-member is refused naming the URI", async () => {
    const member = await submitInput(`Bearer ${await mint({ sub: "erin-grp", groups: ["/sequencing", "staff"] })}`, "s3://seq-lab/runs/a.fastq");
    created.push(await runIdOf(member));
    await refusedNaming(
      await submitInput(`Bearer ${await mint({ sub: "frank-grp", groups: ["staff"] })}`, "s3://seq-lab/runs/a.fastq"),
      "s3://seq-lab/runs/a.fastq",
    );
  });

  it("a token naming a group WES_GROUPS lists gains nothing: its members are the list", async () => {
    await refusedNaming(await submitInput(`Bearer ${await mint({ sub: "frank-grp", groups: ["core"] })}`, "s3://core-lab/x.fastq"), "s3://core-lab/x.fastq");
    // The listed member (a Basic user here) reads it, and has no IdP groups.
    created.push(await runIdOf(await submitInput(basic("demo"), "s3://core-lab/x.fastq")));
    await refusedNaming(await submitInput(basic("demo"), "s3://seq-lab/runs/a.fastq"), "s3://seq-lab/runs/a.fastq");
  });
});

describe("schemes together and apart", () => {
  it("Basic users and static tokens keep working beside OIDC", async () => {
    expect((await call("/runs", { headers: { Authorization: basic("demo") } })).status).toBe(200);
    expect((await call("/runs", { token: "demo-token-0123456789" })).status).toBe(200);
    const wrong = await call("/runs", { token: "demo-token-0123456780" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("WWW-Authenticate")).toContain('error="invalid_token", error_description="The bearer token is not valid."');
  });

  it("with OIDC off, a JWT is looked up as a static token", async () => {
    const res = await call("/runs", { token: await mint({ sub: "alice-oidc" }) }, env);
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).msg).toBe("The bearer token is not valid.");
  });

  it("OIDC alone: only a Bearer challenge, Basic refused, and service-info and the instructions say so", async () => {
    const only = oidcEnv({ WES_USERS: "", WES_TOKENS: "" });
    const anonymous = await call("/runs", {}, only);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("WWW-Authenticate")).toBe('Bearer realm="GA4GH WES"');
    expect(((await anonymous.json()) as ErrorBody).msg).toBe("Authentication required: send a bearer token.");
    const basicTry = await call("/runs", { headers: { Authorization: basic("demo") } }, only);
    expect(basicTry.status).toBe(401);
    expect(((await basicTry.json()) as ErrorBody).msg).toMatch(/HTTP Basic is not enabled/);
    expect((await call("/runs", { token: await mint({ sub: "alice-oidc" }) }, only)).status).toBe(200);
    const info = (await (await call("/service-info", {}, only)).json()) as { tags: Record<string, string> };
    expect(info.tags).toMatchObject({ auth_schemes: "oidc", oidc_issuer: ISSUER, oidc_audience: `https://other.example/api,${AUDIENCE}` });
    const page = await (await call("/auth-instructions", {}, only)).text();
    expect(page).toContain(`issuer:   ${ISSUER}`);
    expect(page).toContain("wes:submit");
    expect(page).not.toContain("WES_USERS");
  });

  it("all three: service-info lists them", async () => {
    const info = (await (await call("/service-info")).json()) as { tags: Record<string, string> };
    expect(info.tags.auth_schemes).toBe("basic,bearer,oidc");
  });
});

describe("configuration errors are 503 naming the variable", () => {
  it.each<[string, Record<string, string>, string]>([
    ["no audience", { WES_OIDC_AUDIENCE: "" }, "WES_OIDC_AUDIENCE must name at least one audience"],
    ["a plain-http issuer", { WES_OIDC_ISSUER: "http://idp.example.org/realms/x" }, "WES_OIDC_ISSUER must be an https URL"],
    ["a bad skew", { WES_OIDC_CLOCK_SKEW_SECONDS: "-5" }, "WES_OIDC_CLOCK_SKEW_SECONDS"],
    ["half an admin rule", { WES_OIDC_ADMIN_VALUE: "" }, "WES_OIDC_ADMIN_CLAIM and WES_OIDC_ADMIN_VALUE must be set together"],
    ["an audience without issuer", { WES_OIDC_ISSUER: "" }, "WES_OIDC_ISSUER is empty"],
  ])("%s", async (_, overrides, msg) => {
    const res = await call("/runs", { headers: { Authorization: basic("demo") } }, oidcEnv(overrides));
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorBody).msg).toContain(msg);
  });
});
