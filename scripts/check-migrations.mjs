/**
 * Fails when src/db/schema.ts has changed without a migration: runs `drizzle-kit generate`
 * against a scratch copy of migrations/ and checks that it had nothing to write.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scratch = mkdtempSync(join(tmpdir(), "wes-migrations-"));
try {
  cpSync(join(root, "migrations"), scratch, { recursive: true });
  const before = readdirSync(scratch).filter((f) => f.endsWith(".sql")).length;
  const result = spawnSync(join(root, "node_modules", ".bin", "drizzle-kit"), ["generate"], {
    cwd: root,
    env: { ...process.env, DRIZZLE_OUT: scratch },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    process.exit(1);
  }
  const after = readdirSync(scratch).filter((f) => f.endsWith(".sql")).length;
  if (after !== before) {
    console.error("src/db/schema.ts has changes that no migration covers: run `npm run db:generate -- --name <what-changed>` and commit migrations/.");
    process.exit(1);
  }
  console.log(`migrations/ covers src/db/schema.ts (${before} migration${before === 1 ? "" : "s"}).`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
