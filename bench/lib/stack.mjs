/**
 * Starts the benchmark's own stack: the HealthOmics emulator and the WES API, two `wrangler dev`
 * processes on free loopback ports, with a fresh temporary state folder (never .wrangler/state) and
 * generated env files (never .dev.vars), every time-dependent setting scaled by one factor.
 *
 * The API's stdout is parsed as it arrives: `d1.write`, `run.created`, `events.received` and
 * `sweep.done` lines are kept (for the D1 write counts and exact write times), everything else is
 * dropped.
 *
 * For the chaos campaign the API process can be killed (SIGKILL, the whole process group) and
 * started again on the same port with its state folder kept (`killApi`, `startApi`).
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitForUrl } from "../../scripts/lib/wait-for-url.mjs";
import { scaledApiSettings, scaledEmulatorSettings } from "./scaling.mjs";

const HOST = "127.0.0.1";
/** How long a Worker process may take to answer after it is started (a guard against a hang). */
const START_TIMEOUT_MS = 300_000;

/** A free loopback TCP port. */
async function freePort() {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** What the two Workers are built from (copied, so that edits made during a run cannot reload them). */
const SNAPSHOT_PATHS = [
  "wrangler.toml",
  "package.json",
  "tsconfig.json",
  "src",
  "spec",
  "migrations",
  // The dashboard: wrangler's [build] runs scripts/build-dashboard.mjs before `wrangler dev`.
  "dashboard",
  "scripts",
  "emulator/wrangler.toml",
  "emulator/tsconfig.json",
  "emulator/src",
];

/** The dashboard's build output: made again in the copy, and not part of the code's hash. */
const BUILD_OUTPUT = join("dashboard", "dist");

/**
 * The development-only routes the stacks must reach: src/dev/hooks.ts, src/bench-route.ts, and
 * the cron trigger `wrangler dev --test-scheduled` adds.
 */
const DEVELOPMENT_ROUTES = ["/__dev/*", "/__bench/*", "/__scheduled"];

/**
 * `toml` with the development-only routes added to `[assets] run_worker_first`: a deployment
 * leaves them out on purpose (the asset layer answers them, and the Worker would only say 404),
 * but a stack in front of which the dashboard's assets sit must let them through to the Worker.
 */
export function withDevelopmentRoutes(toml) {
  const line = /^(run_worker_first\s*=\s*\[)(.*)\]\s*$/m;
  if (!line.test(toml)) throw new Error("wrangler.toml has no one-line run_worker_first list to extend");
  return toml.replace(line, (_, head, list) => `${head}${list}${DEVELOPMENT_ROUTES.map((r) => `, "${r}"`).join("")}]`);
}

/**
 * Copies the code under test into `dir` (node_modules linked): `wrangler dev` rebuilds and
 * restarts a Worker whenever a source file changes, and this repository is edited while
 * benchmarks run. Returns a SHA-256 over the copied files, to tell which code was measured.
 */
export function snapshotCode(root, dir) {
  const hash = createHash("sha256");
  for (const path of SNAPSHOT_PATHS) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    cpSync(join(root, path), join(dir, path), { recursive: true, filter: (source) => !source.endsWith(BUILD_OUTPUT) });
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, "wrangler.toml"), withDevelopmentRoutes(readFileSync(join(dir, "wrangler.toml"), "utf8")));
  const walk = (rel) => {
    const full = join(dir, rel);
    let entries;
    try {
      entries = readdirSync(full, { withFileTypes: true });
    } catch {
      hash.update(rel).update(readFileSync(full));
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) walk(join(rel, e.name));
  };
  for (const path of SNAPSHOT_PATHS) walk(path);
  return hash.digest("hex").slice(0, 16);
}

/** KEY=value lines (values never contain newlines here). */
function envFile(path, vars) {
  writeFileSync(
    path,
    `${Object.entries(vars)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n")}\n`,
    { mode: 0o600 },
  );
}

