/** The drizzle client over the D1 binding. */
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/** A drizzle database over D1. */
export type Db = ReturnType<typeof database>;

/** Wraps the D1 binding in drizzle (cheap: no connection, safe to call per request). */
export function database(d1: D1Database) {
  return drizzle(d1, { schema });
}
