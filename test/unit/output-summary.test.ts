/**
 * Finding and reading output summaries (pure): every key layout the service must find (and the
 * ones it must not take), the WDL, CWL and Nextflow shapes, files outside the run's prefix, the
 * cap, and summaries that are not JSON objects.
 */
import { describe, expect, it } from "vitest";
import { outputsRecord } from "../../src/executors/healthomics/outputs/outputs-record";
import { findSummaryKey, listedOutputs, MAX_OUTPUT_FILES, parseSummary } from "../../src/executors/healthomics/outputs/summary";

const P = "users/demo/runs/r1/2100001/";
const UUID = "0123abcd-0000-4000-8000-00000000abcd";
const B = "out-bucket";

describe("findSummaryKey", () => {
  it.each([
    { name: "run-id layout", keys: [`${P}logs/outputs.json`, `${P}out/a/a.txt`], found: `${P}logs/outputs.json` },
    { name: "run-uuid layout", keys: [`${P}${UUID}/logs/outputs.json`, `${P}${UUID}/out/a.txt`], found: `${P}${UUID}/logs/outputs.json` },
    { name: "WDL output.json", keys: [`${P}logs/engine.log`, `${P}logs/output.json`], found: `${P}logs/output.json` },
    { name: "outputs.json preferred over output.json", keys: [`${P}logs/output.json`, `${P}logs/outputs.json`], found: `${P}logs/outputs.json` },
    { name: "shallower preferred", keys: [`${P}${UUID}/logs/outputs.json`, `${P}logs/outputs.json`], found: `${P}logs/outputs.json` },
    { name: "none", keys: [`${P}logs/engine.log`, `${P}out/x/outputs.json`], found: undefined },
    { name: "a workflow's own file named outputs.json deeper is not it", keys: [`${P}out/logs/outputs.json`], found: undefined },
    { name: "outside the prefix", keys: ["users/demo/runs/r2/2100002/logs/outputs.json"], found: undefined },
  ])("$name", ({ keys, found }) => {
    expect(findSummaryKey(keys, P)).toBe(found);
  });
});

describe("parseSummary", () => {
  it("WDL: strings, arrays and primitives stay as the engine wrote them; files get paths", () => {
    const summary = {
      "Main.vcf": `s3://${B}/${P}out/vcf/vcf.txt`,
      "Main.bams": [`s3://${B}/${P}out/bams/bams_0.txt`, `s3://${B}/${P}out/bams/bams_1.txt`],
      "Main.n": 42,
      "Main.ok": true,
      "Main.label": "hello",
    };
    const read = parseSummary(JSON.stringify(summary), B, P);
    expect(read).toEqual({
      outputs: summary,
      files: [
        { location: `s3://${B}/${P}out/vcf/vcf.txt`, path: "out/vcf/vcf.txt" },
        { location: `s3://${B}/${P}out/bams/bams_0.txt`, path: "out/bams/bams_0.txt" },
        { location: `s3://${B}/${P}out/bams/bams_1.txt`, path: "out/bams/bams_1.txt" },
      ],
    });
  });

  it("CWL: File objects, File arrays and Directory listings", () => {
    const file = (name: string) => ({ class: "File", location: `s3://${B}/${P}${UUID}/out/${name}`, basename: name, size: 3 });
    const summary = {
      report: file("r.txt"),
      parts: [file("p0.txt"), file("p1.txt")],
      dir: { class: "Directory", location: `s3://${B}/${P}${UUID}/out/d`, basename: "d", listing: [file("d/x.txt")] },
    };
    const read = parseSummary(JSON.stringify(summary), B, P);
    expect("error" in read).toBe(false);
    if ("error" in read) return;
    expect(read.outputs).toEqual(summary);
    expect(read.files.map((f) => f.path)).toEqual([`${UUID}/out/r.txt`, `${UUID}/out/p0.txt`, `${UUID}/out/p1.txt`, `${UUID}/out/d/x.txt`]);
  });

  it("files elsewhere keep their place in outputs but get no download path", () => {
    const summary = { "Main.x": "s3://other-bucket/x.txt", "Main.y": `s3://${B}/users/eve/runs/r9/1/out/y.txt`, "Main.z": `s3://${B}/${P}out/z.txt` };
    const read = parseSummary(JSON.stringify(summary), B, P);
    expect(read).toEqual({ outputs: summary, files: [{ location: `s3://${B}/${P}out/z.txt`, path: "out/z.txt" }] });
  });

  it.each([
    ["not JSON", "{nope", "the output summary is not JSON"],
    ["an array", "[]", "the output summary is not a JSON object"],
    ["null", "null", "the output summary is not a JSON object"],
  ])("%s is an error", (_, text, error) => {
    expect(parseSummary(text, B, P)).toEqual({ error });
  });

  it("caps the files it records and says so", () => {
    const many = Array.from({ length: MAX_OUTPUT_FILES + 5 }, (_, i) => `s3://${B}/${P}out/f/${i}.txt`);
    const read = parseSummary(JSON.stringify({ "Main.files": many }), B, P);
    if ("error" in read) throw new Error(read.error);
    expect(read.files.length).toBe(MAX_OUTPUT_FILES);
    expect(read.note).toBe(`5 more output files are not listed here (at most ${MAX_OUTPUT_FILES})`);
  });
});

