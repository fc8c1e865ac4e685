#!/usr/bin/env node
/**
 * Runs a command under Node >= 22.12 (what wrangler 4 needs).
 *
 * When the Node that runs this script is older, Node 24 is fetched once from the npm registry
 * (the `node-<platform>-<arch>@24` package, whose `bin/node` is the official binary) into a cache
 * folder and put first on PATH for the child. This file itself must run on old Node (20), so it
 * uses nothing newer than what Node 20 offers.
 *
 * Usage: node scripts/with-node.mjs <command> [args...]
 * Cache: $WES_NODE_CACHE, else $XDG_CACHE_HOME/wes-healthomics/node, else ~/.cache/wes-healthomics/node.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

const REQUIRED = [22, 12];
const NODE_MAJOR = 24;

function isRecentEnough(version) {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
  return major > REQUIRED[0] || (major === REQUIRED[0] && minor >= REQUIRED[1]);
}

function cacheRoot() {
  if (process.env.WES_NODE_CACHE) return process.env.WES_NODE_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "wes-healthomics", "node");
}

/** Returns the bin folder of a cached Node 24, fetching it from the npm registry if needed. */
function ensureNode() {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = join(cacheRoot(), `${pkg}-${NODE_MAJOR}`);
  const bin = join(dir, "package", "bin");
  if (existsSync(join(bin, "node"))) return bin;

  process.stderr.write(`Node ${process.versions.node} is older than ${REQUIRED.join(".")}; fetching ${pkg}@${NODE_MAJOR} from the npm registry into ${dir}\n`);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const packed = spawnSync(npm, ["pack", `${pkg}@${NODE_MAJOR}`, "--silent", "--pack-destination", tmp], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  if (packed.status !== 0) {
    throw new Error(`npm pack ${pkg}@${NODE_MAJOR} failed (exit ${packed.status}); install Node >= ${REQUIRED.join(".")} yourself`);
  }
  const tarball = readdirSync(tmp).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack produced no tarball in ${tmp}`);
  const untar = spawnSync("tar", ["-xzf", join(tmp, tarball), "-C", tmp], { stdio: "inherit" });
  if (untar.status !== 0) throw new Error(`could not unpack ${tarball}`);
  rmSync(join(tmp, tarball));
  // Rename into place last, so an interrupted download never looks like a finished one.
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return bin;
}

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write("usage: node scripts/with-node.mjs <command> [args...]\n");
  process.exit(2);
}

const env = { ...process.env };
if (!isRecentEnough(process.versions.node)) {
  env.PATH = `${ensureNode()}${delimiter}${env.PATH ?? ""}`;
}
const child = spawn(command, args, { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
