/**
 * One page of runs, newest first, after a keyset cursor, within the caller's scope and filters —
 * with every filter served by an index, so a page costs about the same at 100 runs and at
 * 100,000 (docs/architecture.md, "Listing runs"):
 *
 *  - no filter: `runs_owner_created` / `runs_created`;
 *  - states: one index range per state (`runs_owner_state_created` / `runs_state_created`), each
 *    cut at the page size, merged by UNION ALL — at most (states × page size) index rows read;
 *  - name: `runs_owner_name_created` / `runs_name_created`;
 *  - tags: the first tag's rows in `run_tags` (newest first), the others checked by primary key;
 *    a state or name filter with tags is checked on each candidate, so the cost is bounded by the
 *    runs that carry the first tag.
 *
 * The query picks the page's ids; the rows are then read by primary key (drizzle maps them).
 */
import { inArray } from "drizzle-orm";
import type { RunFilters } from "../wes/run-filters";
import type { Db } from "./client";
import type { Scope } from "./runs";
import { runs, type RunRow } from "./schema";

/** Position after which the page starts (creation time, then id, both descending). */
export interface ListCursor {
  k: number;
  i: string;
}

/** SQL and its bound values. */
interface Query {
  text: string;
  values: unknown[];
}

const ORDER = "ORDER BY created_at DESC, id DESC";
const ROW_CHUNK = 90;

/** The id query of a page: exported for the tests that check which index it walks. */
export function pageQuery(scope: Scope, filters: RunFilters, limit: number, cursor?: ListCursor): Query {
  const owner = "all" in scope ? undefined : scope.user;
  if (filters.tags.length > 0) return tagQuery(owner, filters, limit, cursor);
  const values: unknown[] = [];
  const where = (alias = "", extra: string[] = []) => {
    const parts = [...extra];
    if (owner !== undefined) {
      parts.unshift(`${alias}owner = ?`);
      values.push(owner);
    }
    return parts;
  };
  const after = (parts: string[]) => {
    if (cursor) {
      parts.push("(created_at, id) < (?, ?)");
      values.push(cursor.k, cursor.i);
    }
    return parts.length > 0 ? `WHERE ${parts.join(" AND ")}` : "";
  };
  if (filters.states.length > 0) {
    const branches = filters.states.map((state) => {
      const parts = where();
      parts.push("state = ?");
      values.push(state);
      if (filters.name !== undefined) {
        parts.push("run_name = ?");
        values.push(filters.name);
      }
      const clause = after(parts);
      values.push(limit);
      return `SELECT * FROM (SELECT id, created_at FROM runs ${clause} ${ORDER} LIMIT ?)`;
    });
    values.push(limit);
    return { text: `${branches.join(" UNION ALL ")} ${ORDER} LIMIT ?`, values };
  }
  const parts = where();
  if (filters.name !== undefined) {
    parts.push("run_name = ?");
    values.push(filters.name);
  }
  const clause = after(parts);
  values.push(limit);
  return { text: `SELECT id, created_at FROM runs ${clause} ${ORDER} LIMIT ?`, values };
}

function tagQuery(owner: string | undefined, filters: RunFilters, limit: number, cursor?: ListCursor): Query {
  const [[firstKey, firstValue], ...others] = filters.tags as [[string, string], ...Array<[string, string]>];
  const values: unknown[] = [];
  const parts: string[] = [];
  if (owner !== undefined) {
    parts.push("t.owner = ?");
    values.push(owner);
  }
  parts.push("t.key = ?", "t.value = ?");
  values.push(firstKey, firstValue);
  if (cursor) {
    parts.push("(t.created_at, t.run_id) < (?, ?)");
    values.push(cursor.k, cursor.i);
  }
  for (const [key, value] of others) {
    parts.push("EXISTS (SELECT 1 FROM run_tags o WHERE o.run_id = t.run_id AND o.key = ? AND o.value = ?)");
    values.push(key, value);
  }
  const join = filters.states.length > 0 || filters.name !== undefined ? "JOIN runs r ON r.id = t.run_id" : "";
  if (filters.states.length > 0) {
    parts.push(`r.state IN (${filters.states.map(() => "?").join(", ")})`);
    values.push(...filters.states);
  }
  if (filters.name !== undefined) {
    parts.push("r.run_name = ?");
    values.push(filters.name);
  }
  values.push(limit);
  return {
    text: `SELECT t.run_id AS id, t.created_at AS created_at FROM run_tags t ${join} WHERE ${parts.join(" AND ")} ORDER BY t.created_at DESC, t.run_id DESC LIMIT ?`,
    values,
  };
}

/** Runs the id query; returns the ids in page order and the rows D1 read for it (its cost). */
export async function pageIds(d1: D1Database, query: Query): Promise<{ ids: string[]; rowsRead: number }> {
  const result = await d1
    .prepare(query.text)
    .bind(...query.values)
    .all<{ id: string }>();
  return { ids: result.results.map((r) => r.id), rowsRead: result.meta.rows_read ?? 0 };
}

/** A page of at most `limit` runs, newest first, after `cursor`. */
export async function listRunPage(db: Db, d1: D1Database, scope: Scope, filters: RunFilters, limit: number, cursor?: ListCursor): Promise<RunRow[]> {
  const { ids } = await pageIds(d1, pageQuery(scope, filters, limit, cursor));
  if (ids.length === 0) return [];
  // D1 binds at most 100 parameters per statement; a page may hold 501 ids.
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += ROW_CHUNK) chunks.push(ids.slice(i, i + ROW_CHUNK));
  const rows = (await Promise.all(chunks.map((chunk) => db.select().from(runs).where(inArray(runs.id, chunk)).all()))).flat();
  const byId = new Map(rows.map((row) => [row.id, row]));
  // A run deleted between the two reads is simply left out.
  return ids.map((id) => byId.get(id)).filter((row): row is RunRow => row !== undefined);
}
