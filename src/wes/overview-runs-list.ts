/**
 * GET /overview/runs — the caller's runs (admins: all) as the dashboard lists them: RunSummary
 * plus submission time, workflow and name (run-overview.ts). Same order, filters and page tokens
 * as GET /runs (a token from one works on the other).
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { runOverview } from "./run-overview";
import { runPage } from "./run-page";

/** Path of the overview list, relative to the API base. */
export const OVERVIEW_RUNS_PATH = "/overview/runs";

/** Registers GET /overview/runs. */
export function registerOverviewRunsList(app: Hono<AppEnv>): void {
  app.get(OVERVIEW_RUNS_PATH, requireUser, async (c) => {
    const page = await runPage(c);
    const viewer = principalOf(c);
    return c.json({ runs: page.rows.map((row) => runOverview(row, viewer)), next_page_token: page.nextPageToken });
  });
}
