import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
it("has D1", async () => {
  const r = await env.DB.prepare("select 1 as x").first<{ x: number }>();
  expect(r?.x).toBe(1);
  const res = await fetch(`${env.TEST_EMULATOR_URL}/__emulator/health`);
  expect(res.status).toBe(200);
});
