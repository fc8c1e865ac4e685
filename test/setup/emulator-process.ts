/**
 * Global setup of the `workers` project: a real HealthOmics emulator process (wrangler dev) on a
 * free port, reached by the API Worker under test through HEALTHOMICS_ENDPOINT, exactly as in
 * `npm start`. Time runs 20× faster there so whole runs finish in a second or two.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProcess, waitUntilUp } from "./process";
import { testPorts } from "./ports";

export default async function setup(): Promise<() => Promise<void>> {
  const { workersEmulator } = await testPorts();
  const stateDir = mkdtempSync(join(tmpdir(), "wes-test-emulator-"));
  const started = startProcess(
    join(process.cwd(), "node_modules", ".bin", "wrangler"),
    [
      "dev",
      "-c",
      "emulator/wrangler.toml",
      "--ip",
      "127.0.0.1",
      "--port",
      String(workersEmulator),
      "--inspector-port",
      "0",
      "--persist-to",
      stateDir,
      "--show-interactive-dev-session=false",
      "--var",
      "EMULATOR_TIME_SCALE:0.05",
    ],
    { ...process.env, WRANGLER_SEND_METRICS: "false" },
    "emulator",
  );
  await waitUntilUp(`http://127.0.0.1:${workersEmulator}/__emulator/health`, started, 90_000);
  return async () => {
    await started.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
}
