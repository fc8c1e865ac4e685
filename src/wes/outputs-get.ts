/**
 * GET /runs/{run_id}/outputs/{path} — downloads one output file of a run (owner and admins; 404
 * for others). `path` is relative to the run's own output location (the `path` of an entry of
 * `outputs["wes:run"].files`) and must name an object that exists there; `..`, encoded
 * traversal and anything that is not a plain relative path are refused. Answers 302 to a
 * short-lived presigned S3 URL, or with `Accept: application/json` `{"url", "expires_at"}` (for
 * a browser app that holds its token in memory and cannot follow a redirect with it).
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { findRun } from "../db/runs";
import { badRequest, runNotFound, WesError } from "../errors";
import { runExecutor } from "../executors/registry";
import { scopeOf, WES_BASE } from "./context";
import { parseOutputPath } from "./output-path";

/** The raw (still encoded) path after `/runs/<id>/outputs/`. */
function rawOutputPath(url: string, runSegment: string): string {
  const pathname = new URL(url).pathname;
  const head = `${WES_BASE}/runs/${runSegment}/outputs/`;
  return pathname.startsWith(head) ? pathname.slice(head.length) : "";
}

/** Registers GET /runs/{run_id}/outputs/{path}. */
export function registerOutputsGet(app: Hono<AppEnv>): void {
  app.get("/runs/:run_id/outputs/:path{.+}", requireUser, async (c) => {
    const runId = c.req.param("run_id");
    const run = await findRun(database(c.env.DB), scopeOf(c), runId);
    if (!run) throw runNotFound(runId);
    const runSegment = new URL(c.req.url).pathname.slice(`${WES_BASE}/runs/`.length).split("/")[0] ?? "";
    const parsed = parseOutputPath(rawOutputPath(c.req.url, runSegment));
    if (!parsed.ok) throw badRequest(`The output path ${parsed.problem}.`);
    const answer = await runExecutor(c.env).outputLink(run, parsed.path);
    if (answer.kind === "missing") throw new WesError(404, `Run '${run.id}' has no output file '${parsed.path.slice(0, 200)}'.`);
    if (answer.kind === "busy") {
      throw new WesError(503, `S3 is busy (the API budget has no call free now); retry in ${answer.retryAfterSeconds} s.`, {
        "Retry-After": String(answer.retryAfterSeconds),
      });
    }
    if (answer.kind === "unavailable") throw new WesError(502, answer.message);
    c.header("cache-control", "no-store");
    if ((c.req.header("accept") ?? "").toLowerCase().includes("application/json")) return c.json({ url: answer.url, expires_at: answer.expiresAt });
    return c.redirect(answer.url, 302);
  });
}
