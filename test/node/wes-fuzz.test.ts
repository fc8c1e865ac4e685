/**
 * A bounded hostile-input sweep (about a thousand requests) over POST /runs, run ids in paths,
 * query strings and the events endpoint: among them the shapes that once made the storage-URI
 * scan quadratic (1 MiB comma lists, repeated and encoded schemes), a control character in every
 * position of a URI, and prototype keys in every JSON object the API reads. Whatever arrives, the API must never answer 5xx, must answer every 4xx with an
 * ErrorResponse, and must never show its internals (stack frames, SQL, D1 errors) in a body.
 * Runs the sweep happens to create must read back as valid RunLogs and list as valid summaries.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiUrl, call, discardRun, formOf, runFields, type Answer, type RunIdBody } from "./support/wes-http";
import { judge, rawMultipart, report, runProbes, type Outcome, type Probe } from "./support/wes-probe";
import { validateWes } from "./support/wes-schema";

const TEXT_FIELDS = ["workflow_type", "workflow_type_version", "workflow_url", "workflow_engine", "workflow_engine_version"];
const JSON_FIELDS = ["workflow_params", "tags", "workflow_engine_parameters"];
const SQL = "'; DROP TABLE runs; --";
const HOSTILE_TEXT = [
  "",
  " ",
  "null",
  "true",
  "123",
  "[]",
  "{}",
  '{"a":{"b":[1,{"c":null}]}}',
  SQL,
  "' OR '1'='1",
  "🧬🧪 émoji",
  "\u202Eevil\u202C",
  "שלום عالم",
  "a\u0000b",
  "line\r\nX-Injected: 1",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "x".repeat(5000),
];
const JSON_VALUES: unknown[] = [null, true, 0, 1.5, 1e308, "", "text", [], [1, "a"], {}, { nested: { deeper: [null] } }, SQL];

/** Nested arrays `levels` deep, as JSON text (built without recursion). */
function nested(levels: number): string {
  return `${"[".repeat(levels)}${"]".repeat(levels)}`;
}

function multipartProbe(label: string, fields: Record<string, string>): Probe {
  return { label, method: "POST", path: "/runs", body: formOf(fields), input: Object.values(fields).join("\n"), ok: "RunId" };
}

function jsonProbe(label: string, text: string): Probe {
  return { label, method: "POST", path: "/runs", body: text, headers: { "Content-Type": "application/json" }, input: text, ok: "RunId" };
}

function rawProbe(label: string, contentType: string | undefined, body: string | Uint8Array): Probe {
  const headers: Record<string, string> = contentType === undefined ? {} : { "Content-Type": contentType };
  return { label, method: "POST", path: "/runs", body, headers, input: typeof body === "string" ? body : "", ok: "RunId" };
}

function fieldProbes(): Probe[] {
  const probes: Probe[] = [];
  for (const field of [...TEXT_FIELDS, ...JSON_FIELDS]) {
    for (const value of HOSTILE_TEXT)
      probes.push(multipartProbe(`multipart ${field}=${JSON.stringify(value.slice(0, 20))}`, runFields("1000001", { [field]: value })));
  }
  const base = { workflow_type: "WDL", workflow_type_version: "1.0", workflow_url: "healthomics:1000001", workflow_params: { input_file: "s3://b/k" } };
  for (const field of [...TEXT_FIELDS, ...JSON_FIELDS]) {
    for (const value of JSON_VALUES) probes.push(jsonProbe(`JSON ${field}=${JSON.stringify(value)}`, JSON.stringify({ ...base, [field]: value })));
  }
  return probes;
}

