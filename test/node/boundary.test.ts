/** The executor boundary check (scripts/check-boundary.mjs) on the repository and on a module that crosses it. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { boundaryViolations } from "../../scripts/check-boundary.mjs";

const check = boundaryViolations as (root: string) => string[];

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "boundary-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("executor boundary", () => {
  it("holds in this repository", () => {
    expect(check(join(import.meta.dirname, "..", ".."))).toEqual([]);
  });

  it("catches a WES module that imports executor internals, and only those", () => {
    const root = tree({
      "src/wes/runs-create.ts": [
        'import { runExecutor } from "../executors/registry";',
        'import type { RunExecutor } from "../executors/executor";',
        'import { checkWorkflow } from "../executors/healthomics/submit/workflow-check";',
        'import { budgetStub } from "../budget/stub";',
        'import { executorSettings } from "../executor-config";',
        'import { database } from "../db/client";',
      ].join("\n"),
      "src/app.ts": 'const events = await import("./events/healthomics-events");',
      "src/executors/healthomics/executor.ts": 'import { badRequest } from "../../errors";',
    });
    try {
      expect(check(root).sort()).toEqual([
        "src/app.ts → src/events/healthomics-events",
        "src/wes/runs-create.ts → src/budget/stub",
        "src/wes/runs-create.ts → src/executor-config",
        "src/wes/runs-create.ts → src/executors/healthomics/submit/workflow-check",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
