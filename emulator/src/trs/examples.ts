/**
 * The example workflows the emulator serves through its TRS registry and as plain files
 * (docs/emulator.md, "TRS registry"): a CWL workflow whose steps `run:` tools in other files, a
 * WDL 1.0 workflow with an `import`, and a Nextflow pipeline with nextflow.config, a module and a
 * `bin/` script (which is why Nextflow goes through TRS or attachments, not a single URL). Each
 * registers with CreateWorkflow as is (parameter template derived, tasks named after its
 * steps/calls/processes) and runs in the emulator.
 */

/** One example: its TRS id, descriptor type, primary file and files. */
export interface ExampleWorkflow {
  /** Directory name under /__emulator/files/. */
  name: string;
  /** Dockstore-style TRS id. */
  id: string;
  version: string;
  type: "CWL" | "WDL" | "NFL";
  description: string;
  primary: string;
  files: Record<string, string>;
  /** TRS file types of the non-descriptor files (others are descriptors). */
  fileTypes?: Record<string, "TEST_FILE" | "OTHER" | "CONTAINERFILE">;
}

const CWL_WORKFLOW = `#!/usr/bin/env cwl-runner
cwlVersion: v1.2
class: Workflow
label: Count the lines of a text file
doc: Runs wc -l on the input, then writes a one-line report. The steps run tools kept in tools/.

inputs:
  input_file:
    type: File
    label: Text file whose lines are counted
  sample_name:
    type: string?
    label: Name printed in the report

outputs:
  counts:
    type: File
    outputSource: wc/counts
  report:
    type: File
    outputSource: report/report

steps:
  wc:
    run: tools/wc.cwl
    in:
      input_file: input_file
    out: [counts]
  report:
    run: tools/report.cwl
    in:
      counts: wc/counts
      sample_name: sample_name
    out: [report]
`;

const CWL_WC = `cwlVersion: v1.2
class: CommandLineTool
label: wc -l
requirements:
  DockerRequirement:
    dockerPull: public.ecr.aws/docker/library/ubuntu:24.04
baseCommand: [wc, -l]
inputs:
  input_file:
    type: File
    inputBinding:
      position: 1
stdout: counts.txt
outputs:
  counts:
    type: stdout
`;

const CWL_REPORT = `cwlVersion: v1.2
class: CommandLineTool
label: Report the line count
requirements:
  DockerRequirement:
    dockerPull: public.ecr.aws/docker/library/ubuntu:24.04
  InlineJavascriptRequirement: {}
baseCommand: [awk]
arguments:
  - valueFrom: '{ print "$(inputs.sample_name || "sample")", $1, "lines" }'
inputs:
  counts:
    type: File
    inputBinding:
      position: 2
  sample_name:
    type: string?
stdout: report.txt
outputs:
  report:
    type: stdout
`;

const WDL_MAIN = `version 1.0

# Greets someone and counts the words of a file; the tasks live in tasks/greet.wdl.
import "tasks/greet.wdl" as greet

workflow HelloImport {
  input {
    File input_file
    String name = "world"
  }

  parameter_meta {
    input_file: "Text file whose words are counted"
    name: "Who is greeted"
  }

  call greet.say_hello { input: name = name }
  call greet.count_words { input: text = input_file }

  output {
    File greeting = say_hello.out
    Int words = count_words.n
  }
}
`;

const WDL_TASKS = `version 1.0

task say_hello {
  input {
    String name
  }
  command <<<
    echo "Hello, ~{name}!" > greeting.txt
  >>>
  output {
    File out = "greeting.txt"
  }
  runtime {
    docker: "public.ecr.aws/docker/library/ubuntu:24.04"
    cpu: 1
    memory: "2 GiB"
  }
}

task count_words {
  input {
    File text
  }
  command <<<
    wc -w < ~{text} > words.txt
  >>>
  output {
    Int n = read_int("words.txt")
  }
  runtime {
    docker: "public.ecr.aws/docker/library/ubuntu:24.04"
    cpu: 1
    memory: "2 GiB"
  }
}
`;

const NF_MAIN = `#!/usr/bin/env nextflow
nextflow.enable.dsl = 2

// Counts the lines of a file with bin/count.sh, then reports; outputs go to /mnt/workflow/pubdir (HealthOmics).
include { COUNT } from './modules/count.nf'

params.input = null
params.sample_name = 'sample'

process REPORT {
    publishDir '/mnt/workflow/pubdir', mode: 'copy'
    container 'public.ecr.aws/docker/library/ubuntu:24.04'

    input:
    path counts

    output:
    path 'report.txt'

    script:
    """
    echo "\${params.sample_name}: \\$(cat \${counts}) lines" > report.txt
    """
}

workflow {
    COUNT(Channel.fromPath(params.input))
    REPORT(COUNT.out)
}
`;

const NF_MODULE = `process COUNT {
    container 'public.ecr.aws/docker/library/ubuntu:24.04'

    input:
    path input_file

    output:
    path 'counts.txt'

    script:
    """
    count.sh \${input_file} > counts.txt
    """
}
`;

const NF_CONFIG = `params {
    outdir = '/mnt/workflow/pubdir'
    max_cpus = 2
}

process {
    cpus = 1
    memory = '2 GB'
}
`;

const NF_SCRIPT = `#!/usr/bin/env bash
# Prints the number of lines of the file given as the first argument.
set -euo pipefail
wc -l < "$1"
`;

/** The examples, by directory name. */
export const EXAMPLES: readonly ExampleWorkflow[] = [
  {
    name: "cwl-count-lines",
    id: "#workflow/github.com/wes-emulator/cwl-count-lines",
    version: "1.0",
    type: "CWL",
    description: "CWL workflow whose steps run tools in other files (tools/wc.cwl, tools/report.cwl); one File input",
    primary: "count-lines.cwl",
    files: {
      "count-lines.cwl": CWL_WORKFLOW,
      "tools/wc.cwl": CWL_WC,
      "tools/report.cwl": CWL_REPORT,
      "test.json": `{\n  "input_file": { "class": "File", "location": "s3://example-bucket/inputs/sample.txt" },\n  "sample_name": "sample-1"\n}\n`,
    },
    fileTypes: { "test.json": "TEST_FILE" },
  },
  {
    name: "wdl-hello-import",
    id: "#workflow/github.com/wes-emulator/wdl-hello-import",
    version: "1.0",
    type: "WDL",
    description: "WDL 1.0 workflow that imports its tasks from tasks/greet.wdl",
    primary: "main.wdl",
    files: {
      "main.wdl": WDL_MAIN,
      "tasks/greet.wdl": WDL_TASKS,
      "inputs.json": `{\n  "HelloImport.input_file": "s3://example-bucket/inputs/sample.txt",\n  "HelloImport.name": "HealthOmics"\n}\n`,
    },
    fileTypes: { "inputs.json": "TEST_FILE" },
  },
  {
    name: "nextflow-count-lines",
    id: "#workflow/github.com/wes-emulator/nextflow-count-lines",
    version: "1.0",
    type: "NFL",
    description: "Nextflow DSL2 pipeline with nextflow.config, a module and a bin/ script",
    primary: "main.nf",
    files: {
      "main.nf": NF_MAIN,
      "modules/count.nf": NF_MODULE,
      "nextflow.config": NF_CONFIG,
      "bin/count.sh": NF_SCRIPT,
    },
    fileTypes: { "bin/count.sh": "OTHER" },
  },
];