function unicodeProbes(): Probe[] {
  const names = ["🧬", "\u202Etxt.exe", "名前", "a\u0000b", "\u0000", "e\u0301", "\uFEFFbom", "x".repeat(129)];
  const probes: Probe[] = [];
  for (const name of names) {
    probes.push(multipartProbe(`tag key ${JSON.stringify(name)}`, runFields("1000001", { tags: JSON.stringify({ [name]: name }) })));
    probes.push(
      multipartProbe(`param key ${JSON.stringify(name)}`, runFields("1000001", { workflow_params: JSON.stringify({ input_file: "s3://b/k", [name]: name }) })),
    );
    probes.push(multipartProbe(`engine name ${JSON.stringify(name)}`, runFields("1000001", { workflow_engine_parameters: JSON.stringify({ name }) })));
    probes.push(multipartProbe(`unknown field named ${JSON.stringify(name)}`, { ...runFields(), [name]: "x" }));
  }
  // A lone surrogate cannot be UTF-8 encoded by a client, but a JSON escape can carry one.
  probes.push(
    jsonProbe(
      "JSON lone surrogate in a tag",
      '{"workflow_type":"WDL","workflow_type_version":"1.0","workflow_url":"healthomics:1000001","tags":{"a":"\\ud800"}}',
    ),
  );
  probes.push(rawProbe("invalid UTF-8 in a JSON body", "application/json", Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])));
  return probes;
}

function sizeProbes(): Probe[] {
  const under = "x".repeat(1024 * 1024 - 4096);
  const over = "x".repeat(1024 * 1024 + 1);
  const manyTags = JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, "v"])));
  const probes: Probe[] = [
    multipartProbe("params just under 1 MiB", runFields("1000001", { workflow_params: JSON.stringify({ input_file: "s3://b/k", filler: under }) })),
    multipartProbe("params just over 1 MiB", runFields("1000001", { workflow_params: JSON.stringify({ input_file: "s3://b/k", filler: over }) })),
    multipartProbe("workflow_url just under 1 MiB", runFields("1000001", { workflow_url: under })),
    jsonProbe(
      "JSON just under 1 MiB",
      JSON.stringify({ workflow_type: "WDL", workflow_type_version: "1.0", workflow_url: "healthomics:1000001", workflow_params: { filler: under } }),
    ),
    jsonProbe(
      "JSON just over 1 MiB",
      JSON.stringify({ workflow_type: "WDL", workflow_type_version: "1.0", workflow_url: "healthomics:1000001", workflow_params: { filler: over } }),
    ),
    multipartProbe("10,000 tags", runFields("1000001", { tags: manyTags })),
    multipartProbe("huge field name", { ...runFields(), ["f".repeat(100_000)]: "x" }),
  ];
  for (const levels of [65, 10_000, 100_000]) {
    probes.push(multipartProbe(`workflow_params nested ${levels} deep`, runFields("1000001", { workflow_params: `{"a":${nested(levels)}}` })));
    probes.push(jsonProbe(`JSON body nested ${levels} deep`, `{"workflow_params":{"a":${nested(levels)}},"workflow_type":"WDL"}`));
    probes.push(jsonProbe(`JSON body that is ${levels} nested arrays`, nested(levels)));
  }
  return probes;
}

