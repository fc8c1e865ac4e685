/**
 * The overhead benchmark's yardstick: a bare Hono app whose one route, GET /__bench/status,
 * answers the JSON that GET /runs/{id}/status answers (`{run_id, state}`) with no middleware, no
 * authentication and no D1. `npm run bench -- --scenarios overhead` (docs/performance.md) compares
 * the real routes with it, served by the same workerd process and isolate, so the ratio is the cost
 * of what the service adds. src/index.ts mounts it only while WES_ENVIRONMENT is `development`: it
 * never exists in a deployment.
 */
import { Hono } from "hono";

/** Path of the bare route. */
export const BENCH_PATH = "/__bench/status";

/** The bare app: GET /__bench/status?run_id=<id> → `{"run_id": "<id>", "state": "RUNNING"}`. */
export function benchApp(): Hono {
  return new Hono().get(BENCH_PATH, (c) => c.json({ run_id: c.req.query("run_id") ?? "", state: "RUNNING" }));
}
