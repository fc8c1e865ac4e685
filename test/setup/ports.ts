/**
 * Free loopback ports for the processes the test projects start. Chosen once per `vitest run`
 * (the config is evaluated in the main process) and kept in process.env so every global setup
 * and the config agree.
 */
import { createServer } from "node:net";

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Ports used by the test run: an emulator for the workers project, and a whole stack for e2e. */
export interface TestPorts {
  workersEmulator: number;
  stackApi: number;
  stackEmulator: number;
  /** The stand-in OpenID provider (JWKS and discovery) of the workers project (test/setup/jwks-server.ts). */
  jwks: number;
  /** Another one for the `npm start` stack of the node project (the dashboard's OIDC sign-in). */
  stackIdp: number;
}

/** Reserves (or re-reads) the ports for this test run. */
export async function testPorts(): Promise<TestPorts> {
  const keys = ["TEST_WORKERS_EMULATOR_PORT", "TEST_STACK_API_PORT", "TEST_STACK_EMULATOR_PORT", "TEST_JWKS_PORT", "TEST_STACK_IDP_PORT"] as const;
  for (const key of keys) {
    if (!process.env[key]) process.env[key] = String(await freePort());
  }
  return {
    workersEmulator: Number(process.env.TEST_WORKERS_EMULATOR_PORT),
    stackApi: Number(process.env.TEST_STACK_API_PORT),
    stackEmulator: Number(process.env.TEST_STACK_EMULATOR_PORT),
    jwks: Number(process.env.TEST_JWKS_PORT),
    stackIdp: Number(process.env.TEST_STACK_IDP_PORT),
  };
}
