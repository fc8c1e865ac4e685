/** Which workflow URLs may be fetched, in a deployment and with WES_WORKFLOW_URLS_ALLOW_LOCAL. */
import { describe, expect, it } from "vitest";
import { parseHostList, urlProblem } from "../../src/executors/healthomics/sources/url-policy";

const deployed = { allowLocal: false, allowHosts: [] };
const local = { allowLocal: true, allowHosts: [] };

describe("URL policy", () => {
  it.each([
    ["https://raw.githubusercontent.com/o/r/main/w.wdl", undefined],
    ["https://8.8.8.8/w.wdl", undefined],
    ["http://example.org/w.wdl", "only https://"],
    ["ftp://example.org/w.wdl", "only https://"],
    ["https://localhost/w.wdl", "localhost"],
    ["https://api.localhost/w.wdl", "localhost"],
    ["https://127.0.0.1/w.wdl", "private"],
    ["https://10.1.2.3/w.wdl", "private"],
    ["https://172.16.0.1/w.wdl", "private"],
    ["https://172.32.0.1/w.wdl", undefined],
    ["https://192.168.1.1/w.wdl", "private"],
    ["https://169.254.169.254/latest/meta-data", "private"],
    ["https://100.64.0.1/w.wdl", "private"],
    ["https://0.0.0.0/w.wdl", "private"],
    ["https://[::1]/w.wdl", "private"],
    ["https://[fd00::1]/w.wdl", "private"],
    ["https://[fe80::1]/w.wdl", "private"],
    ["https://[::ffff:127.0.0.1]/w.wdl", "private"],
    ["https://[::ffff:10.0.0.1]/w.wdl", "private"],
    ["https://[2606:4700::1111]/w.wdl", undefined],
    ["https://2130706433/w.wdl", "private"], // decimal 127.0.0.1, normalised by URL
    ["https://0x7f.1/w.wdl", "private"],
    ["https://user:pw@example.org/w.wdl", "credentials"],
  ])("in a deployment, %s → %s", (url, problem) => {
    const found = urlProblem(new URL(url), deployed);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it.each([
    ["http://127.0.0.1:8788/w.wdl", undefined],
    ["http://localhost:8788/w.wdl", undefined],
    ["http://[::1]:8788/w.wdl", undefined],
    ["http://example.org/w.wdl", "loopback"],
    ["https://10.0.0.1/w.wdl", "private"],
  ])("with WES_WORKFLOW_URLS_ALLOW_LOCAL, %s → %s", (url, problem) => {
    const found = urlProblem(new URL(url), local);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it("takes only the allowed hosts when a list is set", () => {
    const policy = { allowLocal: false, allowHosts: parseHostList(" Dockstore.org, .githubusercontent.com ,") };
    expect(policy.allowHosts).toEqual(["dockstore.org", ".githubusercontent.com"]);
    expect(urlProblem(new URL("https://dockstore.org/api/x"), policy)).toBeUndefined();
    expect(urlProblem(new URL("https://raw.githubusercontent.com/x"), policy)).toBeUndefined();
    expect(urlProblem(new URL("https://evil.org/x"), policy)).toContain("WES_WORKFLOW_URL_HOSTS");
    expect(urlProblem(new URL("https://notdockstore.org/x"), policy)).toContain("WES_WORKFLOW_URL_HOSTS");
  });
});
