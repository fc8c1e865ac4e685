/** Workflow languages, versions and engines as clients spell them. */
import { describe, expect, it } from "vitest";
import { HEALTHOMICS_LANGUAGES as LANGUAGES, WORKFLOW_ENGINES, WORKFLOW_TYPES } from "../../src/executors/healthomics/submit/languages";
import { canonicalEngine, canonicalType, canonicalVersion, clientEngine } from "../../src/wes/workflow-types";

describe("canonicalType", () => {
  it.each([
    ["WDL", "WDL"],
    ["wdl", "WDL"],
    [" cwl ", "CWL"],
    ["Cwl", "CWL"],
    ["NFL", "NFL"],
    ["nextflow", "NFL"],
    ["NF", "NFL"],
  ])("%s → %s", (input, expected) => {
    expect(canonicalType(LANGUAGES, input)).toBe(expected);
  });

  it.each(["SNAKEMAKE", "", "galaxy", "WDL1"])("unsupported %s → undefined", (input) => {
    expect(canonicalType(LANGUAGES, input)).toBeUndefined();
  });
});

describe("canonicalVersion", () => {
  it.each([
    ["WDL", "1.0", "1.0"],
    ["WDL", "v1.1", "1.1"],
    ["WDL", "development", "development"],
    ["CWL", "v1.2", "v1.2"],
    ["CWL", "1.2", "v1.2"],
    ["CWL", " 1.0 ", "v1.0"],
    ["NFL", "DSL2", "DSL2"],
    ["NFL", "dsl2", "DSL2"],
    ["NFL", "Dsl1", "DSL1"],
    ["NFL", "2", "DSL2"],
    // wes-client labels every WDL draft-2; the version that runs is read from the file.
    ["WDL", "draft-2", "1.0"],
  ])("%s %s → %s", (type, input, expected) => {
    expect(canonicalVersion(LANGUAGES, type, input)).toBe(expected);
  });

  it.each([
    ["WDL", "2.0"],
    ["CWL", "v2.0"],
    ["NFL", "DSL3"],
    ["SNAKEMAKE", "1.0"],
  ])("%s %s → undefined", (type, input) => {
    expect(canonicalVersion(LANGUAGES, type, input)).toBeUndefined();
  });
});

describe("canonicalEngine", () => {
  it.each([
    ["WDL", "WDL"],
    ["wdl_lenient", "WDL_LENIENT"],
    ["wdl-lenient", "WDL_LENIENT"],
    ["Nextflow", "NEXTFLOW"],
    ["cwl", "CWL"],
  ])("%s → %s", (input, expected) => {
    expect(canonicalEngine(LANGUAGES, input)).toBe(expected);
  });

  it.each(["cromwell", "toil", "", "miniwdl"])("unknown %s → undefined", (input) => {
    expect(canonicalEngine(LANGUAGES, input)).toBeUndefined();
  });
});

describe("clientEngine (other servers' engines: recorded, not refused)", () => {
  it.each([
    ["cwltool", "cwltool", ["CWL"]],
    ["Toil", "toil", ["CWL", "WDL"]],
    [" cromwell ", "cromwell", ["WDL", "CWL"]],
    ["miniWDL", "miniwdl", ["WDL"]],
  ])("%s → %s", (input, name, types) => {
    expect(clientEngine(LANGUAGES, input)).toEqual({ name, types });
  });

  it.each(["snakemake", "", "constructor", "__proto__", "CWL"])("not another server's engine: %s → undefined", (input) => {
    expect(clientEngine(LANGUAGES, input)).toBeUndefined();
  });
});

describe("the tables service-info serves", () => {
  it("every type's engines exist and run that type", () => {
    for (const [type, info] of Object.entries(WORKFLOW_TYPES)) {
      expect(info.engines.length).toBeGreaterThan(0);
      for (const engine of info.engines) expect(WORKFLOW_ENGINES[engine]?.types).toContain(type);
    }
  });

  it("every alias maps to a canonical version of its type", () => {
    for (const info of Object.values(WORKFLOW_TYPES)) {
      for (const target of Object.values(info.aliases)) expect(info.versions).toContain(target);
    }
  });
});

describe("names from requests are looked up as own keys", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "CONSTRUCTOR", "__PROTO__"])("%j is no type, version or engine", (name) => {
    expect(canonicalType(LANGUAGES, name)).toBeUndefined();
    expect(canonicalEngine(LANGUAGES, name)).toBeUndefined();
    for (const type of Object.keys(WORKFLOW_TYPES)) expect(canonicalVersion(LANGUAGES, type, name)).toBeUndefined();
  });
});
