/**
 * Request shapes of real clients that are not plain multipart or JSON, replayed byte for byte:
 * wes-client 5.x's urlencoded body (Python requests' `data=` when nothing is attached) and
 * Sapporo's `workflow_attachment_obj` extension (ignored when empty, a 400 otherwise) in every
 * body kind. Also the small-body rules of urlencoded bodies.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../support/api";
import { drain } from "../support/runs";

const URLENCODED = "application/x-www-form-urlencoded";
/** The headers Python requests sends (wes-client 5.x sends no Authorization: the test's Basic is what ~/.netrc adds). */
const REQUESTS_HEADERS = { "User-Agent": "python-requests/2.32.3", "Accept-Encoding": "gzip, deflate", Accept: "*/*", Connection: "keep-alive" };

async function post(body: BodyInit, contentType?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await call("/runs", {
    method: "POST",
    user: "demo",
    body,
    headers: { ...REQUESTS_HEADERS, ...(contentType ? { "Content-Type": contentType } : {}) },
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function accepted(result: { status: number; json: Record<string, unknown> }): Promise<Record<string, unknown>> {
  expect(result.status, JSON.stringify(result.json)).toBe(200);
  const runId = result.json.run_id as string;
  const log = (await (await call(`/runs/${runId}`, { user: "demo" })).json()) as { request: Record<string, unknown> };
  await drain(runId);
  return log.request;
}

const REGISTERED = {
  workflow_url: "healthomics:1000001",
  workflow_type: "WDL",
  workflow_type_version: "1.0",
  workflow_params: JSON.stringify({ input_file: "s3://example-bucket/sample.fastq" }),
};

describe("wes-client 5.x: an urlencoded body when nothing is attached", () => {
  it("runs a CWL workflow URL, the body exactly as requests encodes wes-client's `data=parts`", async () => {
    const url = `${env.TEST_EMULATOR_URL}/__emulator/files/cwl-count-lines/count-lines.cwl`;
    // urllib.parse.urlencode of build_wes_request's parts: json.dumps' spaces become '+'.
    const body =
      "workflow_params=%7B%22input_file%22%3A+%7B%22class%22%3A+%22File%22%2C+%22location%22%3A+%22s3%3A%2F%2Fwes-test-outputs%2Fusers%2Fdemo%2Fin.txt%22%7D%2C+%22sample_name%22%3A+%22wes+client%22%7D" +
      `&workflow_type=CWL&workflow_type_version=v1.2&workflow_url=${encodeURIComponent(url)}`;
    const request = await accepted(await post(body, URLENCODED));
    expect(request).toMatchObject({
      workflow_url: url,
      workflow_type: "CWL",
      workflow_type_version: "v1.2",
      workflow_params: { input_file: { class: "File", location: "s3://wes-test-outputs/users/demo/in.txt" }, sample_name: "wes client" },
    });
  });

  it("takes the same fields as multipart text fields, with the same refusals", async () => {
    const form = (fields: Record<string, string> | string[][]) => new URLSearchParams(fields).toString();
    expect(await accepted(await post(form({ ...REGISTERED, tags: '{"a":"b"}' }), `${URLENCODED}; charset=utf-8`))).toMatchObject({ tags: { a: "b" } });
    const refusals: Array<[string, string]> = [
      [form([...Object.entries(REGISTERED), ["workflow_type", "CWL"]]), "sent more than once"],
      [form({ ...REGISTERED, colour: "red" }), "Unknown form field 'colour'"],
      [form({ ...REGISTERED, workflow_attachment: "main.wdl" }), "needs multipart/form-data"],
      [form({ ...REGISTERED, workflow_params: "{" }), "workflow_params is not valid JSON"],
      [form({ workflow_type: "WDL", workflow_type_version: "1.0" }), "workflow_url"],
    ];
    for (const [body, msg] of refusals) {
      const { status, json } = await post(body, URLENCODED);
      expect(status, body).toBe(400);
      expect(json).toEqual({ status_code: 400, msg: expect.stringContaining(msg) });
    }
  });

  it("a body over 1 MiB is a 413 naming multipart for files", async () => {
    const { status, json } = await post(
      new URLSearchParams({ ...REGISTERED, workflow_params: JSON.stringify({ x: "y".repeat(1024 * 1024) }) }).toString(),
      URLENCODED,
    );
    expect(status).toBe(413);
    expect(json).toEqual({ status_code: 413, msg: expect.stringContaining("multipart/form-data") });
  });
});

describe("Sapporo's workflow_attachment_obj", () => {
  const multipart = (extra: Record<string, string>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ ...REGISTERED, ...extra })) form.append(k, v);
    return form;
  };
  const json = (extra: Record<string, unknown>) => JSON.stringify({ ...REGISTERED, workflow_params: JSON.parse(REGISTERED.workflow_params), ...extra });
  const objects = [{ file_name: "ERR034597_1.small.fq.gz", file_url: "https://example.org/ERR034597_1.small.fq.gz" }];

  it("empty or null is ignored in multipart, urlencoded and JSON bodies", async () => {
    await accepted(await post(multipart({ workflow_attachment_obj: "[]" })));
    await accepted(await post(multipart({ workflow_attachment_obj: "" })));
    await accepted(await post(new URLSearchParams({ ...REGISTERED, workflow_attachment_obj: "null" }).toString(), URLENCODED));
    // Sapporo's own run request: both attachment lists empty.
    await accepted(await post(json({ workflow_attachment: [], workflow_attachment_obj: [] }), "application/json"));
    await accepted(await post(json({ workflow_attachment: null, workflow_attachment_obj: null }), "application/json"));
  });

  it("with files in it is a 400 pointing to workflow_attachment, in every body kind", async () => {
    const bodies: Array<[BodyInit, string | undefined]> = [
      [multipart({ workflow_attachment_obj: JSON.stringify(objects) }), undefined],
      [new URLSearchParams({ ...REGISTERED, workflow_attachment_obj: JSON.stringify(objects) }).toString(), URLENCODED],
      [json({ workflow_attachment_obj: objects }), "application/json"],
    ];
    for (const [body, type] of bodies) {
      const { status, json: answer } = await post(body, type);
      expect(status).toBe(400);
      expect(answer).toEqual({ status_code: 400, msg: expect.stringMatching(/workflow_attachment_obj .*workflow_attachment parts/) });
    }
  });
});
