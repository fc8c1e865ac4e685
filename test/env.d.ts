/** Bindings that only the workers test project adds (vitest.config.ts), beside the generated Env. */
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TEST_EMULATOR_URL: string;
  }
}
