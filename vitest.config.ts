/**
 * One `vitest run` = every test layer (see docs/architecture.md, "Tests"):
 *  - `workers`: unit, integration and Durable Object tests of the API Worker inside workerd,
 *    with real D1 and real Durable Objects; outbound HealthOmics calls go to a real emulator
 *    process that test/setup/emulator-process.ts starts on a free port.
 *  - `emulator`: the HealthOmics emulator Worker's own tests inside workerd.
 *  - `dashboard`: the dashboard's pure logic (dashboard/src/lib) in Node.
 *  - `node`: tests that drive the running stack from outside (npm start end to end, the official
 *    AWS SDK against the emulator, schema validation with Ajv, which cannot run in workerd), and
 *    the dashboard in a real browser (test/browser, Chromium through playwright-core).
 *  - `repo`: checks of the repository itself that need no running stack (configuration schema
 *    against wrangler.toml and the docs, JSON Schema export, the deploy and IAM scripts).
 */
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { testPorts } from "./test/setup/ports.ts";

export default defineConfig(async () => {
  const ports = await testPorts();
  const emulatorUrl = `http://127.0.0.1:${ports.workersEmulator}`;
  const oidcBase = `http://127.0.0.1:${ports.jwks}`;
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest(async () => ({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: await readD1Migrations("./migrations"),
                  WES_ENVIRONMENT: "test",
                  WES_USERS: "demo:demo,guest:guest,admin:admin",
                  WES_TOKENS: "demo:demo-token-0123456789,guest:guest-token-0123456789",
                  WES_ADMINS: "admin",
                  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
                  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                  AWS_SESSION_TOKEN: "",
                  HEALTHOMICS_ROLE_ARN: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
                  HEALTHOMICS_OUTPUT_BUCKET: "s3://wes-test-outputs/",
                  HEALTHOMICS_ENDPOINT: emulatorUrl,
                  AWS_S3_ENDPOINT: emulatorUrl,
                  AWS_LOGS_ENDPOINT: emulatorUrl,
                  // The emulator's TRS registry and example files are http:// on 127.0.0.1.
                  WES_WORKFLOW_URLS_ALLOW_LOCAL: "true",
                  TEST_EMULATOR_URL: emulatorUrl,
                  POLL_MIN_SECONDS: "1",
                  POLL_MAX_SECONDS: "5",
                  HEALTHOMICS_EVENTS_SECRET: "test-events-secret-0123456789",
                  // The test emulator runs 20× faster, and so do its quotas (docs/emulator.md).
                  HEALTHOMICS_QUOTAS: "StartRun=20,GetRun=200,ListRunTasks=200,GetRunTask=200,CancelRun=200,GetWorkflow=200",
                  // Every test runs from one address ("local"): the guard would soon block it. The
                  // guard tests turn it on with their own limit and client addresses.
                  WES_AUTH_FAILURE_LIMIT: "0",
                  // The stand-in OpenID provider (test/setup/jwks-server.ts). OIDC stays off by
                  // default; the auth tests turn it on per request with WES_OIDC_* overrides.
                  TEST_OIDC_BASE: oidcBase,
                },
              },
            })),
          ],
          test: {
            name: "workers",
            include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts", "test/runs/**/*.test.ts"],
            setupFiles: ["./test/setup/apply-migrations.ts", "./test/setup/stop-objects.ts"],
            globalSetup: ["./test/setup/emulator-process.ts", "./test/setup/jwks-server.ts"],
            testTimeout: 60_000,
            // Run objects keep logging (one JSON line per D1 write) after a test file ends. Through
            // vitest's console relay that raced the file's teardown ("Closing rpc while
            // onUserConsoleLog was pending", an unhandled error that failed CI); workerd's own
            // stdout has no teardown to race. Tests that assert on logs spy on console directly.
            disableConsoleIntercept: true,
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./emulator/wrangler.toml" },
              miniflare: { bindings: { EMULATOR_TIME_SCALE: "0.05" } },
            }),
          ],
          test: {
            name: "emulator",
            include: ["test/emulator/**/*.test.ts"],
            setupFiles: ["./test/setup/stop-objects.ts"],
            // Whole runs (≈ 2 s at time scale 0.05) and a 24 MiB upload: roomy on a busy machine.
            testTimeout: 30_000,
          },
        },
        {
          test: {
            name: "dashboard",
            environment: "node",
            include: ["test/dashboard/**/*.test.ts"],
          },
        },
        {
          test: {
            name: "node",
            environment: "node",
            include: ["test/node/**/*.test.ts", "test/browser/**/*.test.ts"],
            globalSetup: ["./test/setup/stack-process.ts"],
            testTimeout: 120_000,
            hookTimeout: 180_000,
          },
        },
        {
          test: {
            name: "repo",
            environment: "node",
            include: ["test/repo/**/*.test.ts"],
            testTimeout: 60_000,
          },
        },
      ],
    },
  };
});
