/**
 * The dashboard's OpenID Connect sign-in in a real browser, against the `npm start` stack and the
 * stand-in provider it trusts (test/setup/stack-process.ts): the authorization code flow with
 * PKCE through the provider and back, the token kept in this tab's session storage only, the
 * user's own runs, an admin by the provider's group claim, a forged callback refused, sign-out.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumPath, expectAccessible, expectNoErrors, launch, openPage, origin, type Watched } from "./support/dashboard";

let browser: Browser;
const opened: Watched[] = [];

async function setUser(sub: string, claims: Record<string, unknown> = {}): Promise<void> {
  const res = await fetch(`${inject("idpUrl")}/user`, { method: "PUT", body: JSON.stringify({ sub, claims }) });
  expect(res.status).toBe(200);
}

async function signInWithOidc(): Promise<Watched> {
  const w = await openPage(browser);
  opened.push(w);
  await w.page.goto(`${origin()}/`);
  await w.page.waitForURL(/\/sign-in/);
  await w.page.getByRole("button", { name: "Sign in with your organisation" }).click();
  // Out to the provider (it approves at once) and back to the callback, then to the runs.
  await w.page.getByRole("heading", { name: "Runs", level: 1 }).waitFor({ timeout: 30_000 });
  return w;
}

beforeAll(async () => {
  if (chromiumPath) browser = await launch();
});

afterAll(async () => {
  for (const w of opened) await w.context.close().catch(() => undefined);
  await browser?.close();
});

describe.skipIf(!chromiumPath)("signing in to the dashboard with OpenID Connect", () => {
  it("goes to the provider with PKCE and comes back signed in, the token in session storage only", async () => {
    await setUser("oidc-alice");
    const w = await signInWithOidc();
    const p = w.page;
    expect(await p.locator(".topbar .user").innerText()).toBe("oidc-alice");
    expect(await p.getByRole("link", { name: "Admin" }).count()).toBe(0);
    const storage = await p.evaluate(() => ({ session: sessionStorage.getItem("wes-dashboard-session") ?? "{}", local: JSON.stringify(localStorage) }));
    expect(JSON.parse(storage.session)).toMatchObject({ kind: "oidc", user: "oidc-alice", admin: false });
    expect(storage.local).not.toContain("accessToken");
    expect(storage.local).not.toContain("eyJ");
    // The verifier and state of the round trip are gone once it is done.
    expect(await p.evaluate(() => sessionStorage.getItem("wes-dashboard-oidc"))).toBeNull();
    // The token works for the user's own runs: submit one through the form.
    await p.goto(`${origin()}/submit`);
    await p.getByLabel("Workflow", { exact: true }).selectOption({ label: "germline-wdl (WDL, 1000001)" });
    await p.getByLabel(/^input_file/).fill("s3://example-bucket/sample.fastq");
    await p.getByLabel("Run name").fill("oidc-run");
    await p.getByRole("button", { name: "Submit run" }).click();
    await p.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await p.getByRole("heading", { name: "oidc-run", level: 1 }).waitFor();
    const runId = p.url().split("/").pop()!;
    await p.goto(`${origin()}/`);
    await p.locator(`tr[data-run-id="${runId}"]`).waitFor();
    await expectAccessible(p, "runs (oidc)");
    await p.getByRole("button", { name: "Sign out" }).click();
    await p.waitForURL(/\/sign-in/);
    expect(await p.evaluate(() => sessionStorage.length)).toBe(0);
    expectNoErrors(w, "oidc");
  });

  it("makes an admin of a user in the provider's admin group, and keeps users apart", async () => {
    await setUser("oidc-bob", { groups: ["wes-admins"] });
    const w = await signInWithOidc();
    const p = w.page;
    await p.getByRole("link", { name: "Admin" }).click();
    await p.getByRole("heading", { name: "HealthOmics API budget" }).waitFor();
    // An admin sees every run, with its owner: alice's run is there.
    await p.goto(`${origin()}/?name=oidc-run`);
    await expect.poll(() => p.locator("tbody").innerText()).toContain("oidc-alice");
    await setUser("oidc-carol");
    const carol = await signInWithOidc();
    await carol.page.goto(`${origin()}/?name=oidc-run`);
    await carol.page.getByText("No runs match these filters.").waitFor();
    expectNoErrors(w, "oidc admin");
  });

  it("refuses a callback this tab did not start (state), and says so", async () => {
    const w = await openPage(browser);
    opened.push(w);
    await w.page.goto(`${origin()}/auth/callback?code=forged&state=forged`);
    await expect.poll(() => w.page.getByRole("alert").innerText()).toContain("does not belong to a sign-in started in this tab");
    expect(await w.page.evaluate(() => sessionStorage.getItem("wes-dashboard-session"))).toBeNull();
  });
});