function shapeProbes(): Probe[] {
  const fields = runFields();
  const parts = Object.entries(fields).map(([name, value]) => ({ name, value }));
  const probes: Probe[] = [
    rawProbe("duplicate workflow_type", "multipart/form-data; boundary=b0", rawMultipart("b0", [...parts, { name: "workflow_type", value: "CWL" }])),
    rawProbe("duplicate workflow_params", "multipart/form-data; boundary=b0", rawMultipart("b0", [...parts, { name: "workflow_params", value: "{}" }])),
    rawProbe(
      "duplicate attachment name",
      "multipart/form-data; boundary=b0",
      rawMultipart("b0", [
        ...parts,
        { name: "workflow_attachment", filename: "a.wdl", value: "x" },
        { name: "workflow_attachment", filename: "a.wdl", value: "y" },
      ]),
    ),
    jsonProbe("JSON duplicate keys", '{"workflow_type":"WDL","workflow_type":"NOPE","workflow_type_version":"1.0","workflow_url":"healthomics:1000001"}'),
    jsonProbe("JSON unknown field", JSON.stringify({ ...fields, workflow_params: {}, extra: 1 })),
    jsonProbe("JSON __proto__ field", '{"__proto__":{"admin":true},"workflow_type":"WDL","workflow_type_version":"1.0","workflow_url":"healthomics:1000001"}'),
    jsonProbe("JSON tags __proto__", '{"workflow_type":"WDL","workflow_type_version":"1.0","workflow_url":"healthomics:1000001","tags":{"__proto__":"x"}}'),
    rawProbe("empty multipart body", "multipart/form-data; boundary=b0", ""),
    rawProbe("empty JSON body", "application/json", ""),
    rawProbe("no content type", undefined, new Uint8Array()),
    rawProbe("multipart without boundary", "multipart/form-data", rawMultipart("b0", parts)),
    rawProbe("multipart with the wrong boundary", "multipart/form-data; boundary=other", rawMultipart("b0", parts)),
    rawProbe("multipart without the closing boundary", "multipart/form-data; boundary=b0", rawMultipart("b0", parts, false)),
    rawProbe("multipart truncated mid-part", "multipart/form-data; boundary=b0", rawMultipart("b0", parts).slice(0, 120)),
    rawProbe("multipart part without a name", "multipart/form-data; boundary=b0", "--b0\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b0--\r\n"),
    rawProbe("multipart garbage headers", "multipart/form-data; boundary=b0", "--b0\r\n::::\r\n\r\nx\r\n--b0--\r\n"),
    rawProbe("multipart with a 2,000-char boundary", `multipart/form-data; boundary=${"b".repeat(2000)}`, rawMultipart("b".repeat(2000), parts)),
    rawProbe("form-urlencoded", "application/x-www-form-urlencoded", new URLSearchParams(fields).toString()),
    rawProbe("JSON as UTF-16", "application/json; charset=utf-16", JSON.stringify(fields)),
    rawProbe("JSON under a vendor type", "application/vnd.api+json", JSON.stringify(fields)),
    rawProbe("content type garbage", ";;;===", "x"),
  ];
  return probes;
}

function attachmentProbes(): Probe[] {
  const parts = Object.entries(runFields()).map(([name, value]) => ({ name, value }));
  const probes: Probe[] = [];
  const body = "version 1.0\nworkflow w {}";
  // Names that escape the submission or cannot be a relative path must be refused (WES: "guard
  // against maliciously constructed filenames"); the others may be stored under a safe name.
  const refused = ["..", "../../etc/passwd", "a/../../b", "/etc/passwd", "C:\\Windows\\win.ini", "", "n".repeat(600), "a\u0000b.wdl"];
  const odd = ["..\\..\\boot.ini", "./././", "🧬.wdl", "%2e%2e/x", "dir/./sub//main.wdl", ".hidden"];
  for (const filename of refused) {
    probes.push(
      rawProbe(
        `refused attachment ${JSON.stringify(filename.slice(0, 30))}`,
        "multipart/form-data; boundary=b0",
        rawMultipart("b0", [...parts, { name: "workflow_attachment", filename, value: body }]),
      ),
    );
  }
  for (const filename of odd) {
    probes.push(
      rawProbe(
        `attachment ${JSON.stringify(filename)}`,
        "multipart/form-data; boundary=b0",
        rawMultipart("b0", [...parts, { name: "workflow_attachment", filename, value: body }]),
      ),
    );
  }
  probes.push(
    rawProbe("attachment as a text field", "multipart/form-data; boundary=b0", rawMultipart("b0", [...parts, { name: "workflow_attachment", value: "x" }])),
  );
  const many = Array.from({ length: 201 }, (_, i) => ({ name: "workflow_attachment", filename: `f${i}.txt`, value: "x" }));
  probes.push(rawProbe("201 attachments", "multipart/form-data; boundary=b0", rawMultipart("b0", [...parts, ...many])));
  return probes;
}

const BASE = { workflow_type: "WDL", workflow_type_version: "1.0", workflow_url: "healthomics:1000001" };
/** Another user's output folder: whatever control character is put wherever, demo may not name it. */
const GUEST_URI = "s3://wes-local-outputs/users/guest/runs/x/out.bam";
const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];

