/**
 * The benchmarks' yardsticks, a bare Hono app with no middleware, no authentication and no D1:
 * - GET /__bench/status answers the JSON that GET /runs/{id}/status answers (`{run_id, state}`).
 *   `npm run bench -- --scenarios overhead` (docs/performance.md) compares the real routes with
 *   it, served by the same workerd process and isolate, so the ratio is the cost of what the
 *   service adds.
 * - POST /__bench/buffered reads a multipart body with the platform's `formData()`, which holds
 *   the whole body, as POST /runs once did: `npm run bench:upload` measures its memory beside the
 *   streamed POST /runs.
 * src/index.ts mounts it only while WES_ENVIRONMENT is `development`: it never exists in a
 * deployment.
 */
import { Hono } from "hono";

/** Path prefix of the bare routes. */
export const BENCH_PREFIX = "/__bench/";

/**
 * The bare app: GET /__bench/status?run_id=<id> → `{"run_id": "<id>", "state": "RUNNING"}`;
 * POST /__bench/buffered (multipart) → `{"bytes": <total size of its parts>}`.
 */
export function benchApp(): Hono {
  return new Hono()
    .get(`${BENCH_PREFIX}status`, (c) => c.json({ run_id: c.req.query("run_id") ?? "", state: "RUNNING" }))
    .post(`${BENCH_PREFIX}buffered`, async (c) => {
      let bytes = 0;
      for (const [, value] of await c.req.raw.formData()) bytes += typeof value === "string" ? value.length : value.size;
      return c.json({ bytes });
    });
}
