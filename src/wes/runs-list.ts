/** GET /runs — ListRuns: the caller's runs (admins: all), newest first, keyset-paginated. */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { listRuns } from "../db/runs";
import { legacyRunListScopes, runListScope, scopeOf } from "./context";
import { decodePageToken, encodePageToken, parsePageSize } from "./page-token";
import { runSummary } from "./views";

/** Registers GET /runs. */
export function registerRunsList(app: Hono<AppEnv>): void {
  app.get("/runs", requireUser, async (c) => {
    const scope = scopeOf(c);
    const size = parsePageSize(c.req.query("page_size"));
    const tokenScope = runListScope(scope);
    const token = c.req.query("page_token");
    const cursor = token ? await decodePageToken(c.env.DB, [tokenScope, ...legacyRunListScopes(scope)], token) : undefined;
    const rows = await listRuns(database(c.env.DB), scope, size + 1, cursor);
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    const next = rows.length > size && last ? await encodePageToken(c.env.DB, tokenScope, { k: last.createdAt, i: last.id }) : "";
    return c.json({ runs: page.map(runSummary), next_page_token: next });
  });
}