/** `n` characters of comma-separated S3 URIs (an ordinary sample list). */
function commaList(n: number): string {
  return Array.from({ length: Math.ceil(n / 44) }, (_, i) => `s3://lab-bucket/project/sample_${String(i).padStart(5, "0")}.bam`)
    .join(",")
    .slice(0, n);
}

/** Issue 11: the shapes that made the storage-URI scan quadratic, in every place the scan reads. */
function scanProbes(): Probe[] {
  const near1MiB = 1024 * 1024 - 8192;
  const params = (value: unknown) => JSON.stringify({ input_file: value });
  return [
    multipartProbe("1 MiB comma-separated URI list", runFields("1000001", { workflow_params: params(commaList(near1MiB)) })),
    jsonProbe("JSON: 1 MiB comma-separated URI list", JSON.stringify({ ...BASE, workflow_params: { input_file: commaList(near1MiB) } })),
    multipartProbe('900 KB of "x" + "s3://" repeated', runFields("1000001", { workflow_params: params(`x${"s3://".repeat(180_000)}`) })),
    multipartProbe(
      "900 KB of s3:// repeated in a key",
      runFields("1000001", { workflow_params: JSON.stringify({ input_file: "s3://b/k", ["s3://".repeat(180_000)]: 1 }) }),
    ),
    multipartProbe("1 MiB of percent-encoded schemes", runFields("1000001", { workflow_params: params(`x${"s3%253A%252F%252F".repeat(60_000)}`) })),
    multipartProbe("900 KB of backslashed schemes", runFields("1000001", { workflow_params: params(`x${"s3:\\\\b\\".repeat(80_000)}`) })),
    // Under the 50,000-byte limit, so scanned: the old scanner took seconds on these.
    multipartProbe("40 KB of s3:// repeated", runFields("1000001", { workflow_params: params("s3://".repeat(8_000)) })),
    multipartProbe(
      "45 KB comma list naming another user's output at its end",
      runFields("1000001", { workflow_params: params(`${commaList(45_000)},${GUEST_URI}`) }),
    ),
    multipartProbe(
      "30 KB of tabbed schemes naming the output bucket",
      runFields("1000001", { workflow_params: params(`x${"s\t3:/\t/wes-local-outputs/".repeat(1_200)}`) }),
    ),
  ];
}

/** A control character (or its percent-encoding) in every position of a URI naming another user's data. */
function controlProbes(): Probe[] {
  const probes: Probe[] = [];
  for (const control of ["\t", "\n", "\r", "\u0000", "%09"]) {
    for (let at = 0; at <= GUEST_URI.length; at++) {
      const uri = GUEST_URI.slice(0, at) + control + GUEST_URI.slice(at);
      probes.push(jsonProbe(`control ${JSON.stringify(control)} at ${at}`, JSON.stringify({ ...BASE, workflow_params: { input_file: uri } })));
    }
  }
  return probes;
}

/** The events secret of the stack under test (npm start copies .dev.vars.example when .dev.vars is missing). */
function eventsSecret(): string {
  const root = join(import.meta.dirname, "..", "..");
  for (const file of [".dev.vars", ".dev.vars.example"]) {
    try {
      const line = readFileSync(join(root, file), "utf8")
        .split("\n")
        .find((l) => l.startsWith("HEALTHOMICS_EVENTS_SECRET="));
      if (line) return line.slice("HEALTHOMICS_EVENTS_SECRET=".length).trim();
    } catch {
      // try the next file
    }
  }
  throw new Error("no HEALTHOMICS_EVENTS_SECRET in .dev.vars or .dev.vars.example");
}

