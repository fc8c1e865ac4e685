/**
 * A hostile-header sweep over every endpoint — the WES routes, the admin metrics and the
 * HealthOmics events endpoint — under each authentication mode (Basic only, static tokens only,
 * OIDC only, all three with the failed-authentication guard on). Each probe sends one hostile
 * header (oversized, malformed, injection-shaped, non-ASCII) beside a valid credential, or a
 * hostile credential alone. Whatever arrives, the service must never answer 5xx, must answer every
 * error as an ErrorResponse whose status_code is the HTTP status, must keep its security headers,
 * and must never show internals or a secret (passwords, tokens, the events secret) in a body.
 * POST /runs bodies, paths and query strings have their own sweep (test/node/wes-fuzz.test.ts).
 */
import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { API, basic, runBody } from "../support/api";
import { leaksIn } from "../support/leaks";
import { drain } from "../support/runs";

const ORIGIN = "http://wes.test";
const OIDC_BASE = (env as unknown as { TEST_OIDC_BASE: string }).TEST_OIDC_BASE;
const ISSUER = `${OIDC_BASE}/t/hostile-headers`;
const AUDIENCE = "https://wes.test/hostile";
const EVENTS_HEADER = "x-wes-events-secret";
const EVENTS_SECRET = (env as unknown as { HEALTHOMICS_EVENTS_SECRET: string }).HEALTHOMICS_EVENTS_SECRET;

/** Text that must never appear in any answer (the sweep sends all of it in headers). */
const SECRETS = [
  "demo-token-0123456789",
  "admin-token-0123456789abc",
  "guest-token-0123456789",
  "hunter2-wrong-password",
  EVENTS_SECRET,
  "made-up-token-0123456789abcdef",
];

let signingKey: CryptoKey;
let kid: string;

async function jwt(sub: string, extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
  return await new SignJWT({ ...extra })
    .setProtectedHeader({ alg: "RS256", kid, ...header })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(signingKey);
}

const b64url = (text: string) => btoa(text).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

interface Mode {
  name: string;
  env: Env;
  /** A valid user credential and a valid admin credential of this mode. */
  user: () => Promise<string>;
  admin: () => Promise<string>;
}

const OIDC_VARS = {
  WES_OIDC_ISSUER: ISSUER,
  WES_OIDC_AUDIENCE: AUDIENCE,
  WES_OIDC_JWKS_URL: `${ISSUER}/jwks`,
  WES_OIDC_ADMIN_CLAIM: "groups",
  WES_OIDC_ADMIN_VALUE: "wes-admins",
  WES_OIDC_GROUPS_CLAIM: "groups",
};

const MODES: Mode[] = [
  { name: "Basic only", env: { ...env, WES_TOKENS: "" } as Env, user: async () => basic("demo"), admin: async () => basic("admin") },
  {
    name: "static tokens only",
    env: { ...env, WES_USERS: "", WES_TOKENS: "demo:demo-token-0123456789,admin:admin-token-0123456789abc" } as Env,
    user: async () => "Bearer demo-token-0123456789",
    admin: async () => "Bearer admin-token-0123456789abc",
  },
  {
    name: "OIDC only",
    env: { ...env, WES_USERS: "", WES_TOKENS: "", ...OIDC_VARS } as Env,
    user: async () => `Bearer ${await jwt("hostile-oidc-user")}`,
    admin: async () => `Bearer ${await jwt("hostile-oidc-admin", { groups: ["wes-admins"] })}`,
  },
  {
    name: "all three, guard on",
    env: { ...env, ...OIDC_VARS, WES_AUTH_FAILURE_LIMIT: "3" } as Env,
    user: async () => basic("demo"),
    admin: async () => `Bearer ${await jwt("hostile-oidc-admin", { groups: ["wes-admins"] })}`,
  },
];

/** Every endpoint, with the credential it needs to get past authentication and a body that is valid enough to reach its handler. */
interface Endpoint {
  method: string;
  path: string;
  as: "user" | "admin" | "events" | "none";
  body?: () => string;
  contentType?: string;
}

