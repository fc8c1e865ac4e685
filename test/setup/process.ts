/**
 * Starting and stopping the long-lived processes the test projects talk to over HTTP.
 * Used by the global setups only (Node side).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A started process and the log it has written so far (shown when it fails to come up). */
export interface Started {
  child: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

/** Spawns a command in its own process group, so stopping it also ends wrangler's workerd. */
export function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv, label = "process"): Started {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  // The whole output also goes to a file, so a process that dies mid-run can be diagnosed.
  const logFile = join(tmpdir(), `wes-test-${label}-${process.pid}.log`);
  writeFileSync(logFile, "");
  let output = "";
  let stopping = false;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    appendFileSync(logFile, chunk);
  };
  child.on("exit", (code) => {
    if (!stopping) console.error(`[${label}] exited early (code ${code}); its output is in ${logFile}\n${output.slice(-4000)}`);
  });
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([exited, timeout]);
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  return { child, log: () => output, stop };
}

/** Resolves once `url` answers any HTTP response, or throws with the process log after `timeoutMs`. */
export async function waitUntilUp(url: string, started: Started, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) {
      throw new Error(`process exited (${started.child.exitCode}) before ${url} answered:\n${started.log()}`);
    }
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  await started.stop();
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${started.log()}`);
}
