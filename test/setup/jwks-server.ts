/**
 * Global setup of the `workers` project: a stand-in OpenID provider on a free loopback port
 * (test/setup/ports.ts), so the Worker under test verifies tokens by fetching real HTTP, as in
 * production. Tests sign tokens with keys they generate and publish the public keys here.
 *
 * Each test file uses its own tenant, so key rotations in one file cannot disturb another:
 *   GET  /t/{tenant}/.well-known/openid-configuration   discovery (issuer = <base>/t/{tenant})
 *   GET  /t/{tenant}/jwks                                the tenant's JWKS ({"keys":[]} at first)
 *   PUT  /t/{tenant}/jwks                                replaces the JWKS (JSON body)
 *   PUT  /t/{tenant}/status                              {"status": 503} makes the IdP answer that (200 restores)
 *   GET  /t/{tenant}/stats                               {"jwks": fetches, "discovery": fetches}
 * The base URL reaches the Worker as the TEST_OIDC_BASE binding (vitest.config.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { testPorts } from "./ports";

interface Tenant {
  jwks: unknown;
  status: number;
  fetches: { jwks: number; discovery: number };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
}

export default async function setup(): Promise<() => Promise<void>> {
  const { jwks: port } = await testPorts();
  const base = `http://127.0.0.1:${port}`;
  const tenants = new Map<string, Tenant>();
  const tenant = (name: string): Tenant => {
    let t = tenants.get(name);
    if (!t) tenants.set(name, (t = { jwks: { keys: [] }, status: 200, fetches: { jwks: 0, discovery: 0 } }));
    return t;
  };
  const server = createServer((req, res) => {
    void (async () => {
      const match = /^\/t\/([A-Za-z0-9_-]+)\/(.+)$/.exec(new URL(req.url ?? "/", base).pathname);
      if (!match) return send(res, 404, { error: "unknown path" });
      const t = tenant(match[1]!);
      const what = match[2]!;
      if (req.method === "PUT" && what === "jwks") {
        t.jwks = await readJson(req);
        return send(res, 200, { ok: true });
      }
      if (req.method === "PUT" && what === "status") {
        t.status = ((await readJson(req)) as { status: number }).status;
        return send(res, 200, { ok: true });
      }
      if (req.method === "GET" && what === "stats") return send(res, 200, t.fetches);
      if (req.method === "GET" && what === "jwks") {
        t.fetches.jwks++;
        return t.status === 200 ? send(res, 200, t.jwks) : send(res, t.status, { error: "down" });
      }
      if (req.method === "GET" && what === ".well-known/openid-configuration") {
        t.fetches.discovery++;
        const issuer = `${base}/t/${match[1]}`;
        return t.status === 200 ? send(res, 200, { issuer, jwks_uri: `${issuer}/jwks` }) : send(res, t.status, { error: "down" });
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