const EVENT = JSON.stringify({
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "Run Status Change",
  source: "aws.omics",
  account: "123456789012",
  time: "2026-11-27T00:00:00Z",
  region: "us-east-1",
  resources: [],
  detail: { status: "RUNNING", uuid: "00000000-0000-4000-8000-000000000000", runId: "1234567" },
});

const ENDPOINTS: Endpoint[] = [
  { method: "GET", path: `${API}/service-info`, as: "none" },
  { method: "GET", path: `${API}/service-info`, as: "user" },
  { method: "GET", path: `${API}/auth-instructions`, as: "none" },
  { method: "GET", path: `${API}/runs?page_size=2`, as: "user" },
  // Reaches the handler and is refused (400) before anything is stored: no run per probe.
  {
    method: "POST",
    path: `${API}/runs`,
    as: "user",
    body: () => JSON.stringify(runBody("1000001", { workflow_type: "NOPE" })),
    contentType: "application/json",
  },
  { method: "GET", path: `${API}/runs/no-such-run`, as: "user" },
  { method: "GET", path: `${API}/runs/no-such-run/status`, as: "user" },
  { method: "POST", path: `${API}/runs/no-such-run/cancel`, as: "user" },
  { method: "GET", path: `${API}/runs/no-such-run/tasks`, as: "user" },
  { method: "GET", path: `${API}/runs/no-such-run/tasks/1`, as: "user" },
  { method: "DELETE", path: `${API}/runs`, as: "user" },
  { method: "OPTIONS", path: `${API}/runs`, as: "none" },
  { method: "GET", path: `${API}/no-such-endpoint`, as: "user" },
  { method: "GET", path: `${ORIGIN}/admin/metrics`, as: "admin" },
  { method: "GET", path: `${ORIGIN}/admin/metrics`, as: "user" },
  { method: "POST", path: `${ORIGIN}/integrations/healthomics/events`, as: "events", body: () => EVENT, contentType: "application/json" },
  { method: "POST", path: `${ORIGIN}/integrations/healthomics/events`, as: "none", body: () => EVENT, contentType: "application/json" },
];

const LONG = "x".repeat(16 * 1024);
const LATIN1 = "caf\u00e9 \u00ff\u00fe \u00a0";
const SQL = "' OR '1'='1'; DROP TABLE runs; --";

/** One hostile header each (sent beside the endpoint's valid credential). */
const HOSTILE_HEADERS: Array<[string, string]> = [
  ...[
    "",
    "text/plain",
    "application/json; charset=utf-16",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    `multipart/form-data; boundary=${"b".repeat(5000)}`,
    ";;;===",
    LATIN1,
    LONG,
    "application/json, text/plain",
  ].map((v): [string, string] => ["Content-Type", v]),
  ...["application/xml", "*/*;q=garbage", "text/html", LONG, LATIN1].map((v): [string, string] => ["Accept", v]),
  ...["gzip, br, zstd;q=0", "identity;q=0", "x-made-up", LONG].map((v): [string, string] => ["Accept-Encoding", v]),
  ...["null", "https://evil.example", "http://wes.test", LONG, `https://${LATIN1}`].map((v): [string, string] => ["Origin", v]),
  ...["", " ", LATIN1, SQL, "k".repeat(256), LONG].map((v): [string, string] => ["Idempotency-Key", v]),
  ...["999.999.1.1", "::ffff:1.2.3.4", "1.2.3.4, 5.6.7.8", "fe80::1%eth0", "::::", SQL, LONG, ""].map((v): [string, string] => ["CF-Connecting-IP", v]),
  ...["1.2.3.4, 5.6.7.8", SQL, LONG].map((v): [string, string] => ["X-Forwarded-For", v]),
  ...["DELETE", "PUT", LONG].map((v): [string, string] => ["X-HTTP-Method-Override", v]),
  ...["", "wrong", EVENTS_SECRET.slice(0, -1), `${EVENTS_SECRET}x`, ` ${EVENTS_SECRET}`, LONG, LATIN1].map((v): [string, string] => [EVENTS_HEADER, v]),
  ["Range", "bytes=0-1"],
  ["If-None-Match", "*"],
  ["If-Modified-Since", "garbage"],
  ["Cookie", `session=${LONG}`],
  ["Transfer-Encoding", "chunked"],
  ["Access-Control-Request-Method", "DELETE"],
  ["Access-Control-Request-Headers", `x-evil, ${LONG}`],
  ["Forwarded", `for=${SQL};proto=gopher`],
  ["User-Agent", LONG],
  ["Referer", `javascript:alert(1)//${LONG}`],
  ["X-Request-Id", `injected\u00ff${SQL}`],
];

