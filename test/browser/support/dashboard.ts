/**
 * Driving the dashboard in a real browser (Playwright's `playwright-core` with Debian's Chromium)
 * against the `npm start` stack of the node project: launching, signing in, accessibility checks
 * with axe-core, screenshots (test-results/screenshots, git-ignored), and what the page logged.
 * Without a browser the tests are skipped, loudly (scripts/lib/chromium.mjs says how to get one).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect, inject } from "vitest";
import { CHROMIUM_FLAGS, findChromium, HOW_TO_INSTALL } from "../../../scripts/lib/chromium.mjs";

/** The browser to use, or undefined (then the browser tests skip). */
export const chromiumPath = findChromium();
if (!chromiumPath) console.warn(`\n⚠⚠⚠ Browser tests SKIPPED: no Chromium on this machine.\n    ${HOW_TO_INSTALL}\n`);

/** The Worker's origin (the dashboard lives at "/"). */
export function origin(): string {
  return new URL(inject("apiUrl")).origin;
}

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

const SCREENSHOTS = join(import.meta.dirname, "..", "..", "..", "test-results", "screenshots");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Starts Chromium (one per test file). */
export async function launch(): Promise<Browser> {
  if (!chromiumPath) throw new Error("no Chromium");
  return await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS });
}

/** A page and what it reported: console errors and Content-Security-Policy violations. */
export interface Watched {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

/** A fresh context (its own session storage) at `viewport`; `httpCredentials` answer the browser's own Basic prompt. */
export async function openPage(browser: Browser, viewport = DESKTOP, httpCredentials?: { username: string; password: string }): Promise<Watched> {
  const context = await browser.newContext({ viewport, reducedMotion: "reduce", ...(httpCredentials ? { httpCredentials } : {}) });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    // A non-admin's one-time admin check answers 403 by design; the browser logs every failed load.
    if (m.type() === "error" && !/status of 403/.test(m.text())) errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  return { context, page, errors };
}

/** Signs in with the form, as a person would. */
export async function signIn(page: Page, user: string, password = user): Promise<void> {
  await page.goto(`${origin()}/`);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel("Username").fill(user);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "Runs", level: 1 }).waitFor();
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (no inline script is added).
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            options: object,
          ) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad, `${label}: ${JSON.stringify(bad, null, 1)}`).toEqual([]);
}

/** Saves a full-page screenshot as test-results/screenshots/<name>.png (or, with `upTo`, the page down to that element's end). */
export async function screenshot(page: Page, name: string, upTo?: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  const box = upTo ? await page.locator(upTo).boundingBox() : null;
  if (box) {
    const width = page.viewportSize()?.width ?? DESKTOP.width;
    await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width, height: Math.ceil(box.y + box.height + 16) } });
  } else {
    await page.screenshot({ path, fullPage: true });
  }
}

/** Content-Security-Policy violations (and other errors) the page logged, but those `expected` matches. */
export function expectNoErrors(watched: Watched, label: string, expected?: RegExp): void {
  expect(
    watched.errors.filter((e) => !expected?.test(e)),
    label,
  ).toEqual([]);
}
