/**
 * The seeded workflows: a local contract that the API's tests, docs and demos rely on (ids are
 * exact; see docs/emulator.md). Each comes with the plan its runs follow.
 */
import type { DefinitionSummary, OutputSpec } from "./definition/types";
import type { RunPlan, TaskSpec } from "./timeline";
import type { ParameterTemplate } from "./validation";

/** A workflow as the emulator keeps it (seeded or created by CreateWorkflow). */
export interface WorkflowRecord {
  id: string;
  uuid: string;
  name: string;
  description?: string;
  engine: "WDL" | "NEXTFLOW" | "CWL" | "WDL_LENIENT";
  type: "PRIVATE" | "READY2RUN";
  main?: string;
  digest?: string;
  parameterTemplate: ParameterTemplate;
  storageCapacity?: number;
  storageType?: "STATIC" | "DYNAMIC";
  accelerators?: "GPU";
  creationTime: string;
  tags: Record<string, string>;
  requestId?: string;
  definitionUri?: string;
  readmeMarkdown?: string;
  /** Created workflows: when CREATING ends (epoch ms); absent = always ACTIVE (seeded). */
  readyAt?: number;
  /** Created workflows that HealthOmics could not use: FAILED with this statusMessage. */
  failure?: string;
  /** What the definition declares (created from a zip). */
  definition?: DefinitionSummary;
}

/** The parameter template every seeded workflow declares. */
export const SEED_TEMPLATE: ParameterTemplate = {
  input_file: { description: "Input reads (FASTQ, BAM or CRAM) in Amazon S3", optional: false },
  sample_name: { description: "Sample name used to label the outputs", optional: true },
};

const SEEDED_AT = "2025-01-01T00:00:00.000Z";

function seeded(
  id: string,
  uuid: string,
  name: string,
  engine: WorkflowRecord["engine"],
  main: string,
  description: string,
  type: WorkflowRecord["type"] = "PRIVATE",
): WorkflowRecord {
  return {
    id,
    uuid,
    name,
    description,
    engine,
    type,
    main,
    // WorkflowDigest is at most 64 characters: a bare SHA-256 hex digest.
    digest: id.padStart(64, "0"),
    parameterTemplate: SEED_TEMPLATE,
    storageType: "DYNAMIC",
    creationTime: SEEDED_AT,
    tags: {},
  };
}

/** Seeded workflows by id. */
export const SEEDED_WORKFLOWS: ReadonlyMap<string, WorkflowRecord> = new Map(
  [
    seeded("1000001", "6f1b7c2e-0001-4c8a-9a51-1d3e5f7a9b01", "germline-wdl", "WDL", "main.wdl", "Emulated WDL workflow: three tasks, succeeds"),
    seeded(
      "1000002",
      "6f1b7c2e-0002-4c8a-9a51-1d3e5f7a9b02",
      "rnaseq-nextflow",
      "NEXTFLOW",
      "main.nf",
      "Emulated Nextflow workflow: long-running (cancellable), succeeds",
    ),
    seeded(
      "1000003",
      "6f1b7c2e-0003-4c8a-9a51-1d3e5f7a9b03",
      "align-cwl",
      "CWL",
      "main.cwl",
      "Emulated CWL workflow: a task fails twice, the run fails with RUN_TASK_FAILED",
    ),
    seeded(
      "1000004",
      "6f1b7c2e-0004-4c8a-9a51-1d3e5f7a9b04",
      "import-fails-wdl",
      "WDL",
      "main.wdl",
      "Emulated WDL workflow: fails before running with IMPORT_FAILED",
    ),
    seeded(
      "9000001",
      "6f1b7c2e-9001-4c8a-9a51-1d3e5f7a9b91",
      "ready2run-germline",
      "WDL",
      "main.wdl",
      "Emulated Ready2Run workflow: two tasks, succeeds",
      "READY2RUN",
    ),
  ].map((w) => [w.id, w]),
);

function task(name: string, instanceType: string, cpus: number, memory: number, startMs: number, durationMs: number, failure?: string): TaskSpec {
  const spec: TaskSpec = { name, cpus, memory, gpus: 0, instanceType, startMs, durationMs };
  if (failure) spec.failure = failure;
  return spec;
}

