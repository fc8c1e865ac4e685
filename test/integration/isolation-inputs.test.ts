/**
 * Data isolation at submission, through the Worker's real fetch handler with real D1 and the
 * emulator: workflow_params naming another user's outputs are refused (400 naming the URI), the
 * user's own outputs are accepted, WES_ALLOWED_INPUT_PREFIXES / WES_GROUPS are enforced, and the
 * run's StartRun writes under users/<owner>/runs/<run_id>/.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { executorSettings } from "../../src/executor-config";
import { omicsClient } from "../../src/executors/healthomics/client/factory";
import { API, basic, call, runBody } from "../support/api";
import { drain, drive, runRow } from "../support/runs";

interface Answer {
  status: number;
  body: { run_id?: string; msg?: string; status_code?: number };
}

const OUT = "s3://wes-test-outputs";

async function answer(res: Response, keep = false): Promise<Answer> {
  const result = { status: res.status, body: (await res.json()) as Answer["body"] };
  // Whatever a test expects, a run that was created must not leave a pending alarm behind.
  if (result.body.run_id && !keep) await drain(result.body.run_id);
  return result;
}

/** POST /runs as `user` with `input_file` set to `input` (JSON body), through the test env. */
async function submitInput(input: unknown, user = "demo", keep = false): Promise<Answer> {
  const body = JSON.stringify(runBody("1000001", { workflow_params: { input_file: input } }));
  return await answer(await call("/runs", { method: "POST", user, body, headers: { "Content-Type": "application/json" } }), keep);
}

/** The same through a fresh app whose env has `overrides` (settings the test env does not have). */
async function submitWith(overrides: Record<string, string>, input: unknown, user = "demo"): Promise<Answer> {
  const body = JSON.stringify(runBody("1000001", { workflow_params: { input_file: input } }));
  const request = new Request(`${API}/runs`, { method: "POST", body, headers: { "Content-Type": "application/json", Authorization: basic(user) } });
  return await answer(await createApp().fetch(request, { ...env, ...overrides } as Env));
}

function expectRefused(result: Answer, uri: string, reason: RegExp): void {
  expect(result.status, result.body.msg).toBe(400);
  expect(result.body.status_code).toBe(400);
  expect(result.body.msg).toContain(`'${uri}'`);
  expect(result.body.msg).toMatch(reason);
}

