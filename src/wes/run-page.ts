/**
 * One page of the caller's runs for GET /runs and GET /overview/runs: page size, filters, and the
 * page token that carries them. A token keeps the filters it was made with: the next request may
 * repeat them or leave them out, and a token sent with other filters is a 400 (the pages would
 * not fit together).
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { database } from "../db/client";
import { type ListCursor, listRunPage } from "../db/run-list";
import { listRuns, type RunSummaryRow, type Scope } from "../db/runs";
import type { RunRow } from "../db/schema";
import { badRequest } from "../errors";
import { legacyRunListScopes, runListScope, scopeOf } from "./context";
import { decodePageToken, encodePageToken, parsePageSize } from "./page-token";
import { canonicalFilters, filtersFromCanonical, hasFilterParams, parseRunFilters, type RunFilters } from "./run-filters";

/** A page of runs and the token of the next one ("" on the last page). */
export interface RunPage<Row extends RunSummaryRow = RunRow> {
  rows: Row[];
  nextPageToken: string;
}

/** Reads `limit` rows of a page (the filters are already checked against the token). */
type PageReader<Row> = (c: Context<AppEnv>, scope: Scope, filters: RunFilters, limit: number, cursor?: ListCursor) => Promise<Row[]>;

/** Whole rows, through the filter-aware id query (GET /overview/runs). */
const wholeRows: PageReader<RunRow> = (c, scope, filters, limit, cursor) => listRunPage(database(c.env.DB), c.env.DB, scope, filters, limit, cursor);

/**
 * Summary columns (GET /runs): an unfiltered page — what polling clients ask for — is one prepared
 * statement (docs/performance.md, "Overhead"); a filtered one goes through the id query.
 */
export const summaryRows: PageReader<RunSummaryRow> = (c, scope, filters, limit, cursor) =>
  filters.states.length === 0 && filters.tags.length === 0 && filters.name === undefined
    ? listRuns(database(c.env.DB), scope, limit, cursor)
    : listRunPage(database(c.env.DB), c.env.DB, scope, filters, limit, cursor);

const EMPTY: RunFilters = { states: [], tags: [] };

/** Reads page_size, page_token and the filters of `c`, and the page they name. */
export async function runPage(c: Context<AppEnv>): Promise<RunPage>;
export async function runPage<Row extends RunSummaryRow>(c: Context<AppEnv>, reader: PageReader<Row>): Promise<RunPage<Row>>;
export async function runPage(c: Context<AppEnv>, reader: PageReader<RunSummaryRow> = wholeRows): Promise<RunPage<RunSummaryRow>> {
  const scope = scopeOf(c);
  const size = parsePageSize(c.req.query("page_size"));
  const tokenScope = runListScope(scope);
  const read = (name: string) => c.req.queries(name);
  const given = parseRunFilters(read);
  let filters = given;
  const token = c.req.query("page_token");
  const cursor = token ? await decodePageToken(c.env.DB, [tokenScope, ...legacyRunListScopes(scope)], token) : undefined;
  if (cursor) {
    const carried = cursor.f === undefined ? EMPTY : filtersFromCanonical(cursor.f);
    if (!carried) throw badRequest("page_token is not valid for this listing; omit it to start from the first page.");
    if (hasFilterParams(read) && canonicalFilters(given) !== canonicalFilters(carried)) {
      throw badRequest(
        "page_token belongs to a listing with other filters: send it with the same state, tag and name filters as the page it came from, or without any (the token carries them).",
      );
    }
    filters = carried;
  }
  const rows = await reader(c, scope, filters, size + 1, cursor);
  const page = rows.slice(0, size);
  const last = page[page.length - 1];
  const canonical = canonicalFilters(filters);
  const f = canonical === canonicalFilters(EMPTY) ? undefined : canonical;
  const nextPageToken =
    rows.length > size && last ? await encodePageToken(c.env.DB, tokenScope, { k: last.createdAt, i: last.id, ...(f !== undefined ? { f } : {}) }) : "";
  return { rows: page, nextPageToken };
}
