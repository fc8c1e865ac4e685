/** Service-wide secrets generated on first use and kept in D1 (`service_keys`). */
import { hex } from "../sha256";

const cache = new Map<string, Promise<string>>();

/** Returns the named key, creating a random 256-bit one the first time (race-safe: INSERT OR IGNORE). */
export function getOrCreateServiceKey(db: D1Database, name: string): Promise<string> {
  let value = cache.get(name);
  if (!value) {
    value = load(db, name);
    cache.set(name, value);
    value.catch(() => cache.delete(name));
  }
  return value;
}

async function load(db: D1Database, name: string): Promise<string> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const fresh = hex(bytes);
  await db.prepare("INSERT OR IGNORE INTO service_keys (name, value, created_at) VALUES (?1, ?2, ?3)").bind(name, fresh, Date.now()).run();
  const row = await db.prepare("SELECT value FROM service_keys WHERE name = ?1").bind(name).first<{ value: string }>();
  if (!row) throw new Error(`service key ${name} could not be stored`);
  return row.value;
}
