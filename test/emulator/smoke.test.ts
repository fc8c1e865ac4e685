import { exports } from "cloudflare:workers";
import { expect, it } from "vitest";
it("emulator health", async () => {
  const res = await exports.default.fetch("http://x/__emulator/health");
  expect(res.status).toBe(200);
});