/** Prototype keys in every JSON object the API reads: the body, workflow_params, tags, engine parameters, events and their detail. */
function prototypeProbes(): Probe[] {
  const probes: Probe[] = [];
  const events = `${new URL(apiUrl()).origin}/integrations/healthomics/events`;
  const secret = eventsSecret();
  for (const key of PROTO_KEYS) {
    const k = JSON.stringify(key);
    for (const value of ['{"admin":true}', '"x"', "1", "null", '["s3://wes-local-outputs/users/guest/x"]']) {
      const base = '"workflow_type":"WDL","workflow_type_version":"1.0","workflow_url":"healthomics:1000001"';
      probes.push(jsonProbe(`body key ${key}=${value}`, `{${base},${k}:${value}}`));
      probes.push(jsonProbe(`workflow_params key ${key}=${value}`, `{${base},"workflow_params":{"input_file":"s3://b/k",${k}:${value}}}`));
      probes.push(jsonProbe(`tags key ${key}=${value}`, `{${base},"workflow_params":{"input_file":"s3://b/k"},"tags":{${k}:${value}}}`));
      probes.push(
        jsonProbe(`engine parameter ${key}=${value}`, `{${base},"workflow_params":{"input_file":"s3://b/k"},"workflow_engine_parameters":{${k}:${value}}}`),
      );
      probes.push(
        multipartProbe(`multipart workflow_params key ${key}=${value}`, runFields("1000001", { workflow_params: `{"input_file":"s3://b/k",${k}:${value}}` })),
      );
      const eventProbe = (label: string, body: string): Probe => ({
        label,
        method: "POST",
        path: events,
        body,
        user: null,
        headers: { "Content-Type": "application/json", "x-wes-events-secret": secret },
        input: body,
        ok: null,
      });
      probes.push(eventProbe(`event key ${key}=${value}`, `{"source":"aws.omics","detail-type":"Run Status Change",${k}:${value},"detail":{"uuid":"u"}}`));
      probes.push(eventProbe(`event detail key ${key}=${value}`, `{"source":"aws.omics","detail-type":"Task Status Change","detail":{${k}:${value}}}`));
    }
    probes.push({
      label: `event detail-type ${key}`,
      method: "POST",
      path: events,
      body: JSON.stringify({ source: "aws.omics", "detail-type": key, detail: { uuid: "u", runUuid: "u" } }),
      user: null,
      headers: { "Content-Type": "application/json", "x-wes-events-secret": secret },
      input: key,
      ok: null,
    });
  }
  return probes;
}

const HOSTILE_IDS = [
  "%27%20OR%201%3D1",
  "' OR 1=1 --",
  "%27%3B%20DROP%20TABLE%20runs%3B%20--",
  "x".repeat(4000),
  "%F0%9F%A7%AC",
  "%E2%80%AEabc",
  "%00",
  "%E0%A4%A",
  "%",
  "..%2F..%2Fservice-info",
  "%2e%2e",
  "*",
  "null",
  "undefined",
  "0",
  "-1",
  "1e999",
  "run%0d%0aX-Injected:%201",
  "%25%32%37",
];

function pathProbes(): Probe[] {
  const probes: Probe[] = [];
  for (const id of HOSTILE_IDS) {
    const endpoints: Array<[string, string, Probe["ok"]]> = [
      ["GET", `/runs/${id}`, "RunLog"],
      ["GET", `/runs/${id}/status`, "RunStatus"],
      ["GET", `/runs/${id}/tasks`, "TaskListResponse"],
      ["GET", `/runs/${id}/tasks/${id}`, "TaskLog"],
      ["POST", `/runs/${id}/cancel`, "RunId"],
    ];
    for (const [method, path, ok] of endpoints) probes.push({ label: `run id ${id.slice(0, 30)}`, method, path, input: decodeURIComponentSafe(path), ok });
  }
  probes.push({ label: "64 KiB run id", method: "GET", path: `/runs/${"y".repeat(65_536)}`, input: "", ok: "RunLog", platform: [414] });
  return probes;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return `${text}\n${decodeURIComponent(text)}`;
  } catch {
    return text;
  }
}

