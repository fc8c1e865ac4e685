/**
 * The dashboard in a real browser (Chromium via playwright-core) against the real `npm start`
 * stack: signing in and out, submitting a run and watching it finish without a reload, its tasks
 * on a time axis (failures and retries), cancelling and deleting with a confirmation, a refused submission's
 * message next to its field, what guest and admin see, browser navigations to API URLs, and every
 * page checked with axe and photographed at desktop and phone widths.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitRun, type User, waitForState, wes } from "./support/api";
import {
  chromiumPath,
  DESKTOP,
  expectAccessible,
  expectNoErrors,
  launch,
  openPage,
  origin,
  PHONE,
  screenshot,
  signIn,
  type Watched,
} from "./support/dashboard";

const tag = `browser-${crypto.randomUUID().slice(0, 8)}`;
/** Emulated runs at a third of their length: the browser waits less. */
const FAST = { "emulator:duration-scale": "0.3" };

let browser: Browser;
const opened: Watched[] = [];

async function page(viewport = DESKTOP, colorScheme: "light" | "dark" = "light"): Promise<Watched> {
  const watched = await openPage(browser, viewport);
  await watched.page.emulateMedia({ colorScheme });
  opened.push(watched);
  return watched;
}

async function runByApi(user: User, workflow: string, tags: Record<string, string>): Promise<string> {
  return await submitRun(user, workflow, { ...tags, run_of: tag });
}

function badge(p: Page) {
  return p.locator(".page-head .badge");
}

beforeAll(async () => {
  if (chromiumPath) browser = await launch();
});

afterAll(async () => {
  for (const w of opened) await w.context.close().catch(() => undefined);
  await browser?.close();
});

