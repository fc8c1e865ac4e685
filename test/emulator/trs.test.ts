/**
 * The local GA4GH TRS v2 registry and the example workflows as plain files: Dockstore-style ids,
 * FileWrappers with checksums, PLAIN_* text, file listings and zips; and each example registers
 * with CreateWorkflow (from its TRS zip) and runs.
 */
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { call, plain, rid, startBody, waitForFinal, waitForWorkflow } from "./helpers";

const TRS = "/ga4gh/trs/v2";
const CWL_ID = "#workflow/github.com/wes-emulator/cwl-count-lines";
const enc = encodeURIComponent;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function json(path: string): Promise<unknown> {
  const res = await plain(path);
  expect(res.status).toBe(200);
  return res.json();
}

describe("TRS registry", () => {
  it("lists the tools with TRS's required members, and finds one by its encoded Dockstore id (slashes encoded or not)", async () => {
    const tools = (await json(`${TRS}/tools`)) as Record<string, unknown>[];
    expect(tools.map((t) => t.id)).toEqual([
      CWL_ID,
      "#workflow/github.com/wes-emulator/wdl-hello-import",
      "#workflow/github.com/wes-emulator/nextflow-count-lines",
    ]);
    for (const t of tools) {
      expect(t).toMatchObject({ url: expect.stringContaining(`${TRS}/tools/%23workflow`), organization: "wes-emulator", toolclass: { name: "Workflow" } });
      expect((t.versions as Record<string, unknown>[])[0]).toMatchObject({ id: "1.0", url: expect.any(String), descriptor_type: [expect.any(String)] });
    }
    expect(await json(`${TRS}/tools/${enc(CWL_ID)}`)).toMatchObject({ id: CWL_ID });
    expect(await json(`${TRS}/tools/%23workflow/github.com/wes-emulator/cwl-count-lines/versions/1.0`)).toMatchObject({ id: "1.0" });
    expect(await json(`${TRS}/tools/${enc(CWL_ID)}/versions`)).toEqual([expect.objectContaining({ id: "1.0", descriptor_type: ["CWL"] })]);
    expect(await json(`${TRS}/toolClasses`)).toEqual([expect.objectContaining({ name: "Workflow" })]);
    expect(await json(`${TRS}/service-info`)).toMatchObject({ type: { group: "org.ga4gh", artifact: "trs" } });
    const missing = await plain(`${TRS}/tools/${enc("#workflow/github.com/nobody/nothing")}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 404 });
  });

  it("serves descriptors as FileWrappers with a sha-256 checksum, PLAIN_* as raw text, relative paths too", async () => {
    const base = `${TRS}/tools/${enc(CWL_ID)}/versions/1.0`;
    const wrapper = (await json(`${base}/CWL/descriptor`)) as { content: string; checksum: { checksum: string; type: string }[]; url: string };
    expect(wrapper.content).toMatch(/^#!\/usr\/bin\/env cwl-runner/);
    expect(wrapper.checksum).toEqual([{ checksum: await sha256(wrapper.content), type: "sha-256" }]);
    const raw = await plain(`${base}/PLAIN_CWL/descriptor`);
    expect(await raw.text()).toBe(wrapper.content);
    expect(raw.headers.get("content-type")).toMatch(/^text\/plain/);
    const tool = await plain(`${base}/PLAIN_CWL/descriptor/tools/wc.cwl`);
    expect(await tool.text()).toMatch(/baseCommand: \[wc, -l\]/);
    expect(await plain(`${base}/PLAIN_CWL/descriptor/${enc("tools/wc.cwl")}`).then((r) => r.status)).toBe(200);
    expect((await plain(`${base}/PLAIN_CWL/descriptor/%2Fcount-lines.cwl`)).status).toBe(200);
    expect((await plain(`${base}/WDL/descriptor`)).status).toBe(404);
    expect((await plain(`${base}/PLAIN_CWL/descriptor/nope.cwl`)).status).toBe(404);
    expect((await plain(`${TRS}/tools/${enc(CWL_ID)}/versions/9.9/CWL/descriptor`)).status).toBe(404);
  });

  it("lists files with file_type and checksum, and zips them", async () => {
    const base = `${TRS}/tools/${enc(CWL_ID)}/versions/1.0/CWL/files`;
    const files = (await json(base)) as { path: string; file_type: string; checksum: unknown[] }[];
    expect(files.map((f) => [f.path, f.file_type])).toEqual([
      ["count-lines.cwl", "PRIMARY_DESCRIPTOR"],
      ["tools/wc.cwl", "SECONDARY_DESCRIPTOR"],
      ["tools/report.cwl", "SECONDARY_DESCRIPTOR"],
      ["test.json", "TEST_FILE"],
    ]);
    const zipped = await plain(`${base}?format=zip`);
    expect(zipped.headers.get("content-type")).toBe("application/zip");
    const entries = unzipSync(new Uint8Array(await zipped.arrayBuffer()));
    expect(Object.keys(entries).sort()).toEqual(files.map((f) => f.path).sort());
    expect(await json(`${TRS}/tools/${enc(CWL_ID)}/versions/1.0/PLAIN_CWL/tests`)).toEqual([expect.objectContaining({ input_file: expect.any(Object) })]);
  });
});

describe("example files over http", () => {
  it("serves each example's files where relative imports resolve", async () => {
    const index = (await json("/__emulator/files/")) as { examples: { name: string; main: string }[] };
    expect(index.examples.map((e) => e.name)).toEqual(["cwl-count-lines", "wdl-hello-import", "nextflow-count-lines"]);
    const main = await (await plain("/__emulator/files/wdl-hello-import/main.wdl")).text();
    const imported = /import "([^"]+)"/.exec(main)![1]!;
    const resolved = new URL(imported, "http://127.0.0.1:8788/__emulator/files/wdl-hello-import/main.wdl");
    expect(await (await plain(resolved.pathname)).text()).toMatch(/task say_hello/);
    expect((await plain("/__emulator/files/wdl-hello-import/missing.wdl")).status).toBe(404);
  });
});

describe("every example runs when registered with CreateWorkflow", () => {
  const cases = [
    { id: CWL_ID, type: "CWL", template: { input_file: { optional: false }, sample_name: { optional: true } }, tasks: ["wc", "report"] },
    {
      id: "#workflow/github.com/wes-emulator/wdl-hello-import",
      type: "WDL",
      template: { input_file: { optional: false }, name: { optional: true } },
      tasks: ["say_hello", "count_words"],
    },
    {
      id: "#workflow/github.com/wes-emulator/nextflow-count-lines",
      type: "NFL",
      template: { input: { optional: true }, sample_name: { optional: true }, outdir: { optional: true }, max_cpus: { optional: true } },
      tasks: ["REPORT", "COUNT"],
    },
  ];
  for (const c of cases) {
    it(`registers and runs ${c.id}`, async () => {
      const zipped = new Uint8Array(await (await plain(`${TRS}/tools/${enc(c.id)}/versions/1.0/${c.type}/files?format=zip`)).arrayBuffer());
      const created = await call("POST", "/workflow", { requestId: rid("trs"), definitionZip: btoa(String.fromCharCode(...zipped)) });
      const workflow = await waitForWorkflow(String(created.json!.id), "ACTIVE");
      expect(workflow.parameterTemplate).toMatchObject(c.template);
      expect(Object.keys(workflow.parameterTemplate as object).sort()).toEqual(Object.keys(c.template).sort());
      const parameters = c.type === "NFL" ? { input: "s3://example-bucket/in.txt" } : { input_file: "s3://example-bucket/in.txt" };
      const started = await call("POST", "/run", startBody(String(created.json!.id), rid("trs-run"), { parameters }));
      expect((await waitForFinal(String(started.json!.id))).status).toBe("COMPLETED");
      const tasks = (await call("GET", `/run/${String(started.json!.id)}/task`)).json!.items as { name: string }[];
      expect(tasks.map((t) => t.name)).toEqual(c.tasks);
    });
  }
});