/**
 * Hostile credentials (sent instead of the valid one). `valid`: odd but genuine — extra spaces
 * after the scheme (RFC 7235 allows 1*SP) or a token the IdP really signed with strange claims —
 * which may get in, though never as an admin.
 */
async function hostileAuthorizations(): Promise<Array<{ value: string; valid?: boolean }>> {
  const none = `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64url(JSON.stringify({ sub: "admin", iss: ISSUER, aud: AUDIENCE, exp: 4_102_444_800, groups: ["wes-admins"] }))}.`;
  const refused = [
    "",
    "Basic",
    "Basic !!!",
    `Basic ${btoa("no-colon")}`,
    `Basic ${btoa(`demo:${"p".repeat(10_000)}`)}`,
    basic("demo", "hunter2-wrong-password"),
    `Basic ${btoa("' OR 1=1 --:x")}`,
    `basic ${btoa("demo:demo")}`.toUpperCase(),
    `Basic ${btoa("demo:demo")}, Bearer demo-token-0123456789`,
    "Bearer",
    "Bearer ",
    "Bearer made-up-token-0123456789abcdef",
    `Bearer ${"t".repeat(20_000)}`,
    `Bearer ${none}`,
    `Bearer ${none}c2ln`,
    `Bearer ${await jwt("x", {}, { kid: "no-such-kid" })}`,
    `Bearer ${await jwt("x", {}, { kid: "../../etc/passwd" })}`,
    `Bearer ${await jwt("x".repeat(300))}`,
    `Bearer ${"a".repeat(3000)}.${"b".repeat(3000)}.${"c".repeat(3000)}`,
    `Bearer e30.e30.${LATIN1}`,
    `Digest username="admin"`,
    `Negotiate ${LONG}`,
    LATIN1,
    SQL,
  ];
  const valid = [
    "Bearer  demo-token-0123456789",
    `Bearer ${await jwt("odd-claims", { groups: { nested: [1, 2, { deep: "wes-admins" }] }, scope: 12 })}`,
    `Bearer ${await jwt("odd-groups", { groups: ["wes-admins\u0000", " wes-admins", "WES-ADMINS"] })}`,
  ];
  return [...refused.map((value) => ({ value })), ...valid.map((value) => ({ value, valid: true }))];
}

interface Probe {
  mode: Mode;
  endpoint: Endpoint;
  label: string;
  headers: Record<string, string>;
}

/** Whether the app answered as an API must; returns the broken promises. */
async function judge(probe: Probe, res: Response): Promise<string[]> {
  const problems: string[] = [];
  const text = await res.text();
  if (res.status >= 500) problems.push(`answered ${res.status}`);
  if (res.headers.get("X-Content-Type-Options") !== "nosniff" || res.headers.get("Cache-Control") !== "no-store") problems.push("lost its security headers");
  if (res.status >= 400 && probe.endpoint.method !== "HEAD") {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const error = body as { msg?: unknown; status_code?: unknown } | undefined;
    if (typeof error?.msg !== "string" || error.msg === "" || error.status_code !== res.status)
      problems.push(`${res.status} body is not an ErrorResponse with that status_code`);
  }
  for (const secret of SECRETS) if (text.includes(secret)) problems.push(`echoes a secret (${secret.slice(0, 8)}…)`);
  problems.push(...leaksIn(text, Object.values(probe.headers).join("\n")));
  return problems;
}

