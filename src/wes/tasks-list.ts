/** GET /runs/{run_id}/tasks — ListTasks: the run's TaskLogs in HealthOmics order, keyset-paginated. */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { findRun } from "../db/runs";
import { listTasks } from "../db/tasks";
import { runNotFound } from "../errors";
import { apiRoot, scopeOf } from "./context";
import { decodePageToken, encodePageToken, parsePageSize } from "./page-token";
import { taskLog } from "./views";

/** Registers GET /runs/{run_id}/tasks. */
export function registerTasksList(app: Hono<AppEnv>): void {
  app.get("/runs/:run_id/tasks", requireUser, async (c) => {
    const runId = c.req.param("run_id");
    const viewer = principalOf(c);
    const db = database(c.env.DB);
    const run = await findRun(db, scopeOf(c), runId);
    if (!run) throw runNotFound(runId);
    const size = parsePageSize(c.req.query("page_size"));
    const tokenScope = `tasks:${run.id}`;
    const token = c.req.query("page_token");
    const cursor = token ? await decodePageToken(c.env.DB, tokenScope, token) : undefined;
    const rows = await listTasks(db, run.id, size + 1, cursor);
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    const root = apiRoot(c);
    const next = rows.length > size && last ? await encodePageToken(c.env.DB, tokenScope, { k: last.position, i: last.id }) : "";
    return c.json({ task_logs: page.map((row) => taskLog(row, viewer, root)), next_page_token: next });
  });
}
