/** Reading workflow definitions as HealthOmics does: main file choice, engines, parameter templates, tasks, outputs. Pure functions. */
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { analyzeDefinition } from "../../emulator/src/definition/analyze";
import { readCwl } from "../../emulator/src/definition/cwl";
import { readNextflow } from "../../emulator/src/definition/nextflow";
import { chooseMain } from "../../emulator/src/definition/package";
import { definitionPlan } from "../../emulator/src/definition/plan";
import { readWdl } from "../../emulator/src/definition/wdl";

const zip = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([p, t]) => [p, strToU8(t)])));
const files = (...paths: string[]) => new Map(paths.map((p) => [p, ""]));

describe("main file", () => {
  it("takes the only definition nearest the root whatever its name, else main.<ext>, ignoring hidden files", () => {
    expect(chooseMain(files("workflow.wdl", "lib/tasks.wdl"))).toEqual({ main: "workflow.wdl", engine: "WDL" });
    expect(chooseMain(files("pkg/run.cwl", "pkg/tools/a.cwl"))).toEqual({ main: "pkg/run.cwl", engine: "CWL" });
    expect(chooseMain(files("a.nf", "main.nf", "modules/x.nf"))).toEqual({ main: "main.nf", engine: "NEXTFLOW" });
    expect(() => chooseMain(files("a.wdl", "b.wdl"))).toThrow(/none is named main/);
    expect(() => chooseMain(files("README.md"))).toThrow(/no workflow definition file/);
    expect(() => chooseMain(files("a.wdl", "b.cwl"))).toThrow(/several engines/);
    expect(chooseMain(files("a.wdl", "b.cwl"), undefined, "CWL")).toEqual({ main: "b.cwl", engine: "CWL" });
    expect(chooseMain(files("a.wdl", "b.wdl"), "b.wdl")).toEqual({ main: "b.wdl", engine: "WDL" });
    expect(() => chooseMain(files("a.wdl"), "missing.wdl")).toThrow(/not in the workflow definition ZIP/);
    expect(chooseMain(files("x.wdl"), undefined, "WDL_LENIENT")).toEqual({ main: "x.wdl", engine: "WDL_LENIENT" });
    const hidden = analyzeDefinition(zip({ ".git/hooks/a.wdl": "version 1.0", "main.wdl": "version 1.0\nworkflow W {}" }), {});
    expect(hidden).toMatchObject({ main: "main.wdl" });
  });
});

describe("WDL", () => {
  const source = `version 1.0
import "tasks.wdl" as t  # a comment with { braces

workflow Germline {
  input {
    File reads
    File? index
    String sample = "s1"
    Array[String] tags = [
      "a", "b"
    ]
    Map[String, Int] counts
  }
  parameter_meta {
    reads: "FASTQ reads in S3"
  }
  scatter (tag in tags) {
    call t.align as align_one { input: reads = reads }
  }
  call t.call_variants
  call summarize
  output {
    File vcf = call_variants.vcf
    Array[File] bams = align_one.bam
    Int n = summarize.n
    Pair[Int, Int] skipped = (1, 2)
  }
}
`;

  it("derives the template from the input block: required = no default and not optional", () => {
    const w = readWdl(source, "main.wdl");
    expect(w.name).toBe("Germline");
    expect(w.inputs).toEqual({
      reads: { description: "FASTQ reads in S3", optional: false },
      index: { optional: true },
      sample: { optional: true },
      tags: { optional: true },
      counts: { optional: false },
    });
    expect(w.calls).toEqual(["align_one", "call_variants", "summarize"]);
    expect(w.outputs).toEqual([
      { name: "vcf", kind: "File" },
      { name: "bams", kind: "File[]" },
      { name: "n", kind: "int" },
    ]);
  });

  it("refuses draft-2 (no version) and documents without a workflow", () => {
    expect(() => readWdl("workflow W { call x }", "main.wdl")).toThrow(/draft-2/);
    expect(() => readWdl("version 1.0\ntask t { command {} }", "main.wdl")).toThrow(/no workflow block/);
  });
});