const HOSTILE_QUERIES = [
  "page_size=1&page_size=2",
  "page_size=%00",
  "page_size=99999999999999999999999",
  "page_size=0x10",
  "page_size=%201",
  "page_size=1e2",
  "page_size=NaN",
  "page_size=Infinity",
  "page_size=-0",
  "page_size=%F0%9F%A7%AC",
  `page_token=${"t".repeat(5000)}`,
  "page_token=%FF%FE",
  "page_token=%27%20OR%201%3D1%20--",
  "page_token=a.b",
  "page_token=..",
  "page_token[]=x",
  "page_token=e30.e30.e30",
  "state=RUNNING",
  "%ZZ=1",
  "page_size=%",
  "&&&&",
  `x=${"q".repeat(8000)}`,
];

function queryProbes(): Probe[] {
  const probes: Probe[] = [];
  for (const query of HOSTILE_QUERIES) {
    probes.push({ label: `runs ?${query.slice(0, 30)}`, method: "GET", path: `/runs?${query}`, input: decodeURIComponentSafe(query), ok: "RunListResponse" });
    probes.push({
      label: `tasks ?${query.slice(0, 30)}`,
      method: "GET",
      path: `/runs/no-such-run/tasks?${query}`,
      input: decodeURIComponentSafe(query),
      ok: "TaskListResponse",
    });
  }
  const authHeaders = [
    "Basic",
    "Basic !!!",
    `Basic ${Buffer.from("no-colon").toString("base64")}`,
    "Bearer",
    "Bearer ",
    `Bearer ${"t".repeat(10_000)}`,
    "Digest x",
    "Basic ZGVtbzpkZW1v extra",
    `Basic ${Buffer.from("demo:demo\u0000").toString("base64")}`,
  ];
  for (const authorization of authHeaders) {
    probes.push({
      label: `Authorization ${authorization.slice(0, 20)}`,
      method: "GET",
      path: "/runs",
      user: null,
      headers: { Authorization: authorization },
      input: authorization,
      ok: "RunListResponse",
    });
  }
  return probes;
}

/**
 * A run a hostile POST /runs created must read back as a valid RunLog (the echo of hostile input
 * is where encoding bugs show). It is then canceled: the sweep is about input handling, and many
 * StartRuns would hold the emulated HealthOmics quota that other test files' runs need.
 */
async function readBackCreatedRun(probe: Probe, answer: Answer): Promise<string[]> {
  if (probe.method !== "POST" || probe.path !== "/runs" || answer.status !== 200) return [];
  const runId = (answer.json as RunIdBody).run_id;
  const log = await call("GET", `/runs/${encodeURIComponent(runId)}`);
  const problems =
    log.status === 200
      ? validateWes("RunLog", log.json).map((e) => `created run reads back badly: ${e}`)
      : [`created run ${runId} reads back as ${log.status}`];
  await discardRun("demo", runId);
  return problems;
}

/** Runs the probes and fails with every broken one listed. */
async function sweep(probes: Probe[]): Promise<Outcome[]> {
  const outcomes = await runProbes(probes, readBackCreatedRun);
  expect(report(outcomes)).toEqual([]);
  return outcomes;
}