describe.skipIf(!chromiumPath)("the dashboard in a browser", () => {
  const state: { completed?: string; failed?: string; canceled?: string } = {};

  it("answers a browser navigation to an API URL with JSON, not the app", async () => {
    // Someone who types their credentials into the browser's own Basic prompt (httpCredentials).
    const w = await openPage(browser, DESKTOP, { username: "demo", password: "demo" });
    opened.push(w);
    const p = w.page;
    for (const [path, status] of [
      ["/ga4gh/wes/v1/service-info", 200],
      ["/ga4gh/wes/v1/runs", 200],
      ["/ga4gh/wes/v1/overview/runs?page_size=1", 200],
      ["/ga4gh/wes/v1/workflows", 200],
      ["/openapi.json", 200],
      ["/admin/metrics", 403],
      ["/ga4gh/wes/v1/no-such-route", 404],
      ["/ga4gh/wes/v1/runs/00000000-0000-0000-0000-000000000000", 404],
    ] as const) {
      const res = await p.goto(`${origin()}${path}`);
      expect(res?.status(), path).toBe(status);
      expect(res?.headers()["content-type"], path).toMatch(/^application\/json/);
      const body = JSON.parse(await p.locator("body").innerText()) as Record<string, unknown>;
      if (status !== 200) expect(body.status_code, path).toBe(status);
      else expect(body.status_code, path).toBeUndefined();
    }
    // Dashboard paths are the app (SPA), whatever their depth.
    const app = await p.goto(`${origin()}/runs/not-a-run`);
    expect(app?.headers()["content-type"]).toMatch(/^text\/html/);
    expect(app?.headers()["content-security-policy"]).toContain("script-src 'self'");
  });

  it("signs in with the form (keyboard only), keeps credentials in this tab's session storage only, and signs out", async () => {
    const w = await page();
    const p = w.page;
    await p.goto(`${origin()}/`);
    await p.waitForURL(/\/sign-in/);
    await expectAccessible(p, "sign-in");
    await screenshot(p, "sign-in-desktop");
    await p.setViewportSize(PHONE);
    await expectAccessible(p, "sign-in (phone)");
    await screenshot(p, "sign-in-phone");
    await p.setViewportSize(DESKTOP);
    await p.getByLabel("Username").focus();
    await p.keyboard.type("demo");
    await p.keyboard.press("Tab");
    await p.keyboard.type("wrong");
    await p.keyboard.press("Enter");
    await expect.poll(() => p.getByRole("alert").innerText()).toContain("Wrong user name or password");
    await p.getByLabel("Password").fill("demo");
    await p.getByLabel("Password").press("Enter");
    await p.getByRole("heading", { name: "Runs", level: 1 }).waitFor();
    const storage = await p.evaluate(() => ({ session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage) }));
    expect(storage.session).toContain("Basic");
    expect(storage.local).not.toContain("Basic");
    expect(storage.local).not.toContain("demo");
    await p.getByRole("button", { name: "Sign out" }).click();
    await p.waitForURL(/\/sign-in/);
    expect(await p.evaluate(() => sessionStorage.length)).toBe(0);
    // The app no longer has credentials: a page of runs needs a new sign-in.
    await p.goto(`${origin()}/submit`);
    await p.waitForURL(/\/sign-in\?next=%2Fsubmit/);
    expectNoErrors(w, "sign-in", /status of 401/);
  });

  it("submits a run from the form and shows it reach COMPLETE without reloading", async () => {
    const w = await page();
    const p = w.page;
    await signIn(p, "demo");
    await p.getByRole("link", { name: "Submit", exact: true }).click();
    await p.getByLabel("Workflow", { exact: true }).selectOption({ label: "germline-wdl (WDL, 1000001)" });
    await expect.poll(() => p.getByLabel(/^input_file/).count()).toBe(1);
    await p.getByLabel(/^input_file/).fill("s3://example-bucket/sample.fastq");
    await p.getByLabel(/^sample_name/).fill("NA12878");
    await p.getByLabel("Run name").fill(`${tag}-wdl`);
    await p.getByLabel("Tag 1 key").fill("project");
    await p.getByLabel("Tag 1 value").fill(tag);
    await p.getByRole("button", { name: "Add a tag" }).click();
    await p.getByLabel("Tag 2 key").fill("emulator:duration-scale");
    await p.getByLabel("Tag 2 value").fill(FAST["emulator:duration-scale"]);
    await p.getByRole("button", { name: "Add a tag" }).click();
    await p.getByLabel("Tag 3 key").fill("run_of");
    await p.getByLabel("Tag 3 value").fill(tag);
    await expectAccessible(p, "submit (filled)");
    await screenshot(p, "submit-desktop");
    await p.getByRole("button", { name: "Submit run" }).click();
    await p.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    const runId = p.url().split("/").pop()!;
    state.completed = runId;
    // A marker on the window survives only if the page is never reloaded.
    await p.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    expect(await p.getByRole("heading", { level: 1 }).innerText()).toBe(`${tag}-wdl`);
    await expect.poll(() => badge(p).innerText(), { timeout: 90_000, interval: 500 }).toBe("Complete");
    expect(await p.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    // Its state timeline and its tasks on the time axis.
    const timeline = await p.locator(".timeline").innerText();
    expect(timeline).toContain("Queued");
    expect(timeline).toContain("Running");
    expect(timeline).toContain("Complete");
    await expect.poll(() => p.locator(".gantt-table tbody tr").count()).toBe(3);
    expect(await p.locator(".gantt-bar.is-done").count()).toBe(3);
    expect(await p.locator(".gantt-table").innerText()).toContain("AlignReads");
    await expectAccessible(p, "run (complete)");
    await screenshot(p, "run-desktop");
    expectNoErrors(w, "submit and watch");
    // Its output files: Download asks the API for a presigned URL and goes there.
    await expect.poll(() => p.locator("ul.files li").count()).toBe(4);
    const vcf = p.locator("ul.files li", { hasText: "out/vcf/vcf.txt" });
    const [download] = await Promise.all([
      p.waitForEvent("response", (r) => r.url().includes("X-Amz-Signature=")),
      vcf.getByRole("button", { name: "Download" }).click(),
    ]);
    expect(download.status()).toBe(200);
    expect(await download.text()).toContain("Output vcf/vcf.txt");
  }, 180_000);

  it("lists runs newest first with their details, and filters them by tag and state", async () => {
    expect(state.completed).toBeDefined();
    const w = await page();
    const p = w.page;
    await signIn(p, "demo");
    const row = p.locator(`tr[data-run-id="${state.completed}"]`);
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain(`${tag}-wdl`);
    expect(text).toContain("healthomics:1000001");
    expect(text).toContain("Complete");
    await p.getByLabel("Tag key").fill("project");
    await p.getByLabel("Tag value").fill(tag);
    await p.getByRole("button", { name: "Add tag filter" }).click();
    await p.waitForURL(/tag_key=project/);
    await expect.poll(() => p.locator("tbody tr").count()).toBe(1);
    await p.getByLabel("Running").check();
    await expect.poll(() => p.getByText("No runs match these filters.").count()).toBe(1);
    await p.getByRole("button", { name: "Clear filters" }).click();
    // Search by run id opens the run.
    await p.getByLabel("Search by run id or name").fill(state.completed!);
    await p.getByRole("button", { name: "Search", exact: true }).click();
    await p.waitForURL(new RegExp(`/runs/${state.completed}$`));
    expectNoErrors(w, "list");
  });

  it("shows a failed run's tasks: failed attempts marked, the retry numbered, the reason given", async () => {
    const runId = await runByApi("demo", "1000003", FAST);
    state.failed = runId;
    expect(await waitForState("demo", runId, (s) => s === "EXECUTOR_ERROR" || s === "SYSTEM_ERROR", 90_000)).toBe("EXECUTOR_ERROR");
    const w = await page();
    const p = w.page;
    await signIn(p, "demo");
    await p.goto(`${origin()}/runs/${runId}`);
    await expect.poll(() => badge(p).innerText()).toBe("Executor error");
    await expect.poll(() => p.locator(".gantt-table tr.failed").count()).toBe(2);
    const chart = await p.locator(".gantt-table").innerText();
    expect(chart).toContain("retry 1 of 1");
    expect(chart).toContain("attempt 1 of 2");
    expect(chart.toLowerCase()).toContain("failed");
    expect(await p.locator(".gantt-bar.is-failed").count()).toBe(2);
    // The log viewer: the run log (stderr) ends with HealthOmics' reason; a task's log reads too.
    await p.getByRole("button", { name: /Show the last 500 lines/ }).click();
    await expect.poll(() => p.locator("section[aria-label='Log text'] pre").innerText()).toContain("HealthOmics failure reason: RUN_TASK_FAILED");
    await p.getByLabel("Log", { exact: true }).selectOption({ label: (await p.locator("#log-source option").nth(2).innerText()).trim() });
    await p.getByRole("button", { name: /Show the last 500 lines/ }).click();
    await expect.poll(() => p.locator("section[aria-label='Log text'] pre").innerText()).toMatch(/created: \d+ vCPU/);
    await expectAccessible(p, "run (failed, log shown)");
    // The screenshots below measure from the top of the page.
    await p.evaluate(() => window.scrollTo(0, 0));
    await screenshot(p, "run-failed-desktop");
    // For the README: the run down to its tasks chart.
    await screenshot(p, "readme-run", "section:has(#tasks-title)");
    expectNoErrors(w, "failed run");
  });

  it("cancels a long run after a confirmation (Escape keeps it running)", async () => {
    const runId = await runByApi("demo", "1000002", {});
    state.canceled = runId;
    const w = await page();
    const p = w.page;
    await signIn(p, "demo");
    await p.goto(`${origin()}/runs/${runId}`);
    const cancel = p.getByRole("button", { name: "Cancel run" });
    await cancel.waitFor();
    // A live run can be cancelled, not deleted.
    expect(await p.getByRole("button", { name: "Delete run" }).count()).toBe(0);
    await cancel.click();
    const dialog = p.getByRole("dialog", { name: "Cancel this run?" });
    await dialog.waitFor();
    await expectAccessible(p, "cancel dialog");
    await p.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await badge(p).innerText()).not.toMatch(/Cancel/);
    await cancel.click();
    await dialog.getByRole("button", { name: "Cancel run" }).click();
    await expect.poll(() => p.getByRole("status").allInnerTexts()).toContainEqual(expect.stringContaining("Cancel requested"));
    await expect.poll(() => badge(p).innerText(), { timeout: 60_000, interval: 500 }).toBe("Canceled");
    expect(await p.getByRole("button", { name: "Cancel run" }).count()).toBe(0);
    expect((await wes<{ state: string }>("demo", "GET", `/runs/${runId}/status`)).json.state).toBe("CANCELED");
    expectNoErrors(w, "cancel");
  });

  it("deletes a finished run after a confirmation (Escape keeps it)", async () => {
    const runId = await submitRun("demo", "1000001", FAST);
    const w = await page();
    const p = w.page;
    await signIn(p, "demo");
    await p.goto(`${origin()}/runs/${runId}`);
    await expect.poll(() => badge(p).innerText(), { timeout: 60_000, interval: 500 }).toBe("Complete");
    const remove = p.getByRole("button", { name: "Delete run" });
    await remove.click();
    const dialog = p.getByRole("dialog", { name: "Delete this run?" });
    await dialog.waitFor();
    // npm start keeps outputs (WES_DELETE_OUTPUTS unset), and the dialog says so without hedging.
    await expect.poll(() => dialog.innerText()).toContain("Its outputs in S3 are kept. This cannot be undone.");
    await expectAccessible(p, "delete dialog");
    await p.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect((await wes("demo", "GET", `/runs/${runId}/status`)).status).toBe(200);
    await remove.click();
    await dialog.getByRole("button", { name: "Delete run" }).click();
    await p.getByRole("heading", { name: "Run deleted" }).waitFor();
    expect(await p.getByText(`Run ${runId} and its records were deleted.`).innerText()).toContain("Its outputs in S3 are kept.");
    await expectAccessible(p, "run deleted");
    expect((await wes("demo", "GET", `/runs/${runId}/status`)).status).toBe(404);
    await p.getByRole("link", { name: "Back to the runs" }).click();
    await p.getByRole("heading", { name: "Runs", level: 1 }).waitFor();
    expect(await p.locator(`tr[data-run-id="${runId}"]`).count()).toBe(0);
    expectNoErrors(w, "delete");
  });

  it("shows a refused submission's message next to the field it is about", async () => {
    const w = await page();
    const p = w.page;
    await signIn(p, "demo");
    await p.goto(`${origin()}/submit`);
    await p.getByLabel("Workflow", { exact: true }).selectOption({ label: "germline-wdl (WDL, 1000001)" });
    await p.getByLabel(/^input_file/).fill("s3://example-bucket/sample.fastq");
    await p.getByText("Run options").click();
    const field = p.getByLabel("storageCapacity");
    await field.fill("lots");
    await p.getByRole("button", { name: "Submit run" }).click();
    const message = p.locator('[id="err-option:storageCapacity"]');
    await message.waitFor();
    expect(await message.innerText()).toContain("storageCapacity");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await field.getAttribute("aria-describedby")).toBe("err-option:storageCapacity");
    expect(p.url()).toMatch(/\/submit$/);
    // A required parameter left empty is caught before sending.
    await field.fill("");
    await p.getByLabel(/^input_file/).fill("");
    await p.getByRole("button", { name: "Submit run" }).click();
    expect(await p.locator('[id="err-param:input_file"]').innerText()).toContain("required");
    await expectAccessible(p, "submit (errors)");
    expectNoErrors(w, "refused submission", /status of 400/);
  });

  it("does not show demo's runs to guest, not even by their URL", async () => {
    const w = await page();
    const p = w.page;
    await signIn(p, "guest");
    await p.getByText(/on this page/).waitFor();
    for (const id of [state.completed, state.failed, state.canceled].filter(Boolean)) expect(await p.locator(`tr[data-run-id="${id}"]`).count()).toBe(0);
    await p.goto(`${origin()}/runs/${state.completed}`);
    await p.getByRole("heading", { name: "Run not found" }).waitFor();
    expect(await p.getByRole("link", { name: "Admin" }).count()).toBe(0);
    await p.goto(`${origin()}/admin`);
    await p.getByRole("heading", { name: "Page not found" }).waitFor();
  });

  it("shows admins the API budget at work", async () => {
    const w = await page();
    const p = w.page;
    await signIn(p, "admin");
    await p.getByRole("link", { name: "Admin" }).click();
    await p.getByRole("heading", { name: "HealthOmics API budget" }).waitFor();
    for (const op of ["StartRun", "GetRun", "ListRunTasks", "GetWorkflow"]) await p.getByRole("heading", { name: op, exact: true }).waitFor();
    // After two samples the sparklines have a line.
    await expect.poll(() => p.locator(".sparkline polyline").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await p.getByRole("heading", { name: "Runs by state" }).count()).toBe(1);
    // Admins see every run, with its owner.
    await p.goto(`${origin()}/?tag_key=run_of&tag_value=${tag}`);
    await expect.poll(() => p.locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await p.locator("thead").innerText()).toContain("OWNER");
    expectNoErrors(w, "admin");
  });

  it("every page passes axe at desktop and phone widths, light and dark, and is photographed", async () => {
    const pages: Array<[string, string, User]> = [
      ["runs", "/", "demo"],
      ["run", `/runs/${state.completed}`, "demo"],
      ["run-failed", `/runs/${state.failed}`, "demo"],
      ["submit", "/submit", "demo"],
      ["admin", "/admin", "admin"],
    ];
    for (const [viewportName, viewport] of [
      ["desktop", DESKTOP],
      ["phone", PHONE],
    ] as const) {
      for (const scheme of ["light", "dark"] as const) {
        const byUser = new Map<User, Watched>();
        for (const [name, path, user] of pages) {
          let w = byUser.get(user);
          if (!w) {
            w = await page(viewport, scheme);
            await signIn(w.page, user);
            byUser.set(user, w);
          }
          await w.page.goto(`${origin()}${path}`);
          await w.page.locator("main h1").first().waitFor();
          await w.page.waitForLoadState("networkidle");
          await expectAccessible(w.page, `${name} ${viewportName} ${scheme}`);
          if (scheme === "light" || name === "runs") await screenshot(w.page, `${name}-${viewportName}${scheme === "dark" ? "-dark" : ""}`);
          // For the README: the runs of this file (complete, failed, canceled), filtered by their tag.
          if (name === "runs" && viewportName === "desktop" && scheme === "light") {
            await w.page.goto(`${origin()}/?tag_key=run_of&tag_value=${tag}`);
            await expect.poll(() => w.page.locator("tbody tr").count()).toBe(3);
            await screenshot(w.page, "readme-runs", "nav.pager");
          }
          if (viewportName === "phone") {
            // Nothing wider than the phone: no sideways scrolling of the page.
            expect(await w.page.evaluate(() => document.documentElement.scrollWidth), `${name} width`).toBeLessThanOrEqual(PHONE.width);
          }
          expectNoErrors(w, `${name} ${viewportName} ${scheme}`);
        }
      }
    }
    // The API reference renders offline from the Worker's own assets (its CSP is its own; exempt from axe: third-party UI).
    const w = await page();
    await w.page.goto(`${origin()}/docs/`);
    await w.page.getByText("/ga4gh/wes/v1/runs", { exact: true }).first().waitFor();
    await screenshot(w.page, "docs-desktop");
    await w.page.setViewportSize(PHONE);
    await screenshot(w.page, "docs-phone");
    expectNoErrors(w, "docs");
  }, 300_000);
});