describe("CWL", () => {
  it("marks nullable types and defaults optional, takes descriptions from label, steps as tasks", () => {
    const p = readCwl(
      `cwlVersion: v1.2
class: Workflow
inputs:
  reads: {type: File, label: Reads}
  ref: File?
  threads: {type: int, default: 2}
  mode: {type: ["null", string]}
  files: {type: {type: array, items: File}}
outputs:
  bam: {type: File, outputSource: align/bam}
  logs: {type: "File[]", outputSource: align/logs}
  dir: {type: Directory, outputSource: align/dir}
steps:
  align: {run: tools/align.cwl, in: {}, out: [bam]}
  index: {run: tools/index.cwl, in: {}, out: []}
`,
      "main.cwl",
    );
    expect(p.inputs).toEqual({
      reads: { description: "Reads", optional: false },
      ref: { optional: true },
      threads: { optional: true },
      mode: { optional: true },
      files: { optional: false },
    });
    expect(p.steps).toEqual(["align", "index"]);
    expect(p.outputs.map((o) => o.kind)).toEqual(["File", "File[]", "Directory"]);
  });

  it("reads a tool's stdout and stderr outputs as Files (Toil's and wes-client's small examples use them)", () => {
    const tool = readCwl(
      "cwlVersion: v1.2\nclass: CommandLineTool\nbaseCommand: wc\ninputs: {}\noutputs:\n  report: {type: stdout}\n  errors: stderr\n",
      "count.cwl",
    );
    expect(tool.outputs).toEqual([
      { name: "report", kind: "File" },
      { name: "errors", kind: "File" },
    ]);
  });

  it("reads list-form fields and packed $graph documents, and refuses what is not CWL", () => {
    const packed = readCwl(
      JSON.stringify({
        cwlVersion: "v1.2",
        $graph: [
          { id: "#tool", class: "CommandLineTool", inputs: [], outputs: [] },
          { id: "#main", class: "Workflow", inputs: [{ id: "#main/x", type: "string" }], outputs: [], steps: [{ id: "#main/s1", run: "#tool" }] },
        ],
      }),
      "packed.cwl",
    );
    expect(packed).toMatchObject({ name: "main", inputs: { x: { optional: false } }, steps: ["s1"] });
    expect(() => readCwl("a: [unclosed", "bad.cwl")).toThrow(/not valid YAML/);
    expect(() => readCwl("class: Something", "x.cwl")).toThrow(/not a CWL Workflow/);
  });
});

describe("Nextflow", () => {
  it("takes params from main.nf and nextflow.config (all optional) and processes from every .nf file", () => {
    const p = readNextflow(
      new Map([
        ["main.nf", "params.input = null\nparams.genome = 'GRCh38'\nprocess ALIGN {\n}\ninclude { QC } from './modules/qc'"],
        ["nextflow.config", "params {\n  outdir = 'results'\n  nested { x = 1 }\n}\nparams.max_cpus = 4\n"],
        ["modules/qc.nf", "process QC {\n}"],
        ["nextflow_schema.json", JSON.stringify({ definitions: { io: { properties: { input: { description: "Samplesheet" } } } } })],
      ]),
      "main.nf",
    );
    expect(p.params).toEqual({
      genome: { optional: true },
      input: { description: "Samplesheet", optional: true },
      max_cpus: { optional: true },
      outdir: { optional: true },
    });
    expect(p.processes).toEqual(["ALIGN", "QC"]);
  });
});

describe("packages", () => {
  it("turns an unreadable zip, a package without definitions, or a non-UTF-8 file into the statusMessage of a FAILED workflow", () => {
    expect(analyzeDefinition(new Uint8Array([1, 2, 3]), {})).toEqual({ failure: expect.stringMatching(/not a readable ZIP/) });
    expect(analyzeDefinition(zip({ "README.md": "hi" }), {})).toEqual({ failure: expect.stringMatching(/no workflow definition file/) });
    expect(analyzeDefinition(zipSync({ "main.wdl": new Uint8Array([0xff, 0xfe, 0x00]) }), {})).toEqual({ failure: expect.stringMatching(/not UTF-8/) });
  });

  it("marks a definition containing emulator:fail; its plan fails the last task twice, then the run", () => {
    const summary = analyzeDefinition(zip({ "main.wdl": "version 1.0\n# emulator:fail\nworkflow W {\n call a\n call b\n}" }), {});
    expect(summary).toMatchObject({ fails: true, tasks: ["a", "b"] });
    const plan = definitionPlan(summary as { tasks: string[]; fails: boolean });
    expect(plan.tasks.map((t) => [t.name, t.failure !== undefined])).toEqual([
      ["a", false],
      ["b", true],
      ["b", true],
    ]);
    expect(plan.outcome).toMatchObject({ status: "FAILED", failureReason: "RUN_TASK_FAILED" });
  });

  it("lets a given parameter template override the derived one", () => {
    const summary = analyzeDefinition(zip({ "main.wdl": "version 1.0\nworkflow W {\n input { File x }\n}" }), { parameterTemplate: { y: { optional: true } } });
    expect(summary).toMatchObject({ parameterTemplate: { y: { optional: true } } });
  });
});
