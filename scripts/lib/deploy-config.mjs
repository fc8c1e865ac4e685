/**
 * The Wrangler configuration `npm run deploy` uploads: the tracked wrangler.toml (code-level
 * settings: entry point, Durable Objects and their migrations, cron, defaults of every var) with
 * the operator's untracked `deploy/<env>.toml` merged over it (account, D1 database id, worker
 * name, routes, their vars, observability). Pure functions; scripts/deploy.mjs does the I/O.
 */
import { isAbsolute, resolve } from "node:path";

/** Keys an environment file may not change: the code defines them, and every environment must agree. */
const CODE_KEYS = ["main", "durable_objects", "migrations", "compatibility_date", "compatibility_flags", "triggers", "env"];

/** Environment names: lower-case letters, digits and hyphens (they become part of the worker name). */
export const ENV_NAME = /^[a-z][a-z0-9-]{0,30}$/;

/** The D1 database id wrangler.toml carries for local development and tests. */
export const PLACEHOLDER_DATABASE_ID = "00000000-0000-0000-0000-000000000000";

const isTable = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/** Tables merge key by key; everything else (values, arrays) is replaced. */
function deepMerge(base, over) {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = isTable(value) && isTable(base[key]) ? deepMerge(base[key], value) : value;
  return out;
}

/**
 * Merges `overlay` (a parsed deploy/<env>.toml) over `base` (the parsed wrangler.toml) for
 * environment `env`. Returns the configuration and the problems that forbid using it.
 * - `[[d1_databases]]` entries merge by `binding` (an unknown binding is a problem);
 * - `[vars]` merge by name; `WES_ENVIRONMENT` defaults to `env` outside production;
 * - `name` defaults to wrangler.toml's name in production and `<name>-<env>` elsewhere, so a
 *   staging deploy can never replace the production Worker by accident.
 */
export function mergeConfig(base, overlay, env) {
  const problems = [];
  for (const key of CODE_KEYS) {
    if (key in overlay) problems.push(`deploy/${env}.toml sets '${key}', which only wrangler.toml may set (it is part of the code)`);
  }
  const { d1_databases: overlayDatabases = [], vars: overlayVars = {}, ...rest } = overlay;
  const restAllowed = Object.fromEntries(Object.entries(rest).filter(([key]) => !CODE_KEYS.includes(key)));
  const config = deepMerge(base, restAllowed);
  config.name = overlay.name ?? (env === "production" ? base.name : `${base.name}-${env}`);
  const databases = (base.d1_databases ?? []).map((db) => ({ ...db }));
  for (const db of overlayDatabases) {
    const target = databases.find((d) => d.binding === db.binding);
    if (target) Object.assign(target, db);
    else problems.push(`deploy/${env}.toml names D1 binding '${db.binding}', which wrangler.toml does not declare`);
  }
  if (databases.length > 0) config.d1_databases = databases;
  config.vars = { ...base.vars, ...(env === "production" ? {} : { WES_ENVIRONMENT: env }), ...overlayVars };
  return { config, problems };
}

/**
 * Problems of the merged `[vars]` against the schema's variables: every name must be a declared
 * variable and not a secret (Cloudflare refuses a var and a secret of one name), every value text.
 */
export function varsProblems(vars, variables, env) {
  const problems = [];
  for (const [name, value] of Object.entries(vars)) {
    const kind = variables.get(name);
    if (kind === undefined) problems.push(`[vars] ${name} is not a variable of the service (src/settings/schema.ts): a typo?`);
    else if (kind === "secret") problems.push(`[vars] ${name} is a secret: remove it from deploy/${env}.toml and pass it with --secrets-file`);
    if (typeof value !== "string") problems.push(`[vars] ${name} must be a string (quote it in TOML)`);
  }
  return problems;
}

/** Problems of a secrets file's names: each must be a declared secret. */
export function secretsProblems(names, variables) {
  const problems = [];
  for (const name of names) {
    const kind = variables.get(name);
    if (kind === undefined) problems.push(`secrets file: ${name} is not a variable of the service (src/settings/schema.ts)`);
    else if (kind === "var") problems.push(`secrets file: ${name} is a plain var (set it in [vars]); Cloudflare refuses a secret and a var of one name`);
  }
  return problems;
}

/** The names in a secrets file (JSON object, or .env `KEY=value` lines), as `wrangler --secrets-file` reads it. */
export function secretNames(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) return Object.keys(JSON.parse(trimmed));
  return trimmed
    .split("\n")
    .map((line) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1])
    .filter((name) => name !== undefined);
}

/** Makes the configuration's paths absolute, so that the generated file works from any folder. */
export function absolutePaths(config, root) {
  const abs = (path) => (typeof path === "string" && !isAbsolute(path) ? resolve(root, path) : path);
  const out = { ...config };
  for (const key of ["main", "base_dir", "tsconfig"]) if (key in out) out[key] = abs(out[key]);
  if (isTable(out.assets) && "directory" in out.assets) out.assets = { ...out.assets, directory: abs(out.assets.directory) };
  if (isTable(out.build))
    out.build = {
      ...out.build,
      ...(out.build.cwd ? { cwd: abs(out.build.cwd) } : {}),
      ...(out.build.watch_dir ? { watch_dir: abs(out.build.watch_dir) } : {}),
    };
  if (Array.isArray(out.d1_databases))
    out.d1_databases = out.d1_databases.map((db) => (db.migrations_dir ? { ...db, migrations_dir: abs(db.migrations_dir) } : db));
  return out;
}