const app = createApp();

async function send(probe: Probe): Promise<string[]> {
  const init: RequestInit = { method: probe.endpoint.method, headers: probe.headers };
  if (probe.endpoint.body) init.body = probe.endpoint.body();
  let res: Response;
  try {
    res = await app.fetch(new Request(probe.endpoint.path, init), probe.mode.env);
  } catch (error) {
    return [`threw ${String(error).slice(0, 200)}`];
  }
  return (await judge(probe, res)).map(
    (p) => `${probe.mode.name} | ${probe.endpoint.method} ${probe.endpoint.path.replace(ORIGIN, "")} | ${probe.label}: ${p}`,
  );
}

async function credentialFor(mode: Mode, endpoint: Endpoint): Promise<Record<string, string>> {
  if (endpoint.as === "user") return { Authorization: await mode.user() };
  if (endpoint.as === "admin") return { Authorization: await mode.admin() };
  if (endpoint.as === "events") return { [EVENTS_HEADER]: EVENTS_SECRET };
  return {};
}

async function sweep(probes: Probe[]): Promise<string[]> {
  const broken: string[] = [];
  for (let i = 0; i < probes.length; i += 16) {
    for (const problems of await Promise.all(probes.slice(i, i + 16).map(send))) broken.push(...problems);
  }
  return broken;
}

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  signingKey = privateKey;
  kid = `hostile-${crypto.randomUUID()}`;
  const res = await fetch(`${ISSUER}/jwks`, {
    method: "PUT",
    body: JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" }] }),
  });
  expect(res.status).toBe(200);
});

describe.each(MODES)("hostile headers, $name", (mode) => {
  it("one hostile header beside a valid credential, on every endpoint", async () => {
    // The credentials are good, so the probes reach the handlers (a sweep stuck at 401 would prove nothing).
    const read = await app.fetch(
      new Request(`${API}/runs?page_size=1`, { headers: { Authorization: await mode.user(), "CF-Connecting-IP": "192.0.2.10" } }),
      mode.env,
    );
    expect(read.status).toBe(200);
    const metrics = await app.fetch(
      new Request(`${ORIGIN}/admin/metrics`, { headers: { Authorization: await mode.admin(), "CF-Connecting-IP": "192.0.2.10" } }),
      mode.env,
    );
    expect(metrics.status).toBe(200);
    await Promise.all([read.body?.cancel(), metrics.body?.cancel()]);
    const probes: Probe[] = [];
    for (const endpoint of ENDPOINTS) {
      const credential = await credentialFor(mode, endpoint);
      for (const [name, value] of HOSTILE_HEADERS) {
        const headers: Record<string, string> = { ...credential, ...(endpoint.contentType ? { "Content-Type": endpoint.contentType } : {}) };
        // The header under test replaces a valid one of the same name (e.g. the events secret).
        const existing = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
        if (existing) delete headers[existing];
        headers[name] = value;
        probes.push({ mode, endpoint, label: `${name}: ${JSON.stringify(value.slice(0, 24))}${value.length > 24 ? `… (${value.length})` : ""}`, headers });
      }
    }
    expect(await sweep(probes)).toEqual([]);
  });

  it("hostile credentials on every endpoint never get in, crash, or echo", async () => {
    const probes: Probe[] = [];
    for (const endpoint of ENDPOINTS) {
      for (const { value } of await hostileAuthorizations()) {
        const headers: Record<string, string> = { Authorization: value, ...(endpoint.contentType ? { "Content-Type": endpoint.contentType } : {}) };
        if (endpoint.as === "events") headers[EVENTS_HEADER] = EVENTS_SECRET;
        probes.push({ mode, endpoint, label: `Authorization ${JSON.stringify(value.slice(0, 24))}`, headers });
      }
    }
    expect(await sweep(probes)).toEqual([]);
    // None of them is let in; the odd genuine ones never as admins. Each from a client address of
    // its own, so the guard (which has blocked the sweep's address) cannot answer 429 for it.
    let client = 0;
    for (const { value, valid } of await hostileAuthorizations()) {
      if (value === "") continue;
      const from = () => `198.51.100.${++client}`;
      const read = await app.fetch(new Request(`${API}/runs`, { headers: { Authorization: value, "CF-Connecting-IP": from() } }), mode.env);
      await read.body?.cancel();
      // (A genuine one gets in where its scheme is enabled; one whose scope claim has the wrong type is 403.)
      expect(valid ? [200, 401, 403] : [401], `${mode.name}: ${value.slice(0, 40)}`).toContain(read.status);
      const admin = await app.fetch(new Request(`${ORIGIN}/admin/metrics`, { headers: { Authorization: value, "CF-Connecting-IP": from() } }), mode.env);
      await admin.body?.cancel();
      expect(valid ? [401, 403] : [401], `${mode.name} (admin): ${value.slice(0, 40)}`).toContain(admin.status);
    }
  });
});