describe("listedOutputs (Nextflow)", () => {
  it("every object but HealthOmics' logs, as {files}", () => {
    const keys = [`${P}logs/engine.log`, `${P}${UUID}/logs/manifest.json`, `${P}out/align/a.bam`, `${P}out/call/c.vcf`];
    expect(listedOutputs(keys, B, P, true)).toEqual({
      outputs: { files: [`s3://${B}/${P}out/align/a.bam`, `s3://${B}/${P}out/call/c.vcf`] },
      files: [
        { location: `s3://${B}/${P}out/align/a.bam`, path: "out/align/a.bam" },
        { location: `s3://${B}/${P}out/call/c.vcf`, path: "out/call/c.vcf" },
      ],
    });
    expect(listedOutputs([], B, P, false).note).toBe("the output listing was cut short; more files may exist");
  });
});

describe("outputsRecord", () => {
  const service = { output_location: `s3://${B}/${P.slice(0, -1)}`, healthomics: { run_id: "2100001" } };

  it("engine outputs at the top level, the service's facts and the files under wes:run", () => {
    const files = [{ location: `s3://${B}/${P}out/vcf/vcf.txt`, path: "out/vcf/vcf.txt" }];
    expect(outputsRecord(service, { ok: true, value: { outputs: { "Main.vcf": files[0]!.location, "Main.n": 42 }, files } })).toEqual({
      outputs: { "Main.vcf": files[0]!.location, "Main.n": 42, "wes:run": { ...service, files } },
    });
  });

  it("an unreadable summary: the service's facts, a note in outputs and one for the run log", () => {
    expect(outputsRecord(service, { ok: false, note: "the output summary is not JSON", retryable: false })).toEqual({
      outputs: { "wes:run": { ...service, note: "outputs not read: the output summary is not JSON" } },
      note: "Outputs could not be read: the output summary is not JSON.",
    });
  });

  it("runs whose outputs are not read (failed, cancelled) keep only the service's facts; nothing at all stays {}", () => {
    expect(outputsRecord({ healthomics: { run_id: "1" } }, undefined)).toEqual({ outputs: { "wes:run": { healthomics: { run_id: "1" } } } });
    expect(outputsRecord({}, undefined)).toEqual({ outputs: {} });
  });

  it("an engine output cannot take the service's key", () => {
    const record = outputsRecord(service, { ok: true, value: { outputs: { "wes:run": "spoof", x: 1 }, files: [] } });
    expect(record.outputs).toEqual({ x: 1, "wes:run": { ...service, files: [] } });
  });
});
