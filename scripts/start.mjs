/**
 * `npm start`: the whole stack on this machine, no AWS account needed.
 *
 *  1. creates .dev.vars from .dev.vars.example when missing (local users, example AWS keys);
 *  2. applies the D1 migrations to the local database;
 *  3. starts the HealthOmics emulator (emulator/wrangler.toml) on 127.0.0.1:$EMULATOR_PORT (8788);
 *  4. starts the WES API on 127.0.0.1:$PORT (8787), pointed at the emulator.
 *
 * Local state (D1, Durable Objects, the emulator's runs) lives in $WES_STATE_DIR
 * (default .wrangler/state) and survives restarts. Ctrl-C stops both Workers.
 * Arguments after `--` go to the API Worker's `wrangler dev`, e.g.
 * `npm start -- --var WES_DASHBOARD_OIDC_CLIENT_ID:wes-dashboard` (the tests turn OIDC on this way).
 * wrangler builds the dashboard first ([build] in wrangler.toml: scripts/build-dashboard.mjs).
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitForUrl } from "./lib/wait-for-url.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wrangler = join(root, "node_modules", ".bin", "wrangler");
const host = "127.0.0.1";
const port = Number(process.env.PORT ?? 8787);
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 8788);
const stateDir = process.env.WES_STATE_DIR ?? join(root, ".wrangler", "state");
const emulatorUrl = `http://${host}:${emulatorPort}`;
const apiUrl = `http://${host}:${port}/ga4gh/wes/v1`;

for (const [name, value] of [
  ["PORT", port],
  ["EMULATOR_PORT", emulatorPort],
]) {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    console.error(`${name} must be a port number between 1 and 65535, got ${JSON.stringify(process.env[name])}`);
    process.exit(2);
  }
}

const devVars = join(root, ".dev.vars");
const example = join(root, ".dev.vars.example");
if (!existsSync(devVars)) {
  copyFileSync(example, devVars);
  console.log("Created .dev.vars from .dev.vars.example (local users demo/demo, guest/guest, admin/admin).");
} else {
  // An older .dev.vars may lack settings added since; say which, rather than silently running without them.
  const keys = (file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.slice(0, l.indexOf("=")));
  const missing = keys(example).filter((k) => !keys(devVars).includes(k));
  if (missing.length > 0) console.log(`Note: .dev.vars lacks ${missing.join(", ")} (see .dev.vars.example); delete .dev.vars to recreate it.`);
}

const migrate = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], {
  cwd: root,
  stdio: ["ignore", "pipe", "pipe"],
  encoding: "utf8",
  env: { ...process.env, CI: "true" },
});
if (migrate.status !== 0) {
  console.error(migrate.stdout, migrate.stderr);
  console.error("Applying the local D1 migrations failed.");
  process.exit(1);
}

/** A value from .dev.vars (KEY=value lines), or undefined. */
function readDevVar(name) {
  const line = readFileSync(devVars, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}=`));
  const value = line?.slice(name.length + 1).trim();
  return value ? value : undefined;
}

const children = [];
let stopping = false;

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 1500).unref();
}

function startWorker(label, persistTo, args) {
  const child = spawn(wrangler, ["dev", "--ip", host, "--show-interactive-dev-session=false", "--persist-to", persistTo, ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  const prefix = (chunk) =>
    chunk
      .toString()
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => `[${label}] ${line}\n`)
      .join("");
  child.stdout.on("data", (chunk) => process.stdout.write(prefix(chunk)));
  child.stderr.on("data", (chunk) => process.stderr.write(prefix(chunk)));
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`[${label}] exited with code ${code}; stopping.`);
      stopAll(code || 1);
    }
  });
  children.push(child);
}

process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

// The emulator posts EventBridge-shaped events to the API, as an EventBridge API destination would.
const eventsSecret = readDevVar("HEALTHOMICS_EVENTS_SECRET");
const emulatorVars = [
  ...(process.env.EMULATOR_TIME_SCALE ? ["--var", `EMULATOR_TIME_SCALE:${process.env.EMULATOR_TIME_SCALE}`] : []),
  ...(eventsSecret
    ? [
        "--var",
        `EMULATOR_EVENTS_URL:http://${host}:${port}/integrations/healthomics/events`,
        "--var",
        "EMULATOR_EVENTS_HEADER_NAME:x-wes-events-secret",
        "--var",
        `EMULATOR_EVENTS_HEADER_VALUE:${eventsSecret}`,
      ]
    : []),
];
// Each Worker gets its own state folder: two workerd processes sharing one (e.g. the Cache API's
// SQLite file) can fail at start with "database is locked".
startWorker("emulator", join(stateDir, "emulator"), ["-c", "emulator/wrangler.toml", "--port", String(emulatorPort), "--inspector-port", "0", ...emulatorVars]);
startWorker("api", stateDir, [
  "--port",
  String(port),
  "--inspector-port",
  "0",
  "--var",
  `HEALTHOMICS_ENDPOINT:${emulatorUrl}`,
  "--var",
  `AWS_S3_ENDPOINT:${emulatorUrl}`,
  "--var",
  `AWS_LOGS_ENDPOINT:${emulatorUrl}`,
  ...process.argv.slice(2),
]);

const ready = (await waitForUrl(`${emulatorUrl}/__emulator/health`, 90_000)) && (await waitForUrl(`${apiUrl}/service-info`, 90_000));
if (!ready) {
  console.error("The Workers did not come up within 90 s.");
  stopAll(1);
} else {
  console.log(`
Dashboard            http://${host}:${port}/
API reference        http://${host}:${port}/docs/
WES API              ${apiUrl}
HealthOmics emulator ${emulatorUrl}
Local users          demo/demo, guest/guest (ordinary), admin/admin (sees every run)

Try:
  curl -u demo:demo ${apiUrl}/service-info
  curl -u demo:demo -X POST ${apiUrl}/runs \\
    -F workflow_type=WDL -F workflow_type_version=1.0 -F workflow_url=healthomics:1000001 \\
    -F 'workflow_params={"input_file": "s3://example-bucket/sample.fastq"}'
`);
}
