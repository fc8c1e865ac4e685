/** The route table: scopes per endpoint, and that no registered route can lack one. */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/app-env";
import { ADMIN_ROUTES, registerWesRoutes, requiredScope, wesScopeFor } from "../../src/routes";

describe("scopes per route", () => {
  it.each([
    ["GET", "/service-info", null],
    ["GET", "/auth-instructions", null],
    ["GET", "/runs", "wes:read"],
    ["HEAD", "/runs", "wes:read"],
    ["POST", "/runs", "wes:submit"],
    ["GET", "/runs/abc", "wes:read"],
    ["GET", "/runs/abc/status", "wes:read"],
    ["POST", "/runs/abc/cancel", "wes:cancel"],
    ["GET", "/runs/abc/tasks", "wes:read"],
    ["GET", "/runs/abc/tasks/t1", "wes:read"],
    ["DELETE", "/runs/abc", "wes:delete"],
    ["DELETE", "/runs/abc/status", undefined],
    ["GET", "/runs/abc/cancel", undefined],
    ["GET", "/nope", undefined],
  ])("%s %s → %s", (method, path, scope) => {
    expect(wesScopeFor(path, method)).toBe(scope);
  });

  it("admin metrics need wes:admin", () => {
    expect(requiredScope(ADMIN_ROUTES["/admin/metrics"], "GET")).toBe("wes:admin");
    expect(requiredScope(ADMIN_ROUTES["/admin/metrics"], "HEAD")).toBe("wes:admin");
    expect(requiredScope(ADMIN_ROUTES["/admin/metrics"], "POST")).toBeUndefined();
  });

  it("a route registered without a table entry stops the app from starting", () => {
    const api = new Hono<AppEnv>();
    api.get("/runs/:run_id/logs", (c) => c.text("x"));
    expect(() => registerWesRoutes(api)).toThrow("Route GET /runs/:run_id/logs has no entry in the ROUTES table");
    expect(() => registerWesRoutes(new Hono<AppEnv>())).not.toThrow();
  });
});
