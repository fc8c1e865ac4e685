/**
 * The local AWS emulator (docs/emulator.md): one endpoint for HealthOmics, S3, CloudWatch Logs
 * and STS, routed by the service in each request's SigV4 credential scope (services.ts), plus
 * unsigned local endpoints: /__emulator/* for tests and tools (with the example workflows as
 * plain files under /__emulator/files/), and a GA4GH TRS v2 registry under /ga4gh/trs/v2/.
 * HealthOmics and CloudWatch Logs calls run in the single EmulatorState Durable Object; S3
 * bodies stream between the client and an R2 bucket.
 */
import type { AdminRequest } from "./admin";
import type { FrontRequest } from "./front";
import { handleLogs } from "./logs-front";
import { handleOmics } from "./omics-front";
import { handleS3 } from "./s3/handler";
import { routeService } from "./services";
import type { EmulatorVars } from "./settings";
import { handleStsFront } from "./sts";
import { serveExampleFile } from "./trs/files";
import { handleTrs, TRS_BASE } from "./trs/registry";

export { EmulatorState } from "./state";

function settingsOf(env: Env): EmulatorVars {
  return env as unknown as EmulatorVars;
}

/** Whether a request carries SigV4 credentials (then it is an AWS call, whatever its path). */
function signed(request: Request, url: URL): boolean {
  return request.headers.has("authorization") || url.searchParams.has("X-Amz-Credential");
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/__emulator/health") return Response.json({ ok: true });
    if (url.pathname.startsWith("/__emulator/files/")) return serveExampleFile(request, url);
    const stub = env.EMULATOR_STATE.get(env.EMULATOR_STATE.idFromName("global"));
    if (url.pathname.startsWith("/__emulator/")) {
      const req: AdminRequest = {
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: await request.text(),
      };
      const res = await stub.admin(req);
      return new Response(res.body, { status: res.status, headers: { "content-type": "application/json" } });
    }
    if ((url.pathname === TRS_BASE || url.pathname.startsWith(`${TRS_BASE}/`)) && !signed(request, url)) return handleTrs(request, url);

    const front: FrontRequest = {
      request,
      url,
      arrivedAt: Date.now(),
      requestId: crypto.randomUUID(),
      vars: settingsOf(env),
      objects: env.S3_OBJECTS,
      state: stub,
    };
    switch (routeService(request.method, url.pathname, request.headers, url.searchParams)) {
      case "s3":
        return handleS3(front);
      case "logs":
        return handleLogs(front);
      case "sts":
        return handleStsFront(front);
      default:
        return handleOmics(front);
    }
  },
} satisfies ExportedHandler<Env>;
