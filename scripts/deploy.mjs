/**
 * `npm run deploy`: the API Worker to Cloudflare, in one step per environment.
 *
 *   npm run deploy -- [--env production|staging|<name>] [--secrets-file <file>] [--dry-run [--outdir <dir>]]
 *
 *  1. builds the configuration: wrangler.toml with deploy/<env>.toml merged over it
 *     (scripts/lib/deploy-config.mjs), checks it (names and kinds of every var, each var's value
 *     as the Worker would read it, the secrets file's names) and writes it to
 *     .wrangler/generated/<env>.json;
 *  2. bundles the Worker (`wrangler deploy --dry-run --outdir`) and prints its size against the
 *     budget (scripts/lib/bundle-size.mjs); a dry run stops here and fails above the budget;
 *  3. applies the D1 migrations to the remote database (`wrangler d1 migrations apply --remote`)
 *     — before the code that needs them;
 *  4. `wrangler deploy`, with the secrets of --secrets-file in the same version.
 *
 * --dry-run needs no account and no deploy/<env>.toml (it then checks wrangler.toml alone); `npm
 * test` runs it. --config-dir points at another folder of <env>.toml files (tests).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";
import { BUNDLE_LIMIT_KIB, describeBundle, measureBundle } from "./lib/bundle-size.mjs";
import { absolutePaths, ENV_NAME, mergeConfig, PLACEHOLDER_DATABASE_ID, secretNames, secretsProblems, varsProblems } from "./lib/deploy-config.mjs";
import { importTs } from "./lib/import-ts.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// WES_DEPLOY_WRANGLER: another wrangler executable (the tests use a recorder instead of the real one).
const wrangler = process.env.WES_DEPLOY_WRANGLER || join(root, "node_modules", ".bin", "wrangler");

function usage(message) {
  if (message) console.error(`${message}\n`);
  console.error("npm run deploy -- [--env production|staging|<name>] [--secrets-file <file>] [--dry-run [--outdir <dir>]] [--config-dir <dir>]");
  process.exit(2);
}

function options(argv) {
  const opts = { env: "production", dryRun: false, outdir: undefined, secretsFile: undefined, configDir: join(root, "deploy") };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? usage(`${arg} needs a value`);
    if (arg === "--dry-run") opts.dryRun = true;
    else if (arg === "--env" || arg === "-e") opts.env = value();
    else if (arg === "--outdir") opts.outdir = resolve(value());
    else if (arg === "--secrets-file") opts.secretsFile = resolve(value());
    else if (arg === "--config-dir") opts.configDir = resolve(value());
    else if (arg === "--help" || arg === "-h") usage();
    else usage(`unknown argument ${arg}`);
  }
  if (!ENV_NAME.test(opts.env)) usage(`--env must be lower-case letters, digits and hyphens, got '${opts.env}'`);
  if (opts.outdir && !opts.dryRun) usage("--outdir goes with --dry-run");
  return opts;
}

function run(args, what, extraEnv = {}) {
  console.log(`\n$ wrangler ${args.join(" ")}`);
  const result = spawnSync(wrangler, args, { cwd: root, stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false", ...extraEnv } });
  if (result.status !== 0) {
    console.error(`\n✖ ${what} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
}

const opts = options(process.argv.slice(2));
const envFile = join(opts.configDir, `${opts.env}.toml`);
const mode = opts.dryRun ? "dry run" : "deploy";
console.log(`${mode}: environment '${opts.env}'`);

// 1. Configuration.
const base = parse(readFileSync(join(root, "wrangler.toml"), "utf8"));
let overlay = {};
if (existsSync(envFile)) overlay = parse(readFileSync(envFile, "utf8"));
else if (!opts.dryRun) usage(`${envFile} does not exist: copy deploy/example.toml to deploy/${opts.env}.toml and fill it in (docs/deployment.md)`);
else console.log(`(no ${envFile}: checking wrangler.toml alone)`);

const { VARIABLES, isSecret, checkVariables } = await importTs(
  'export { VARIABLES, isSecret } from "./src/settings/schema.ts"; export { checkVariables } from "./src/settings/check.ts";',
  root,
);
const variables = new Map(Object.keys(VARIABLES).map((name) => [name, isSecret(name) ? "secret" : "var"]));
const { config, problems } = mergeConfig(base, overlay, opts.env);
problems.push(...varsProblems(config.vars, variables, opts.env));
const secrets = opts.secretsFile ? secretNames(readFileSync(opts.secretsFile, "utf8")) : [];
problems.push(...secretsProblems(secrets, variables));
if (problems.length > 0) {
  console.error(`\n✖ The configuration of '${opts.env}' is not usable:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}

// Values, as the Worker will read them. Secrets not in the secrets file are already set (or not
// yet): the Worker reports those itself, so they are left out here.
const valueProblems = checkVariables(config.vars)
  .filter((p) => !(p.variable && variables.get(p.variable) === "secret"))
  .map((p) => p.message);
for (const db of config.d1_databases ?? []) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(db.database_id ?? "") || db.database_id === PLACEHOLDER_DATABASE_ID)
    valueProblems.push(
      `d1_databases ${db.binding}: database_id is not a database's id yet; put the one \`wrangler d1 create\` printed into deploy/${opts.env}.toml`,
    );
}
if (valueProblems.length > 0) {
  const list = valueProblems.map((p) => `  - ${p}`).join("\n");
  if (!opts.dryRun) {
    console.error(`\n✖ Refusing to deploy '${opts.env}':\n${list}`);
    process.exit(1);
  }
  console.log(`\nA deploy of '${opts.env}' would be refused until these are fixed:\n${list}`);
}
if (!opts.dryRun && secrets.length === 0)
  console.log("\nNo --secrets-file: the Worker keeps the secrets it already has (none on a first deploy; see docs/deployment.md).");

const generated = join(root, ".wrangler", "generated", `${opts.env}.json`);
mkdirSync(dirname(generated), { recursive: true });
writeFileSync(generated, `${JSON.stringify(absolutePaths(config, root), null, 2)}\n`);
console.log(`\nconfiguration: ${generated} (worker '${config.name}')`);

// 2. Bundle and size.
const outdir = opts.outdir ?? mkdtempSync(join(tmpdir(), "wes-bundle-"));
// Warnings only: the full binding list comes with the real deploy below.
run(["deploy", "--dry-run", "-c", generated, "--outdir", outdir, ...(opts.secretsFile ? ["--secrets-file", opts.secretsFile] : [])], "Bundling", {
  WRANGLER_LOG: "warn",
});
const size = measureBundle(outdir);
if (!opts.outdir) rmSync(outdir, { recursive: true, force: true });
console.log(`\n${describeBundle(size)}`);
if (opts.dryRun) {
  if (size.gzipKiB > BUNDLE_LIMIT_KIB) {
    console.error("✖ The bundle is over its budget: make it smaller, or raise the limit with a line in docs/performance.md naming what paid for it.");
    process.exit(1);
  }
  console.log(`✔ dry run of '${opts.env}' passed; nothing was uploaded.`);
  process.exit(0);
}

// 3. Remote migrations, then 4. the Worker.
run(["d1", "migrations", "apply", "DB", "--remote", "-c", generated], "Applying the D1 migrations");
run(["deploy", "-c", generated, ...(opts.secretsFile ? ["--secrets-file", opts.secretsFile] : [])], "wrangler deploy");
console.log(`\n✔ '${config.name}' deployed (environment '${opts.env}').`);
