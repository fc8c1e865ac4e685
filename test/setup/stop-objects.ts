/**
 * Ends every test file with no Durable Object left to wake up.
 *
 * Run objects (and the emulator's state object) keep setting alarms after a test's last
 * assertion. Each time one fires, the pool's object wrapper re-imports the Worker's main module,
 * which asks vitest over RPC to resolve it. If that happens while the file is being torn down,
 * vitest rejects the pending "resolve" and fails the whole run with an unhandled
 * EnvironmentTeardownError, though every test passed (CI did so once). `reset()` deletes every
 * object's storage, alarms included, and aborts the running instances, so nothing can fire after
 * this hook. Each test file has its own Miniflare instance, so nothing later needs that data.
 */
import { reset } from "cloudflare:test";
import { afterAll } from "vitest";

afterAll(async () => {
  await reset();
});