describe("hostile input never breaks the API", () => {
  it("wrong types and hostile text in every POST /runs field", async () => {
    await sweep(fieldProbes());
  });

  it("unicode, RTL, NUL and overlong names and values", async () => {
    await sweep(unicodeProbes());
  });

  it("huge bodies and deeply nested JSON", async () => {
    const outcomes = await sweep(sizeProbes());
    for (const outcome of outcomes.filter((o) => o.probe.label.includes("over 1 MiB"))) expect(outcome.answer?.status, outcome.probe.label).toBe(413);
    for (const outcome of outcomes.filter((o) => /nested (10000|100000) deep|nested arrays/.test(o.probe.label)))
      expect(outcome.answer?.status, outcome.probe.label).toBe(400);
  });

  it("malformed bodies, duplicate and unknown fields", async () => {
    await sweep(shapeProbes());
  });

  it("hostile attachment names are 400; harmless ones are stored, never a 500", async () => {
    const outcomes = await sweep(attachmentProbes());
    for (const outcome of outcomes.filter((o) => o.probe.label.startsWith("refused attachment"))) {
      expect(outcome.answer?.status, outcome.probe.label).toBe(400);
    }
  });

  it("hostile run ids in paths are 4xx", async () => {
    const outcomes = await sweep(pathProbes());
    for (const outcome of outcomes) expect(outcome.answer?.status, outcome.probe.label).toBeGreaterThanOrEqual(400);
  });

  it("hostile query strings and Authorization headers", async () => {
    await sweep(queryProbes());
  });

  it("1 MiB comma lists, repeated schemes and encodings: answered at once, 400 over 50,000 bytes", async () => {
    const outcomes = await sweep(scanProbes());
    for (const outcome of outcomes) {
      expect(outcome.answer?.status, outcome.probe.label).toBe(400);
      const size = /1 MiB|900 KB/.test(outcome.probe.label);
      if (size) expect((outcome.answer?.json as { msg?: string } | undefined)?.msg, outcome.probe.label).toMatch(/at most 50,000 bytes of run parameters/);
    }
  });

  it("a control character in every position of a URI naming another user's data is refused", async () => {
    const outcomes = await sweep(controlProbes());
    for (const outcome of outcomes) expect(outcome.answer?.status, outcome.probe.label).toBe(400);
  });

  it("prototype keys in every JSON object the API reads are plain data: never a 5xx, never an accepted event", async () => {
    const outcomes = await sweep(prototypeProbes());
    for (const outcome of outcomes.filter((o) => o.probe.label.startsWith("event"))) {
      expect([400, 202], outcome.probe.label).toContain(outcome.answer?.status);
      expect((outcome.answer?.json as { accepted?: boolean } | undefined)?.accepted, outcome.probe.label).not.toBe(true);
    }
  });

  it("runs created by the sweep still list as valid summaries", async () => {
    const answer = await call("GET", "/runs?page_size=500");
    expect(answer.status).toBe(200);
    expect(validateWes("RunListResponse", answer.json)).toEqual([]);
  });
});

describe("the sweep's judge (so a silent judge cannot pass the sweep)", () => {
  const probe: Probe = { label: "t", method: "GET", path: "/runs/x", input: "x", ok: "RunLog" };
  const answer = (status: number, body: unknown) => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    return { status, headers: new Headers({ "content-type": "application/json" }), text, json: typeof body === "string" ? undefined : body };
  };

  it("accepts a proper 404 ErrorResponse", () => {
    expect(judge(probe, answer(404, { msg: "Run 'x' was not found.", status_code: 404 }))).toEqual([]);
  });

  it("flags 5xx, mismatched status codes, non-ErrorResponse bodies, bad 2xx bodies and leaks", () => {
    expect(judge(probe, answer(500, { msg: "Internal error", status_code: 500 })).join()).toMatch(/answered 500/);
    expect(judge(probe, answer(404, { msg: "x", status_code: 400 })).join()).toMatch(/differs/);
    expect(judge(probe, answer(400, "Bad Request")).join()).toMatch(/not an ErrorResponse/);
    expect(judge(probe, answer(200, { run_id: "x" })).join()).toMatch(/not a RunLog/);
    const leaks: Array<[string, RegExp]> = [
      ["Error: boom\n    at handler (src/app.ts:10:5)", /stack frame/],
      ["Failed query: select * from runs where id = ?", /SQL/],
      ["D1_ERROR: no such table: runs", /D1\/SQLite/],
      ["TypeError: Cannot read properties of undefined", /JavaScript error/],
    ];
    for (const [msg, why] of leaks) expect(judge(probe, answer(400, { msg, status_code: 400 })).join(), msg).toMatch(why);
  });

  it("does not count an echo of the probe's own input as a leak", () => {
    const sqlProbe: Probe = { ...probe, input: "' UNION SELECT id FROM runs --" };
    expect(judge(sqlProbe, answer(404, { msg: "Run '' UNION SELECT id FROM runs --' was not found.", status_code: 404 }))).toEqual([]);
  });
});