describe("hostile headers on a request that creates a run", () => {
  const created: string[] = [];

  afterAll(async () => {
    for (const runId of created) {
      await app.fetch(new Request(`${API}/runs/${runId}/cancel`, { method: "POST", headers: { Authorization: basic("admin") } }), env);
      await drain(runId);
    }
  });

  it("Idempotency-Key: bad keys are a 400 naming the header, good ones work under every mode", async () => {
    for (const mode of MODES) {
      for (const key of ["", LATIN1, "k".repeat(256), LONG, SQL, "k".repeat(255)]) {
        const res = await app.fetch(
          new Request(`${API}/runs`, {
            method: "POST",
            body: JSON.stringify(runBody("1000001")),
            // A client address of its own: the sweep above got the default one blocked by the guard.
            headers: { Authorization: await mode.user(), "Content-Type": "application/json", "Idempotency-Key": key, "CF-Connecting-IP": "192.0.2.77" },
          }),
          mode.env,
        );
        const body = (await res.json()) as { run_id?: string; msg?: string; status_code?: number };
        const printable = /^[\x20-\x7e]{1,255}$/.test(key);
        if (printable) {
          expect(res.status, `${mode.name} ${key.slice(0, 20)}: ${body.msg}`).toBe(200);
          created.push(body.run_id!);
        } else {
          expect(res.status, `${mode.name} ${key.slice(0, 20)}`).toBe(400);
          expect(body).toMatchObject({ status_code: 400 });
          expect(body.msg).toContain("Idempotency-Key");
        }
      }
    }
  });
});

describe("the sweep's judge (so a silent judge cannot pass the sweep)", () => {
  const probe: Probe = { mode: MODES[0]!, endpoint: ENDPOINTS[0]!, label: "t", headers: { "X-Test": "' OR 1=1" } };
  const answer = (status: number, body: string, headers: Record<string, string> = { "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" }) =>
    new Response(body, { status, headers });

  it("accepts a proper ErrorResponse", async () => {
    expect(await judge(probe, answer(401, JSON.stringify({ msg: "Authentication required.", status_code: 401 })))).toEqual([]);
  });

  it("flags 5xx, wrong shapes, lost headers, secrets and internals", async () => {
    expect((await judge(probe, answer(500, JSON.stringify({ msg: "x", status_code: 500 })))).join()).toMatch(/answered 500/);
    expect((await judge(probe, answer(400, "Bad Request"))).join()).toMatch(/not an ErrorResponse/);
    expect((await judge(probe, answer(400, JSON.stringify({ msg: "x", status_code: 404 })))).join()).toMatch(/not an ErrorResponse/);
    expect((await judge(probe, answer(200, "{}", {}))).join()).toMatch(/security headers/);
    expect((await judge(probe, answer(401, JSON.stringify({ msg: `bad ${EVENTS_SECRET}`, status_code: 401 })))).join()).toMatch(/echoes a secret/);
    expect((await judge(probe, answer(400, JSON.stringify({ msg: "D1_ERROR: no such table: runs", status_code: 400 })))).join()).toMatch(/D1\/SQLite/);
  });
});
