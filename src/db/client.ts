/** The drizzle client over the D1 binding. */
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";

/** A drizzle database over D1 (query builder only: the service uses no relational queries). */
export type Db = DrizzleD1Database;

const clients = new WeakMap<D1Database, Db>();

/**
 * The drizzle client of a D1 binding, one per binding: building one is not free (it was a
 * measurable part of every request, docs/performance.md "Overhead"), and the binding of an
 * isolate does not change.
 */
export function database(d1: D1Database): Db {
  let db = clients.get(d1);
  if (!db) {
    db = drizzle(d1);
    clients.set(d1, db);
  }
  return db;
}
