/**
 * Global setup of the `node` project: the README's `npm start`, for real, on free ports and with
 * its own state folder, so the end-to-end, SDK-conformance, schema and browser tests drive the
 * same stack a user gets. Tests read the URLs with `inject("apiUrl")` / `inject("emulatorUrl")`.
 *
 * Besides the local users, the stack accepts OpenID Connect tokens of a stand-in provider
 * (test/setup/jwks-server.ts, tenant "stack", `inject("idpUrl")`), and the dashboard signs in
 * with it: `npm start -- --var …` sets the WES_OIDC_* and WES_DASHBOARD_OIDC_* settings.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startIdp } from "./jwks-server";
import { startProcess, waitUntilUp } from "./process";
import { testPorts } from "./ports";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    emulatorUrl: string;
    /** The stand-in OpenID provider's issuer (tenant "stack"). */
    idpUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { stackApi, stackEmulator, stackIdp } = await testPorts();
  const stateDir = mkdtempSync(join(tmpdir(), "wes-test-stack-"));
  const stopIdp = await startIdp(stackIdp);
  const idpUrl = `http://127.0.0.1:${stackIdp}/t/stack`;
  const oidc = {
    WES_OIDC_ISSUER: idpUrl,
    WES_OIDC_AUDIENCE: "wes-api",
    WES_OIDC_ADMIN_CLAIM: "groups",
    WES_OIDC_ADMIN_VALUE: "wes-admins",
    WES_DASHBOARD_OIDC_CLIENT_ID: "wes-dashboard",
    WES_DASHBOARD_OIDC_SCOPE: "openid wes:read wes:submit wes:cancel wes:delete wes:admin",
  };
  const started = startProcess(
    "npm",
    ["start", "--", ...Object.entries(oidc).flatMap(([name, value]) => ["--var", `${name}:${value}`])],
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
  project.provide("idpUrl", idpUrl);
  return async () => {
    await started.stop();
    await stopIdp();
    rmSync(stateDir, { recursive: true, force: true });
  };
}