/**
 * @typedef {object} D1Write  one `d1.write` line of the API Worker
 * @property {number} t       epoch ms (the Worker's clock)
 * @property {string} runId
 * @property {string} table   "runs" | "tasks"
 * @property {number} rows
 * @property {string} [state] WES state written, when the write set one
 */

/**
 * @typedef {object} Stack
 * @property {string} wesUrl        …/ga4gh/wes/v1
 * @property {string} apiUrl        the API root (events endpoint, /admin/metrics)
 * @property {string} emulatorUrl
 * @property {number} scale
 * @property {string} codeHash      SHA-256 (16 hex digits) of the code snapshot the Workers run
 * @property {D1Write[]} d1Writes   every d1.write line so far
 * @property {Map<string, number>} created  WES run id → time of its `run.created` line (the submission insert)
 * @property {string} eventsSecret
 * @property {() => number} errorLines  API log lines at level error so far
 * @property {() => number} alarmWarnings  workerd's warnings about Durable Object alarms on the API's stderr
 * @property {() => string | undefined} died  why a Worker process ended early, if one did
 * @property {{t: number, runId: string, kind: string, status?: string}[]} events  HealthOmics events the API accepted (events.received lines)
 * @property {() => number} unparsedLines  API log lines that looked like JSON but did not parse (lost data)
 * @property {{t: number, counts: Record<string, number>}[]} sweeps  what each scheduled sweep found (sweep.done lines)
 * @property {() => Promise<number>} killApi  SIGKILLs the API's process group; resolves to the time of the kill once it is gone
 * @property {() => Promise<number>} startApi  starts the API again (same port, same state); resolves to the time it answers
 * @property {() => Promise<void>} stop
 * @property {number | undefined} apiProcessGroup  process group of the API's `wrangler dev` (and its workerd)
 */

/**
 * Starts emulator + API.
 * @param {object} o
 * @param {string} o.root          repository root
 * @param {number} o.scale         time scale (0.25 = 4× faster)
 * @param {boolean} o.events       the emulator posts EventBridge events to the API
 * @param {Record<string,string>} o.users  user → password (the `admin` user is made an admin)
 * @param {string} o.label         for log file names
 * @param {(msg: string) => void} o.say
 * @param {Record<string,string>} [o.apiVars]  extra API settings (override the generated ones)
 * @param {boolean} [o.testScheduled]  `wrangler dev --test-scheduled`: the cron sweep runs on `GET /__scheduled`
 * @returns {Promise<Stack>}
 */
