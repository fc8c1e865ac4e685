import { expect, inject, it } from "vitest";
it("stack up", async () => {
  const res = await fetch(`${inject("apiUrl")}/service-info`);
  expect(res.status).toBe(200);
});
