/**
 * The dashboard's static assets as the real `npm start` stack serves them (no browser needed):
 * the Content-Security-Policy and other headers from dashboard/public/_headers (static assets are
 * served without running the Worker, so nothing else could set them), no inline script and nothing
 * from other origins in the page, the single-page-application trap (a browser navigation to an API
 * URL must reach the Worker, not index.html), and the standing JavaScript budget.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dashboardJsBytes, JS_BUDGET_BYTES } from "../../scripts/build-dashboard.mjs";
import { apiUrl } from "./support/wes-http";

const origin = () => new URL(apiUrl()).origin;
const dist = join(import.meta.dirname, "..", "..", "dashboard", "dist");

/** What a browser sends when the user opens a URL (a top-level navigation). */
const NAVIGATION = {
  "Sec-Fetch-Mode": "navigate",
  "Sec-Fetch-Dest": "document",
  "Sec-Fetch-Site": "none",
  Accept: "text/html,application/xhtml+xml,*/*;q=0.8",
};

function directives(csp: string | null): Map<string, string[]> {
  return new Map(
    (csp ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe("the dashboard's assets", () => {
  it("come with a strict Content-Security-Policy: this origin only, no inline code", async () => {
    for (const path of ["/", "/runs/some-run", "/submit", "/admin", "/sign-in"]) {
      const res = await fetch(`${origin()}${path}`, { headers: NAVIGATION });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      const csp = directives(res.headers.get("content-security-policy"));
      expect(csp.get("default-src"), path).toEqual(["'none'"]);
      expect(csp.get("script-src"), path).toEqual(["'self'"]);
      expect(csp.get("style-src"), path).toEqual(["'self'"]);
      expect(csp.get("connect-src"), path).toEqual(["'self'"]);
      expect(csp.get("frame-ancestors"), path).toEqual(["'none'"]);
      expect(csp.get("base-uri"), path).toEqual(["'none'"]);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      const html = await res.text();
      // Every script is a file of this origin: nothing inline, nothing from elsewhere.
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag, path).toMatch(/\ssrc="\/[^/]/);
      expect(html, path).not.toMatch(/<script\b(?![^>]*\ssrc=)[^>]*>/);
      expect(html).not.toMatch(/\s(?:src|href)="(?:https?:)?\/\//);
    }
  });

  it("the API reference (/docs) has its own policy, still this origin only", async () => {
    const res = await fetch(`${origin()}/docs/`, { headers: NAVIGATION });
    expect(res.status).toBe(200);
    const csp = directives(res.headers.get("content-security-policy"));
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    // One policy, not two merged ones.
    expect(res.headers.get("content-security-policy")?.match(/default-src/g)).toHaveLength(1);
    const html = await res.text();
    expect(html).not.toMatch(/<script\b(?![^>]*\ssrc=)[^>]*>/);
    for (const file of ["/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/docs.js"])
      expect((await fetch(`${origin()}${file}`)).status, file).toBe(200);
  });

  it("hashed files are cached for a year; pages are revalidated", async () => {
    const js = readdirSync(join(dist, "assets")).find((f) => f.endsWith(".js"));
    const asset = await fetch(`${origin()}/assets/${js}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const page = await fetch(`${origin()}/`, { headers: NAVIGATION });
    expect(page.headers.get("cache-control")).not.toContain("immutable");
  });

  it("a browser navigation to an API URL reaches the Worker (JSON), not the app (the SPA trap)", async () => {
    for (const [path, status] of [
      ["/ga4gh/wes/v1/service-info", 200],
      ["/ga4gh/wes/v1/runs", 401],
      ["/ga4gh/wes/v1/runs/x/tasks", 401],
      ["/ga4gh/wes/v1/nope", 404],
      ["/admin/metrics", 401],
      ["/openapi.json", 200],
      ["/oidc/config", 200],
      ["/integrations/healthomics/events", 404],
    ] as const) {
      const res = await fetch(`${origin()}${path}`, { headers: NAVIGATION });
      expect(res.status, path).toBe(status);
      expect(res.headers.get("content-type"), path).toMatch(/^application\/json/);
      expect(res.headers.get("content-security-policy"), path).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });

  it("any other path is the app, navigation or not (static routing: run_worker_first names the Worker's paths)", async () => {
    for (const headers of [NAVIGATION, { Accept: "*/*" }]) {
      const res = await fetch(`${origin()}/no-such-page`, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    }
  });

  it("the dashboard's JavaScript stays within its budget (100 KiB gzip)", () => {
    const bytes = dashboardJsBytes(dist);
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThanOrEqual(JS_BUDGET_BYTES);
    expect(JS_BUDGET_BYTES).toBe(100 * 1024);
  });

  it("the built page and stylesheet name no other origin", () => {
    const css = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".css"));
    for (const file of css) expect(readFileSync(join(dist, "assets", file), "utf8")).not.toMatch(/url\((?:["']?)(?:https?:)?\/\//);
    expect(readFileSync(join(dist, "index.html"), "utf8")).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });
});