const COMMON = { pendingMs: 2000, startingMs: 6000, stoppingMs: 3000, reachesRunning: true } as const;
const TASK_FAILED = "Task failed: the container exited with a non-zero exit code (1)";

/** Plans by workflow id; other workflows use DEFAULT_PLAN. Durations at time scale 1. */
const PLANS: Record<string, RunPlan> = {
  "1000001": {
    ...COMMON,
    tasks: [
      task("FastqToBam", "omics.c.large", 2, 4, 0, 6000),
      task("AlignReads", "omics.c.2xlarge", 8, 16, 6000, 9000),
      task("CallVariants", "omics.m.xlarge", 4, 16, 15000, 6000),
    ],
    outcome: { status: "COMPLETED" },
  },
  "1000002": {
    ...COMMON,
    tasks: [
      task("FASTQC (sample_1)", "omics.c.large", 2, 4, 0, 8000),
      task("FASTQC (sample_2)", "omics.c.large", 2, 4, 0, 8000),
      task("TRIMGALORE (sample_1)", "omics.c.xlarge", 4, 8, 8000, 10000),
      task("MULTIQC", "omics.m.large", 2, 8, 18000, 8000),
    ],
    outcome: { status: "COMPLETED" },
  },
  "1000003": {
    ...COMMON,
    tasks: [
      task("prepare_reference", "omics.c.large", 2, 4, 0, 5000),
      task("bwa_mem", "omics.c.2xlarge", 8, 16, 5000, 5000, TASK_FAILED),
      // HealthOmics retries a failed task under a new task id before failing the run.
      task("bwa_mem", "omics.c.2xlarge", 8, 16, 10000, 5000, TASK_FAILED),
    ],
    outcome: {
      status: "FAILED",
      failureReason: "RUN_TASK_FAILED",
      statusMessage: "Task bwa_mem failed after 2 attempts: the container exited with a non-zero exit code (1)",
    },
  },
  "1000004": {
    ...COMMON,
    stoppingMs: 2000,
    reachesRunning: false,
    tasks: [],
    outcome: {
      status: "FAILED",
      failureReason: "IMPORT_FAILED",
      statusMessage: "Failed to import the run's input files: access denied to the input file location",
    },
  },
  "9000001": {
    ...COMMON,
    tasks: [task("HaplotypeCaller", "omics.m.xlarge", 4, 16, 0, 9000), task("GenotypeGVCFs", "omics.m.large", 2, 8, 9000, 7000)],
    outcome: { status: "COMPLETED" },
  },
};

/** What the seeded workflows' runs leave in S3 (docs/emulator.md, "Outputs"). */
const SEEDED_OUTPUTS: Record<string, { workflowName: string; outputs: OutputSpec[] }> = {
  "1000001": {
    workflowName: "GermlineVariantCalling",
    outputs: [
      { name: "vcf", kind: "File" },
      { name: "vcf_index", kind: "File" },
      { name: "aligned_bams", kind: "File[]" },
      { name: "variant_count", kind: "int" },
    ],
  },
  "1000002": { workflowName: "rnaseq", outputs: [] },
  "1000003": { workflowName: "align", outputs: [{ name: "aligned_bam", kind: "File" }] },
  "1000004": { workflowName: "ImportFails", outputs: [{ name: "vcf", kind: "File" }] },
  "9000001": {
    workflowName: "ReadyToRunGermline",
    outputs: [
      { name: "vcf", kind: "File" },
      { name: "gvcf", kind: "File" },
    ],
  },
};

/** The workflow name and outputs a seeded workflow's runs write (undefined for other workflows). */
export function seededOutputs(workflowId: string): { workflowName: string; outputs: OutputSpec[] } | undefined {
  return SEEDED_OUTPUTS[workflowId];
}

/** The default timeline of workflows made with CreateWorkflow: two tasks, success. */
export const DEFAULT_PLAN: RunPlan = {
  ...COMMON,
  tasks: [task("main", "omics.c.large", 2, 4, 0, 8000), task("collect_outputs", "omics.c.large", 2, 4, 8000, 6000)],
  outcome: { status: "COMPLETED" },
};

/** The plan runs of a workflow follow. */
export function planFor(workflowId: string): RunPlan {
  return PLANS[workflowId] ?? DEFAULT_PLAN;
}
