/**
 * The pure parts of packaging a workflow: WDL version and imports, CWL references, relative
 * paths, the import closure with its limits, and the content-addressed, deterministic zip.
 */
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { WesError } from "../../src/errors";
import { collectDefinition, type DefinitionSource } from "../../src/executors/healthomics/package/collect";
import { cwlReferences, cwlVersion } from "../../src/executors/healthomics/package/cwl";
import { packageHash, packageWorkflow } from "../../src/executors/healthomics/package/packager";
import { resolveRelative } from "../../src/executors/healthomics/package/paths";
import { wdlImports, wdlVersion } from "../../src/executors/healthomics/package/wdl";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("WDL", () => {
  it.each([
    ["version 1.0\nworkflow w {}", "1.0"],
    ["# a comment\n\n  version 1.1 # trailing\n", "1.1"],
    ["\uFEFFversion development\n", "development"],
    ["workflow w { }", undefined],
    ["# version 1.0\nworkflow w {}", undefined],
    ['workflow w { String s = "version 1.0" }', undefined],
  ])("reads the version of %j", (text, version) => {
    expect(wdlVersion(text)).toBe(version);
  });

  it("lists imports in order, skipping comments", () => {
    const text = 'version 1.0\nimport "tasks/a.wdl" as a\n# import "old.wdl"\n  import \'../b.wdl\'\nimport "https://x.org/c.wdl" as c\nworkflow w {}';
    expect(wdlImports(text)).toEqual(["tasks/a.wdl", "../b.wdl", "https://x.org/c.wdl"]);
  });
});

describe("CWL", () => {
  it("finds run:, $import and $include in YAML and JSON, without fragments or inline runs", () => {
    const yaml = [
      "cwlVersion: v1.2",
      "class: Workflow",
      "steps:",
      "  wc:",
      "    run: tools/wc.cwl",
      "  report:",
      '    run: "tools/report.cwl#main"',
      "  inline:",
      "    run:",
      "      class: CommandLineTool",
      "requirements:",
      "  - $import: types.yml",
      "  - class: InitialWorkDirRequirement",
      "    listing:",
      "      - entry: {$include: script.sh}",
      "  other:",
      "    run: '#local'",
    ].join("\n");
    expect(cwlReferences(yaml)).toEqual(["tools/wc.cwl", "tools/report.cwl", "types.yml", "script.sh"]);
    expect(cwlVersion(yaml)).toBe("v1.2");
    expect(cwlReferences('{"steps": {"a": {"run": "a.cwl"}}, "cwlVersion": "v1.0"}')).toEqual(["a.cwl"]);
    expect(cwlVersion('{"cwlVersion": "v1.0"}')).toBe("v1.0");
  });
});

describe("relative paths", () => {
  it.each([
    ["main.wdl", "tasks/a.wdl", "tasks/a.wdl"],
    ["sub/main.wdl", "../lib/a.wdl", "lib/a.wdl"],
    ["sub/main.wdl", "./a.wdl", "sub/a.wdl"],
    ["main.wdl", "../a.wdl", undefined],
    ["main.wdl", "/etc/passwd", undefined],
    ["main.wdl", "https://x.org/a.wdl", undefined],
  ])("%s + %s → %s", (from, reference, expected) => {
    expect(resolveRelative(from, reference)).toBe(expected);
  });
});

function memorySource(files: Record<string, string>): DefinitionSource {
  return {
    resolve: (from, reference) => {
      const target = resolveRelative(from, reference);
      if (!target) throw new WesError(400, `bad ${reference}`);
      return target;
    },
    read: async (path) => {
      if (!(path in files)) throw new WesError(400, `missing ${path}`);
      return bytes(files[path]!);
    },
  };
}

const LIMITS = { maxFiles: 10, maxBytes: 10_000, maxDepth: 3 };

describe("collecting a workflow", () => {
  it("follows imports once each, and leaves other files out", async () => {
    const source = memorySource({
      "main.wdl": 'version 1.0\nimport "a.wdl"\nimport "lib/b.wdl"',
      "a.wdl": 'version 1.0\nimport "lib/b.wdl"',
      "lib/b.wdl": "version 1.0",
      "input.txt": "data",
    });
    const files = await collectDefinition("main.wdl", "WDL", source, LIMITS);
    expect([...files.keys()]).toEqual(["main.wdl", "a.wdl", "lib/b.wdl"]);
  });

  it("refuses each limit with a 400 naming it", async () => {
    const chain = memorySource({ "m.wdl": 'import "1.wdl"', "1.wdl": 'import "2.wdl"', "2.wdl": 'import "3.wdl"', "3.wdl": 'import "4.wdl"', "4.wdl": "" });
    await expect(collectDefinition("m.wdl", "WDL", chain, LIMITS)).rejects.toThrow(/import depth limit/);
    await expect(collectDefinition("m.wdl", "WDL", chain, { ...LIMITS, maxFiles: 2 })).rejects.toThrow(/file count limit/);
    await expect(collectDefinition("m.wdl", "WDL", chain, { ...LIMITS, maxBytes: 20 })).rejects.toThrow(/size limit/);
    await expect(collectDefinition("m.wdl", "WDL", memorySource({ "m.wdl": 'import "../x.wdl"' }), LIMITS)).rejects.toThrow(/bad/);
  });
});

describe("packages", () => {
  const files = new Map([
    ["main.wdl", bytes('version 1.0\nimport "tasks/a.wdl"')],
    ["tasks/a.wdl", bytes("version 1.0\ntask a {}")],
  ]);

  it("zip the files with their paths, deterministically", async () => {
    const first = await packageWorkflow(files, "WDL", "main.wdl");
    const again = await packageWorkflow(new Map([...files].reverse()), "WDL", "main.wdl");
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(again.hash).toBe(first.hash);
    expect(again.zip).toEqual(first.zip);
    expect(first.paths).toEqual(["main.wdl", "tasks/a.wdl"]);
    const unzipped = unzipSync(first.zip);
    expect(new TextDecoder().decode(unzipped["tasks/a.wdl"])).toBe("version 1.0\ntask a {}");
  });

  it("have another address when a byte, a path, the engine or the main file differs", async () => {
    const base = await packageHash(files, "WDL", "main.wdl");
    const changed = new Map(files);
    changed.set("tasks/a.wdl", bytes("version 1.0\ntask b {}"));
    const moved = new Map([
      ["main.wdl", files.get("main.wdl")!],
      ["tasks/b.wdl", files.get("tasks/a.wdl")!],
    ]);
    const hashes = [
      base,
      await packageHash(changed, "WDL", "main.wdl"),
      await packageHash(moved, "WDL", "main.wdl"),
      await packageHash(files, "CWL", "main.wdl"),
      await packageHash(files, "WDL", "tasks/a.wdl"),
    ];
    expect(new Set(hashes).size).toBe(5);
    // Bytes moving across a file boundary change the address too.
    const a = new Map([
      ["x", bytes("ab")],
      ["y", bytes("c")],
    ]);
    const b = new Map([
      ["x", bytes("a")],
      ["y", bytes("bc")],
    ]);
    expect(await packageHash(a, "WDL", "x")).not.toBe(await packageHash(b, "WDL", "x"));
  });

  it("refuse a member named __proto__ instead of losing it", async () => {
    await expect(
      packageWorkflow(
        new Map([
          ["main.wdl", bytes("version 1.0")],
          ["a/__proto__", bytes("x")],
        ]),
        "WDL",
        "main.wdl",
      ),
    ).rejects.toThrow(/__proto__/);
  });
});