export async function startStack({ root, scale, events, users, label, say, apiVars = {}, testScheduled = false }) {
  const dir = mkdtempSync(join(tmpdir(), `wes-bench-${label}-`));
  const code = join(dir, "code");
  const codeHash = snapshotCode(root, code);
  // One state folder per Worker: two workerd processes on one folder can fail with SQLITE_BUSY.
  const apiState = join(dir, "state-api");
  const emulatorState = join(dir, "state-emulator");
  const [apiPort, emulatorPort] = [await freePort(), await freePort()];
  const emulatorUrl = `http://${HOST}:${emulatorPort}`;
  const apiUrl = `http://${HOST}:${apiPort}`;
  const eventsSecret = `bench-events-${Math.random().toString(36).slice(2)}-secret`;
  const wrangler = join(code, "node_modules", ".bin", "wrangler");

  envFile(join(dir, "api.env"), {
    ...scaledApiSettings(scale),
    WES_ENVIRONMENT: "development",
    WES_USERS: Object.entries(users)
      .map(([u, p]) => `${u}:${p}`)
      .join(","),
    WES_TOKENS: "",
    WES_ADMINS: "admin",
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    AWS_SESSION_TOKEN: "",
    HEALTHOMICS_ROLE_ARN: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
    HEALTHOMICS_OUTPUT_BUCKET: "s3://wes-bench-outputs/",
    HEALTHOMICS_ENDPOINT: emulatorUrl,
    // S3 (a COMPLETED run's outputs) and CloudWatch Logs are the emulator's too, as in `npm start`:
    // left empty they point at AWS, which a stack without a network cannot reach.
    AWS_S3_ENDPOINT: emulatorUrl,
    AWS_LOGS_ENDPOINT: emulatorUrl,
    HEALTHOMICS_EVENTS_SECRET: eventsSecret,
    ...apiVars,
  });
  envFile(join(dir, "emulator.env"), {
    ...scaledEmulatorSettings(scale),
    ...(events
      ? {
          EMULATOR_EVENTS_URL: `${apiUrl}/integrations/healthomics/events`,
          EMULATOR_EVENTS_HEADER_NAME: "x-wes-events-secret",
          EMULATOR_EVENTS_HEADER_VALUE: eventsSecret,
        }
      : {}),
  });

  const migrate = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", apiState], {
    cwd: code,
    encoding: "utf8",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  if (migrate.status !== 0) throw new Error(`applying migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const logFile = join(dir, "stack.log");
  /** @type {Map<string, import("node:child_process").ChildProcess>} the current process of each Worker */
  const children = new Map();
  /** Processes killed on purpose (their exit is not a death). */
  const killed = new WeakSet();
  /** @type {D1Write[]} */
  const d1Writes = [];
  const created = new Map();
  let errorLines = 0;
  let alarmWarnings = 0;
  let unparsed = 0;
  /** @type {{t: number, runId: string, kind: string, status?: string}[]} */
  const eventLines = [];
  /** @type {{t: number, counts: Record<string, number>}[]} */
  const sweeps = [];
  let stopping = false;
  /** @type {string | undefined} */
  let died;

  const start = (name, stateDir, args, onLine) => {
    const child = spawn(wrangler, ["dev", "--ip", HOST, "--show-interactive-dev-session=false", "--inspector-port", "0", "--persist-to", stateDir, ...args], {
      cwd: code,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // own process group: stopping it also ends workerd
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    });
    let rest = "";
    child.stdout.on("data", (chunk) => {
      const text = rest + chunk.toString();
      const lines = text.split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
    child.stderr.on("data", (chunk) => {
      appendFileSync(logFile, `[${name}:err] ${chunk}`);
      // workerd's own warnings about alarms (e.g. "SQLite alarm overdue, running despite AlarmManager mismatch").
      if (name === "api") alarmWarnings += (String(chunk).match(/NOSENTRY[^\n]*alarm/gi) ?? []).length;
      // A Worker that does not build leaves `wrangler dev` running, waiting for a fix: give up at once.
      if (/Build failed/.test(String(chunk))) died ??= `${name} did not build; its log: ${logFile}`;
    });
    child.on("exit", (code, signal) => {
      if (stopping || killed.has(child)) return;
      died = `${name} exited early (code ${code}${signal ? `, ${signal}` : ""}); its log: ${logFile}`;
      say(`!! ${died}`);
    });
    children.set(name, child);
  };

  // The emulator at log level warn: wrangler would otherwise print a line per request (≈100/s).
  // The API keeps the default level: its Worker's console.log lines (d1.write, run.created) are data.
  start(
    "emulator",
    emulatorState,
    ["-c", "emulator/wrangler.toml", "--log-level", "warn", "--port", String(emulatorPort), "--env-file", join(dir, "emulator.env")],
    (line) => {
      if (line.trim()) appendFileSync(logFile, `[emulator] ${line}\n`);
    },
  );
  const apiArgs = ["--port", String(apiPort), "--env-file", join(dir, "api.env"), ...(testScheduled ? ["--test-scheduled"] : [])];
  const onApiLine = (line) => {
    const i = line.indexOf('{"level"');
    if (i < 0) {
      if (line.trim() && !line.includes("[wrangler:info]")) appendFileSync(logFile, `[api] ${line}\n`);
      return;
    }
    let entry;
    try {
      entry = JSON.parse(line.slice(i));
    } catch {
      unparsed += 1;
      appendFileSync(logFile, `[api:unparsed] ${line}\n`);
      return;
    }
    if (entry.event === "d1.write") {
      const w = { t: Date.parse(entry.time), runId: entry.runId, table: entry.table, rows: entry.rows };
      if (entry.state) w.state = entry.state;
      d1Writes.push(w);
    } else if (entry.event === "run.created") {
      created.set(entry.runId, Date.parse(entry.time));
    } else if (entry.event === "events.received") {
      eventLines.push({ t: Date.parse(entry.time), runId: entry.runId, kind: entry.kind, status: entry.status });
    } else if (entry.event === "sweep.done") {
      const { level, event, time, ...counts } = entry;
      sweeps.push({ t: Date.parse(time), counts });
    } else if (entry.level === "error" || entry.level === "warn") {
      if (entry.level === "error") errorLines += 1;
      appendFileSync(logFile, `[api] ${line.slice(i)}\n`);
    }
  };
  start("api", apiState, apiArgs, onApiLine);

  const stop = async () => {
    stopping = true;
    await Promise.all(
      [...children.values()].map(async (child) => {
        if (child.exitCode !== null || child.pid === undefined) return;
        const exited = new Promise((resolve) => child.once("exit", resolve));
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {
          return;
        }
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }),
    );
    if (died) say(`kept ${dir} for inspection`);
    else if (!process.env.BENCH_KEEP_STATE) rmSync(dir, { recursive: true, force: true });
  };

  // Generous: only a guard against a hang. Bundling both Workers takes seconds alone and minutes
  // on a machine busy with other test runs.
  const up = (url) => waitForUrl(url, START_TIMEOUT_MS, () => died !== undefined || [...children.values()].some((c) => c.exitCode !== null && !killed.has(c)));
  const t0 = Date.now();
  if (!(await up(`${emulatorUrl}/__emulator/health`)) || !(await up(`${apiUrl}/ga4gh/wes/v1/service-info`))) {
    died ??= `the stack did not come up within ${START_TIMEOUT_MS / 1000} s`;
    await stop();
    throw new Error(`${died} (log: ${logFile})`);
  }
  say(`stack up in ${((Date.now() - t0) / 1000).toFixed(1)} s: API ${apiUrl}, emulator ${emulatorUrl}, scale ${scale}${events ? ", events on" : ""}`);

  // A process ended by a signal has exitCode null and signalCode set.
  const running = (child) => child.exitCode === null && child.signalCode === null;
  const killApi = async () => {
    const child = children.get("api");
    if (!child || child.pid === undefined || !running(child)) throw new Error("the API process is not running");
    killed.add(child);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const at = Date.now();
    process.kill(-child.pid, "SIGKILL");
    await exited;
    return at;
  };
  const startApi = async () => {
    const current = children.get("api");
    if (current && running(current)) throw new Error("the API process is still running");
    start("api", apiState, apiArgs, onApiLine);
    // Any answer will not do: wrangler's proxy answers before workerd has loaded the Worker.
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline && !died) {
      try {
        const res = await fetch(`${apiUrl}/ga4gh/wes/v1/service-info`, { signal: AbortSignal.timeout(10_000) });
        await res.body?.cancel();
        if (res.status === 200) return Date.now();
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    died ??= `the API did not come back within ${START_TIMEOUT_MS / 1000} s after a restart`;
    throw new Error(`${died} (log: ${logFile})`);
  };
  return {
    wesUrl: `${apiUrl}/ga4gh/wes/v1`,
    apiUrl,
    emulatorUrl,
    scale,
    codeHash,
    d1Writes,
    created,
    eventsSecret,
    errorLines: () => errorLines,
    alarmWarnings: () => alarmWarnings,
    died: () => died,
    unparsedLines: () => unparsed,
    events: eventLines,
    sweeps,
    killApi,
    startApi,
    stop,
    // The API runs in its own process group (detached): its pid is the group's id.
    get apiProcessGroup() {
      return children.get("api")?.pid;
    },
  };
}
