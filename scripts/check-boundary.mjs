/**
 * The executor boundary: the WES layer (src/wes/, src/routes.ts, src/app.ts) talks to executors
 * only through src/executors/executor.ts and src/executors/registry.ts. This fails when one of its
 * modules imports anything else under src/executors/, or the HealthOmics-only parts that live
 * beside them (the API budget, the executor settings, the events endpoint).
 * Run by `npm test` / `npm run check`; `boundaryViolations` is tested in test/node/boundary.test.ts.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Modules of the WES layer (relative to the repository root). */
const WES_LAYER = [/^src\/wes\//, /^src\/routes\.ts$/, /^src\/app\.ts$/];
/** What the WES layer may import from src/executors/. */
const ALLOWED = new Set(["src/executors/executor", "src/executors/registry"]);
/** Executor internals the WES layer may not import, besides src/executors/ itself. */
const FORBIDDEN = [/^src\/executors\//, /^src\/budget\//, /^src\/executor-config$/, /^src\/events\//];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Every import of a WES-layer module under `root` that crosses the boundary, as "file → target". */
export function boundaryViolations(root) {
  const out = [];
  for (const file of files(join(root, "src"))) {
    const name = relative(root, file).split("\\").join("/");
    if (!WES_LAYER.some((re) => re.test(name))) continue;
    const text = readFileSync(file, "utf8");
    for (const [, spec] of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)) {
      if (!spec.startsWith(".")) continue;
      const target = relative(root, resolve(dirname(file), spec))
        .split("\\")
        .join("/")
        .replace(/\.(ts|js|mjs)$/, "");
      if (ALLOWED.has(target)) continue;
      if (FORBIDDEN.some((re) => re.test(target))) out.push(`${name} → ${target}`);
    }
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const violations = boundaryViolations(root);
  if (violations.length > 0) {
    console.error(`The WES layer imports executor internals (use src/executors/executor.ts and registry.ts):\n  ${violations.join("\n  ")}`);
    process.exit(1);
  }
  console.log("The WES layer imports only src/executors/executor.ts and registry.ts.");
}
