/**
 * GET /runs — ListRuns: the caller's runs (admins: all), newest first, keyset-paginated, with the
 * filters of run-filters.ts. No `total_runs` (WES proposal #183): docs/usage.md says why.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { requireUser } from "../auth/middleware";
import { runPage, summaryRows } from "./run-page";
import { runSummary } from "./views";

/** Registers GET /runs. */
export function registerRunsList(app: Hono<AppEnv>): void {
  app.get("/runs", requireUser, async (c) => {
    const page = await runPage(c, summaryRows);
    return c.json({ runs: page.rows.map(runSummary), next_page_token: page.nextPageToken });
  });
}
