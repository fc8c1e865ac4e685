/** Attached inputs in workflow_params → the S3 URIs they are uploaded to, per engine (table tests). */
import { describe, expect, it } from "vitest";
import type { Engine } from "../../src/executors/healthomics/package/collect";
import { attachmentReference, rewriteParams, wdlInputNames } from "../../src/executors/healthomics/inputs/rewrite-params";

const S3 = "s3://bucket/wes/users/alice/runs/r1/inputs/";
const ATTACHED = ["main.cwl", "data/reads.fq", "data/reads.fq.fai", "ref/a.fa", "ref/b.fa", "input.txt"];

const cases: Array<[string, Engine, Record<string, unknown>, Record<string, unknown>, string[]]> = [
  [
    "a Toil CWL File with a relative location",
    "CWL",
    { input_file: { class: "File", location: "input.txt" } },
    { input_file: { class: "File", location: `${S3}input.txt` } },
    ["input.txt"],
  ],
  [
    "a CWL File with path and file://, and its secondaryFiles",
    "CWL",
    { reads: { class: "File", path: "file://data/reads.fq", secondaryFiles: [{ class: "File", location: "./data/reads.fq.fai" }] } },
    { reads: { class: "File", location: `${S3}data/reads.fq`, secondaryFiles: [{ class: "File", location: `${S3}data/reads.fq.fai` }] } },
    ["data/reads.fq", "data/reads.fq.fai"],
  ],
  [
    "a CWL Directory: its whole folder",
    "CWL",
    { ref: { class: "Directory", location: "ref" } },
    { ref: { class: "Directory", location: `${S3}ref/` } },
    ["ref/a.fa", "ref/b.fa"],
  ],
  [
    "CWL: S3 URIs, unattached paths and plain strings stay as they are",
    "CWL",
    {
      a: { class: "File", location: "s3://other/x" },
      b: { class: "File", location: "missing.txt" },
      c: "input.txt",
      d: { class: "File", location: "../input.txt" },
    },
    {
      a: { class: "File", location: "s3://other/x" },
      b: { class: "File", location: "missing.txt" },
      c: "input.txt",
      d: { class: "File", location: "../input.txt" },
    },
    [],
  ],
  [
    "WDL: strings naming files, in arrays, structs and maps",
    "WDL",
    { "w.in": "input.txt", "w.list": ["data/reads.fq", "x"], "w.pair": { left: "ref/a.fa", right: 3 }, "w.n": 3, "w.s": "hello" },
    { "w.in": `${S3}input.txt`, "w.list": [`${S3}data/reads.fq`, "x"], "w.pair": { left: `${S3}ref/a.fa`, right: 3 }, "w.n": 3, "w.s": "hello" },
    ["data/reads.fq", "input.txt", "ref/a.fa"],
  ],
  ["WDL: a folder becomes a prefix ending in /", "WDL", { "w.dir": "ref/" }, { "w.dir": `${S3}ref/` }, ["ref/a.fa", "ref/b.fa"]],
  ["Nextflow: plain strings too", "NEXTFLOW", { input: "./input.txt", outdir: "results" }, { input: `${S3}input.txt`, outdir: "results" }, ["input.txt"]],
];

describe("rewriteParams", () => {
  it.each(cases)("%s", (_name, engine, params, expected, uploads) => {
    const result = rewriteParams(params, ATTACHED, S3, engine);
    expect(result.params).toEqual(expected);
    expect(result.uploads).toEqual(uploads);
  });

  it("does not change its input", () => {
    const params = { input_file: { class: "File", location: "input.txt" } };
    rewriteParams(params, ATTACHED, S3, "CWL");
    expect(params.input_file.location).toBe("input.txt");
  });

  it.each([
    ["a/b", "a/b"],
    ["./a//b", "a/b"],
    ["file://a", "a"],
    ["/abs", undefined],
    ["s3://b/k", undefined],
    ["a/../b", undefined],
    ["", undefined],
  ])("attachmentReference(%j) = %j", (value, expected) => {
    expect(attachmentReference(value)).toBe(expected);
  });
});

describe("wdlInputNames", () => {
  it.each([
    [
      { "hello.name": "x", "hello.n": 1 },
      { name: "x", n: 1 },
    ],
    [{ name: "x" }, { name: "x" }],
    [
      { "a.x": 1, "b.y": 2 },
      { "a.x": 1, "b.y": 2 },
    ],
    [
      { "a.x": 1, y: 2 },
      { "a.x": 1, y: 2 },
    ],
    [{ "a.b.c": 1 }, { "a.b.c": 1 }],
  ])("%j → %j", (params, expected) => {
    expect(wdlInputNames(params)).toEqual(expected);
  });
});
