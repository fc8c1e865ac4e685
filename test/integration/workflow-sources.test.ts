/**
 * Workflow files fetched from URLs, against the emulator's example files (plain http on
 * 127.0.0.1, allowed locally) and its TRS registry: imports followed, the TRS file set with
 * checksums, and the URL policy and limits refusing with 400s that name them.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WesError } from "../../src/errors";
import { fetchBounded } from "../../src/executors/healthomics/sources/fetch-bounded";
import { fromHttps, packagePaths } from "../../src/executors/healthomics/sources/https";
import { fromTrs, parseTrsUrl } from "../../src/executors/healthomics/sources/trs";

const E = env.TEST_EMULATOR_URL;
const LOCAL = { allowLocal: true, allowHosts: [] };
const DEPLOYED = { allowLocal: false, allowHosts: [] };
const LIMITS = { maxFiles: 50, maxBytes: 1024 * 1024, maxDepth: 8 };
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

async function refusal(promise: Promise<unknown>): Promise<WesError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WesError);
  expect((error as WesError).status).toBe(400);
  return error as WesError;
}

describe("https sources", () => {
  it("fetch a WDL and its import, keeping their layout", async () => {
    const set = await fromHttps(`${E}/__emulator/files/wdl-hello-import/main.wdl`, "WDL", LOCAL, LIMITS);
    expect(set.main).toBe("main.wdl");
    expect([...set.files.keys()].sort()).toEqual(["main.wdl", "tasks/greet.wdl"]);
    expect(text(set.files.get("tasks/greet.wdl"))).toContain("task");
  });

  it("fetch a CWL workflow and its run: tools", async () => {
    const set = await fromHttps(`${E}/__emulator/files/cwl-count-lines/count-lines.cwl`, "CWL", LOCAL, LIMITS);
    expect([...set.files.keys()].sort()).toEqual(["count-lines.cwl", "tools/report.cwl", "tools/wc.cwl"]);
  });

  it("take paths from the deepest shared folder", () => {
    const paths = packagePaths(["https://x.org/a/b/main.wdl", "https://x.org/a/lib/t.wdl", "https://x.org/a/b/c/u%20v.wdl"]);
    expect([...paths.values()]).toEqual(["b/main.wdl", "lib/t.wdl", "b/c/u v.wdl"]);
  });

  it("refuse http and loopback in a deployment, Nextflow, and missing files", async () => {
    expect((await refusal(fromHttps(`${E}/__emulator/files/wdl-hello-import/main.wdl`, "WDL", DEPLOYED, LIMITS))).message).toContain("only https://");
    expect((await refusal(fromHttps(`${E}/__emulator/files/nextflow-count-lines/main.nf`, "NEXTFLOW", LOCAL, LIMITS))).message).toContain("TRS");
    expect((await refusal(fromHttps(`${E}/__emulator/files/wdl-hello-import/nothing.wdl`, "WDL", LOCAL, LIMITS))).message).toContain("404");
    expect((await refusal(fromHttps(`${E}/__emulator/files/wdl-hello-import/main.wdl`, "WDL", LOCAL, { ...LIMITS, maxFiles: 1 }))).message).toContain(
      "file count limit",
    );
    expect((await refusal(fromHttps(`${E}/__emulator/files/wdl-hello-import/main.wdl`, "WDL", LOCAL, { ...LIMITS, maxBytes: 100 }))).message).toContain(
      "size limit",
    );
  });

  it("bound the bytes read", async () => {
    expect((await refusal(fetchBounded(`${E}/__emulator/files/`, LOCAL, 10))).message).toContain("bytes");
  });
});

describe("TRS sources", () => {
  const id = "#workflow/github.com/wes-emulator/wdl-hello-import";
  const dockstore = `${E}/ga4gh/trs/v2/tools/${encodeURIComponent(id)}/versions/1.0/PLAIN_WDL/descriptor/main.wdl`;

  it("parse TRS URIs and Dockstore-style descriptor URLs", () => {
    expect(parseTrsUrl(dockstore, LOCAL)).toEqual({ base: `${E}/ga4gh/trs/v2`, id, version: "1.0", type: "WDL", path: "main.wdl" });
    expect(parseTrsUrl("trs://dockstore.org/%23workflow%2Fgithub.com%2Fo%2Fr/v1", DEPLOYED)).toEqual({
      base: "https://dockstore.org/ga4gh/trs/v2",
      id: "#workflow/github.com/o/r",
      version: "v1",
    });
    expect(parseTrsUrl("trs://127.0.0.1:8788/x/1", LOCAL)?.base).toBe("http://127.0.0.1:8788/ga4gh/trs/v2");
    expect(parseTrsUrl("trs://127.0.0.1:8788/x/1", DEPLOYED)?.base).toBe("https://127.0.0.1:8788/ga4gh/trs/v2");
    expect(
      parseTrsUrl(
        "https://dockstore.org/api/ga4gh/trs/v2/tools/%23workflow%2Fgithub.com%2Forg%2Frepo/versions/v1/PLAIN_CWL/descriptor//Dockstore.cwl",
        DEPLOYED,
      ),
    ).toMatchObject({ base: "https://dockstore.org/api/ga4gh/trs/v2", type: "CWL", path: "Dockstore.cwl" });
    expect(parseTrsUrl("https://example.org/main.wdl", DEPLOYED)).toBeUndefined();
  });

  it("resolve the whole file set with checksums, without test files", async () => {
    const set = await fromTrs(parseTrsUrl(dockstore, LOCAL)!, "WDL", LOCAL, LIMITS);
    expect(set.main).toBe("main.wdl");
    expect([...set.files.keys()].sort()).toEqual(["main.wdl", "tasks/greet.wdl"]);
    expect(set.provenance).toMatchObject({ trs_id: id, trs_version: "1.0" });
    expect(set.provenance.checksums["main.wdl"]).toMatch(/^sha-256:[0-9a-f]{64}$/);
  });

  it("take a Nextflow pipeline with its config and bin/ through a TRS URI", async () => {
    const ref = parseTrsUrl(`trs://${new URL(E).host}/${encodeURIComponent("#workflow/github.com/wes-emulator/nextflow-count-lines")}/1.0`, LOCAL)!;
    const set = await fromTrs(ref, "NEXTFLOW", LOCAL, LIMITS);
    expect([...set.files.keys()].sort()).toEqual(["bin/count.sh", "main.nf", "modules/count.nf", "nextflow.config"]);
    expect(set.main).toBe("main.nf");
  });

  it("refuse a type that disagrees and an unknown tool", async () => {
    expect((await refusal(fromTrs(parseTrsUrl(dockstore, LOCAL)!, "CWL", LOCAL, LIMITS))).message).toContain("workflow_type");
    const unknown = parseTrsUrl(`trs://${new URL(E).host}/${encodeURIComponent("#workflow/nope")}/1.0`, LOCAL)!;
    expect((await refusal(fromTrs(unknown, "WDL", LOCAL, LIMITS))).message).toContain("404");
  });
});
