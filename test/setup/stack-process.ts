/**
 * Global setup of the `node` project: the README's `npm start`, for real, on free ports and with
 * its own state folder, so the end-to-end, SDK-conformance and schema tests drive the same stack a
 * user gets. Tests read the URLs with `inject("apiUrl")` / `inject("emulatorUrl")`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startProcess, waitUntilUp } from "./process";
import { testPorts } from "./ports";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    emulatorUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { stackApi, stackEmulator } = await testPorts();
  const stateDir = mkdtempSync(join(tmpdir(), "wes-test-stack-"));
  const started = startProcess(
    "npm",
    ["start"],
    {
      ...process.env,
      PORT: String(stackApi),
      EMULATOR_PORT: String(stackEmulator),
      WES_STATE_DIR: stateDir,
    },
    "stack",
  );
  const apiUrl = `http://127.0.0.1:${stackApi}/ga4gh/wes/v1`;
  const emulatorUrl = `http://127.0.0.1:${stackEmulator}`;
  await waitUntilUp(`${emulatorUrl}/__emulator/health`, started, 120_000);
  await waitUntilUp(`${apiUrl}/service-info`, started, 120_000);
  project.provide("apiUrl", apiUrl);
  project.provide("emulatorUrl", emulatorUrl);
  return async () => {
    await started.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
}
