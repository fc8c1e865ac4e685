/**
 * The submit form's other workflow sources, in a real browser against the `npm start` stack:
 * a WDL uploaded as a folder (its import in a subfolder) run to COMPLETE, a Dockstore-style TRS URL
 * of the emulator's example workflow, and a URL the API refuses with its 400 next to the field.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumPath, expectAccessible, expectNoErrors, launch, openPage, origin, signIn, type Watched } from "./support/dashboard";

const tag = `files-${crypto.randomUUID().slice(0, 8)}`;
const MAIN_WDL = `version 1.0\n# ${tag}\nimport "tasks/greet.wdl" as g\nworkflow hello {\n  input { String name }\n  call g.greet { input: name = name }\n}\n`;
const GREET =
  'version 1.0\ntask greet {\n  input { String name }\n  command <<< echo "hi ~{name}" >>>\n  output { String out = read_string(stdout()) }\n  runtime { docker: "ubuntu" }\n}\n';

let browser: Browser;
const opened: Watched[] = [];

async function signedIn(): Promise<Watched> {
  const w = await openPage(browser);
  opened.push(w);
  await signIn(w.page, "demo");
  await w.page.goto(`${origin()}/submit`);
  return w;
}

/** Tags that make the emulated run short and mark it as this file's. */
async function fastTags(w: Watched): Promise<void> {
  const p = w.page;
  await p.getByLabel("Tag 1 key").fill("emulator:duration-scale");
  await p.getByLabel("Tag 1 value").fill("0.3");
  await p.getByRole("button", { name: "Add a tag" }).click();
  await p.getByLabel("Tag 2 key").fill("run_of");
  await p.getByLabel("Tag 2 value").fill(tag);
}

beforeAll(async () => {
  if (chromiumPath) browser = await launch();
});

afterAll(async () => {
  for (const w of opened) await w.context.close().catch(() => undefined);
  await browser?.close();
});

describe.skipIf(!chromiumPath)("submitting workflow files and URLs from the dashboard", () => {
  it("uploads a folder with a WDL and its import in a subfolder, and the run reaches COMPLETE", async () => {
    const folder = join(mkdtempSync(join(tmpdir(), "wes-upload-")), "hello");
    mkdirSync(join(folder, "tasks"), { recursive: true });
    writeFileSync(join(folder, "main.wdl"), MAIN_WDL);
    writeFileSync(join(folder, "tasks", "greet.wdl"), GREET);
    const w = await signedIn();
    const p = w.page;
    await p.getByLabel("Upload files").check();
    await p.locator("#workflow-folder").setInputFiles(folder);
    // The folder's own name is dropped: the import resolves next to main.wdl.
    await expect.poll(() => p.getByLabel("Main file").inputValue()).toBe("main.wdl");
    expect(await p.getByLabel("Main file").locator("option").allInnerTexts()).toContain("tasks/greet.wdl");
    expect(await p.getByLabel("Workflow type").inputValue()).toBe("WDL");
    await p.getByLabel("Parameters (JSON)").fill('{"hello.name": "world"}');
    await p.getByLabel("Run name").fill(`${tag}-upload`);
    await fastTags(w);
    await expectAccessible(p, "submit (files)");
    await p.getByRole("button", { name: "Submit run" }).click();
    await p.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    expect(await p.getByRole("heading", { level: 1 }).innerText()).toBe(`${tag}-upload`);
    await expect.poll(() => p.locator(".page-head .badge").innerText(), { timeout: 120_000, interval: 500 }).toBe("Complete");
    expectNoErrors(w, "upload");
  });

  it("submits a TRS URL of the emulator's example workflow", async () => {
    const id = encodeURIComponent("#workflow/github.com/wes-emulator/wdl-hello-import");
    const url = `${inject("emulatorUrl")}/ga4gh/trs/v2/tools/${id}/versions/1.0/PLAIN_WDL/descriptor/main.wdl`;
    const w = await signedIn();
    const p = w.page;
    await p.getByLabel("Workflow URL").check();
    await p.getByLabel("Workflow URL", { exact: true }).and(p.locator("input[type=url]")).fill(url);
    await p.getByLabel("Parameters (JSON)").fill('{"HelloImport.input_file": "s3://example-bucket/inputs/sample.txt"}');
    await fastTags(w);
    await expectAccessible(p, "submit (URL)");
    await p.getByRole("button", { name: "Submit run" }).click();
    await p.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await expect.poll(() => p.locator(".page-head .badge").innerText(), { timeout: 120_000, interval: 500 }).toBe("Complete");
    expectNoErrors(w, "TRS URL");
  });

  it("shows the API's refusal of a URL next to the URL field", async () => {
    const w = await signedIn();
    const p = w.page;
    await p.getByLabel("Workflow URL").check();
    const field = p.locator("#workflow-url");
    await field.fill(`${inject("emulatorUrl")}/__emulator/files/no-such-example/main.wdl`);
    await p.getByRole("button", { name: "Submit run" }).click();
    const message = p.locator("#err-url");
    await message.waitFor();
    expect(await message.innerText()).toMatch(/^Fetching '.*no-such-example.*' answered 404\./);
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await field.getAttribute("aria-describedby")).toBe("err-url");
    expect(p.url()).toMatch(/\/submit$/);
    await expectAccessible(p, "submit (URL refused)");
    expectNoErrors(w, "refused URL", /status of 400/);
  });
});