describe("other users' outputs (always refused)", () => {
  it("a URI in another user's output folder is a 400 that names the URI and why", async () => {
    const uri = `${OUT}/users/guest/runs/0b9e/2100001/out/sample.bam`;
    const result = await submitInput(uri);
    expectRefused(
      result,
      uri,
      /another user's output folder \(s3:\/\/wes-test-outputs\/users\/guest\/\); runs may read only your own outputs there \(s3:\/\/wes-test-outputs\/users\/demo\/\)/,
    );
    expect(result.body.msg).toMatch(/^workflow_params\.input_file refers to /);
  });

  it.each([
    `S3://WES-TEST-OUTPUTS/users/guest/x`,
    `${OUT}/users/demo/../guest/x`,
    `${OUT}//users/guest/x`,
    `${OUT}/users/demo/%2e%2e/guest/x`,
    `${OUT}/users/*/runs/`,
    `${OUT}/runs/old-run/x`,
    `${OUT}/`,
  ])("bypass attempt %s is refused", async (uri) => {
    expectRefused(await submitInput(uri), uri, /output|path segments/);
  });

  it("finds URIs nested in arrays and objects and in multipart parameter files", async () => {
    const nested = await answer(
      await call("/runs", {
        method: "POST",
        user: "demo",
        body: JSON.stringify(
          runBody("1000001", { workflow_params: { input_file: "s3://example-bucket/a.fq", sample_name: "x", extra: { lanes: [`${OUT}/users/guest/l1.fq`] } } }),
        ),
        headers: { "Content-Type": "application/json" },
      }),
    );
    expect(nested.status).toBe(400);
    expect(nested.body.msg).toMatch(/^workflow_params\.extra\.lanes\[0\] refers to 's3:\/\/wes-test-outputs\/users\/guest\/l1\.fq'/);

    const form = new FormData();
    form.set("workflow_type", "WDL");
    form.set("workflow_type_version", "1.0");
    form.set("workflow_url", "healthomics:1000001");
    form.set("workflow_params", new File([JSON.stringify({ input_file: `${OUT}/users/guest/x.bam` })], "params.json", { type: "application/json" }));
    const multipart = await answer(await call("/runs", { method: "POST", user: "demo", body: form }));
    expect(multipart.status).toBe(400);
    expect(multipart.body.msg).toContain("users/guest/x.bam");
  });

  it("admins are checked like everyone else", async () => {
    expectRefused(await submitInput(`${OUT}/users/demo/x.bam`, "admin"), `${OUT}/users/demo/x.bam`, /another user's output folder/);
    const own = await submitInput(`${OUT}/users/admin/x.bam`, "admin");
    expect(own.status, own.body.msg).toBe(200);
  });

  it("the user's own outputs are accepted (chaining runs)", async () => {
    const result = await submitInput(`${OUT}/users/demo/runs/0b9e/2100001/out/sample.bam`);
    expect(result.status, result.body.msg).toBe(200);
  });
});

describe("WES_ALLOWED_INPUT_PREFIXES and WES_GROUPS", () => {
  const SETTINGS = { WES_GROUPS: "lab:guest", WES_ALLOWED_INPUT_PREFIXES: "*=s3://example-bucket/;@lab=s3://lab-data/projects/" };

  it("allows what the rules give the user, and refuses the rest naming what is allowed", async () => {
    expect((await submitWith(SETTINGS, "s3://example-bucket/sample.fastq")).status).toBe(200);
    expect((await submitWith(SETTINGS, "s3://lab-data/projects/p1/x.fq", "guest")).status).toBe(200);
    expectRefused(
      await submitWith(SETTINGS, "s3://lab-data/projects/p1/x.fq", "demo"),
      "s3://lab-data/projects/p1/x.fq",
      /not in a location your runs may read; you may use s3:\/\/example-bucket\/, and your own outputs \(s3:\/\/wes-test-outputs\/users\/demo\/\)/,
    );
    expectRefused(await submitWith(SETTINGS, "s3://lab-data/projects-old/x.fq", "guest"), "s3://lab-data/projects-old/x.fq", /not in a location/);
    expect((await submitWith(SETTINGS, `${OUT}/users/demo/runs/r/1/x.bam`)).status).toBe(200);
    expectRefused(await submitWith(SETTINGS, `${OUT}/users/guest/x.bam`), `${OUT}/users/guest/x.bam`, /another user's/);
  });

  it("JSON syntax works the same", async () => {
    const json = { WES_ALLOWED_INPUT_PREFIXES: JSON.stringify({ demo: ["omics://123456789012.storage.us-east-1.amazonaws.com/555/"] }) };
    expect((await submitWith(json, "omics://123456789012.storage.us-east-1.amazonaws.com/555/readSet/1/source1")).status).toBe(200);
    expectRefused(await submitWith(json, "s3://example-bucket/sample.fastq"), "s3://example-bucket/sample.fastq", /not in a location/);
  });

  it("a bad setting is a 503 naming the variable, and nothing is stored", async () => {
    const result = await submitWith({ WES_ALLOWED_INPUT_PREFIXES: "@nogroup=s3://x/" }, "s3://example-bucket/sample.fastq");
    expect(result.status).toBe(503);
    expect(result.body.msg).toMatch(/WES_ALLOWED_INPUT_PREFIXES names group '@nogroup', which WES_GROUPS does not define/);
    expect(result.body.run_id).toBeUndefined();
  });
});

describe("the output layout", () => {
  it("StartRun's outputUri is users/<owner>/runs/<run_id>/, and output_location is under it", async () => {
    const result = await submitInput("s3://example-bucket/sample.fastq", "guest", true);
    expect(result.status).toBe(200);
    const runId = result.body.run_id!;
    try {
      expect(await drive(runId)).toBe("COMPLETE");
      const { omics_run_id, outputs } = await runRow(runId);
      const got = await omicsClient(executorSettings(env)).getRun(omics_run_id!);
      if (!got.ok) throw new Error(`GetRun failed: ${got.error.type}`);
      expect(got.value.outputUri).toBe(`${OUT}/users/guest/runs/${runId}/`);
      expect((JSON.parse(outputs) as { output_location: string }).output_location).toBe(`${OUT}/users/guest/runs/${runId}/${omics_run_id}`);
    } finally {
      await drain(runId);
    }
  });
});

describe("the size of workflow_params (HealthOmics takes at most 50,000 bytes)", () => {
  it("10,000 comma-separated URIs (an ordinary sample list, 410 KB) are a clear 400, not a crash", async () => {
    const list = Array.from({ length: 10_000 }, (_, i) => `s3://lab-bucket/project/sample_${String(i).padStart(5, "0")}.bam`).join(",");
    const result = await submitInput(list);
    expect(result.status, result.body.msg).toBe(400);
    expect(result.body.msg).toMatch(/workflow_params is [0-9,]+ bytes of JSON; HealthOmics accepts at most 50,000 bytes of run parameters/);
    expect(result.body.msg).toMatch(/folder|prefix/);
    expect(result.body.msg).toMatch(/sample sheet/);
  });

  it("the size is checked before any URI in it is read", async () => {
    const result = await submitInput(`${OUT}/users/guest/x ${"y".repeat(60_000)}`);
    expect(result.status).toBe(400);
    expect(result.body.msg).toMatch(/50,000 bytes/);
    expect(result.body.msg).not.toMatch(/another user's/);
  });

  it("just under the limit is accepted", async () => {
    const result = await submitInput(`s3://lab-bucket/${"k".repeat(49_900)}`);
    expect(result.status, result.body.msg).toBe(200);
  });
});
